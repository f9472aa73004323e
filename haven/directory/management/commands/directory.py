"""haven directory search | gaps | list | add | deactivate

search and list show the address and phone only with --contact, as a named user (--as) whose role
may see them; every offering read is audited (channel cli). add and deactivate act as a named
administrator. Bad input ends with a one-line message and a non-zero exit status, never a traceback.
"""

from __future__ import annotations

import json
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import translation

from haven.accounts.cli import CHANNEL, cli_error, cli_user, read_json
from haven.core.errors import HavenError, NotFound, PermissionDenied
from haven.directory.catalogue import GROUPS, LANGUAGE_CODES, NEED_CODES, SEXES, language_name, need_name
from haven.directory.selectors import (
    Entry,
    directory_gaps,
    entries,
    offerings_for_need,
    read_contacts,
    resolve_province,
    sees_contact,
)
from haven.directory.services import offering_create, offering_deactivate

FORMATS = ("table", "json")


def _csv(raw: str | None) -> list[str]:
    return [part.strip() for part in (raw or "").split(",") if part.strip()]


class Command(BaseCommand):
    help = "Search the service directory, list its gaps, add and deactivate services (see docs/directory.md)."

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        search = sub.add_parser("search", help="Active services that meet a need.")
        search.add_argument("--item", choices=NEED_CODES, help="the need: an entitlement item or a service kind")
        search.add_argument("--sex", choices=SEXES)
        search.add_argument("--age", type=int)
        search.add_argument("--language", choices=LANGUAGE_CODES, help="ISO 639-3 code")
        search.add_argument("--province", help="province code, e.g. lao-cai-2025")
        search.add_argument("--q", default="", help="words of the agency's name")
        listing = sub.add_parser("list", help="Every service, active and inactive.")
        listing.add_argument("--agency-id", dest="agency_id", type=int)
        for command in (search, listing):
            command.add_argument("--as", dest="as_user", metavar="USERNAME",
                                 help="act as this user (needed for --contact)")
            command.add_argument("--contact", action="store_true",
                                 help="also show address and phone, if the user's role may see them (audited)")
            command.add_argument("--format", choices=FORMATS, default="table")
            command.add_argument("--lang", choices=("vi", "en"), default="en")
        gaps = sub.add_parser("gaps", help="Needs, groups and languages no active service of a province covers.")
        gaps.add_argument("--province", required=True, help="province code, e.g. lao-cai-2025")
        gaps.add_argument("--format", choices=FORMATS, default="table")
        gaps.add_argument("--lang", choices=("vi", "en"), default="en")
        add = sub.add_parser("add", help="Add a service from a JSON object (a file, or '-' for standard input).")
        add.add_argument("--as", dest="as_user", required=True, metavar="USERNAME")
        add.add_argument("--file", required=True, help="JSON object: agency_id, name, items, sexes, languages, "
                                                      "min_age, max_age, capacity, address, phone, notes")
        add.add_argument("--format", choices=FORMATS, default="table")
        add.add_argument("--lang", choices=("vi", "en"), default="en")
        deactivate = sub.add_parser("deactivate", help="Take a service out of searches and gap counts.")
        deactivate.add_argument("offering_id", type=int, metavar="OFFERING_ID")
        deactivate.add_argument("--as", dest="as_user", required=True, metavar="USERNAME")
        deactivate.add_argument("--lang", choices=("vi", "en"), default="en")
        deactivate.add_argument("--format", choices=FORMATS, default="table")

    def handle(self, *args: Any, **options: Any) -> None:
        with translation.override(options["lang"]):
            try:
                getattr(self, f"_{options['action']}")(options)
            except NotFound:
                raise CommandError("no such service") from None
            except PermissionDenied as exc:
                raise CommandError(str(exc.message)) from None
            except HavenError as exc:
                raise cli_error(exc) from exc

    # --- reading -------------------------------------------------------------------------------

    def _viewer(self, options: dict[str, Any]) -> Any:
        user = cli_user(options["as_user"]) if options.get("as_user") else None
        if not options.get("contact"):
            return user
        if user is None:
            raise CommandError("--contact needs --as USERNAME: addresses are shown only to roles that may see them")
        if not sees_contact(user):
            raise CommandError(f"{user.username} ({user.role}) may not see addresses and phones of services")
        return user

    def _search(self, options: dict[str, Any]) -> None:
        user = self._viewer(options)
        if options["age"] is not None and not 0 <= options["age"] <= 120:
            raise CommandError("--age must be between 0 and 120")
        province = resolve_province(options["province"]) if options["province"] else None
        found = offerings_for_need(item=options["item"], sex=options["sex"], age=options["age"],
                                   language=options["language"], province=province, q=options["q"])
        self._show(entries(found), user, options)

    def _list(self, options: dict[str, Any]) -> None:
        user = self._viewer(options)
        found = offerings_for_need(include_inactive=True, agency_id=options["agency_id"])
        self._show(entries(found), user, options)

    def _show(self, rows: list[Entry], user: Any, options: dict[str, Any]) -> None:
        contacts = read_contacts(user, [e.offering for e in rows], channel=CHANNEL) if options["contact"] else {}
        if options["format"] == "json":
            self.stdout.write(json.dumps([self._json(e, contacts.get(e.offering.pk)) for e in rows],
                                         ensure_ascii=False, indent=2))
            return
        for e in rows:
            o = e.offering
            ages = f"{o.min_age if o.min_age is not None else 0}-{o.max_age if o.max_age is not None else ''}"
            places = f"  places free {e.places_free}/{e.agency_capacity}" if e.places_free is not None else ""
            state = "" if o.is_active else "  [inactive]"
            self.stdout.write(f"{o.pk:>5}  {o.agency.name} — {o.name}{state}")
            self.stdout.write(f"       {', '.join(need_name(i) for i in o.items)}")
            self.stdout.write(f"       {'/'.join(o.sexes)} {ages}  {', '.join(o.languages)}{places}")
            if o.pk in contacts:
                self.stdout.write(f"       {contacts[o.pk]['address'] or '—'}  {contacts[o.pk]['phone'] or '—'}")
        self.stdout.write(f"{len(rows)} service(s).")

    @staticmethod
    def _json(e: Entry, contact: dict[str, str] | None) -> dict[str, Any]:
        o = e.offering
        row: dict[str, Any] = {
            "id": o.pk, "agency_id": o.agency_id, "agency": o.agency.name, "name": o.name, "items": o.items,
            "sexes": o.sexes, "min_age": o.min_age, "max_age": o.max_age, "languages": o.languages,
            "capacity": o.capacity, "occupied": e.occupied, "places_free": e.places_free, "is_active": o.is_active,
            "notes": o.notes,
        }
        if contact is not None:
            row.update(contact)
        return row

    def _gaps(self, options: dict[str, Any]) -> None:
        result = directory_gaps(resolve_province(options["province"]))
        if options["format"] == "json":
            self.stdout.write(json.dumps({
                "province": result.province.code, "on": result.on.isoformat(), "offerings": result.offerings,
                "matrix": result.matrix, "languages": result.languages,
                "gaps": [{"need": g.need or None, "group": g.group, "language": g.language,
                          "sentence": g.sentence(result.province_name)} for g in result.gaps],
            }, ensure_ascii=False, indent=2))
            return
        width = max(len(need_name(n)) for n in NEED_CODES)
        self.stdout.write(f"{result.province_name}: {result.offerings} active service(s)")
        self.stdout.write(" " * width + "  " + "  ".join(f"{str(g.name):>12}" for g in GROUPS))
        for need in NEED_CODES:
            cells = "  ".join(f"{'·' if n is None else n:>12}" for n in result.matrix[need].values())
            self.stdout.write(f"{need_name(need):<{width}}  {cells}")
        spoken = ", ".join(f"{language_name(c)} {n}" for c, n in result.languages.items())
        self.stdout.write(f"Languages: {spoken}")
        for sentence in result.sentences():
            self.stdout.write(f"- {sentence}")

    # --- writing -------------------------------------------------------------------------------

    def _add(self, options: dict[str, Any]) -> None:
        user = cli_user(options["as_user"])
        data = read_json(options["file"])
        if not isinstance(data, dict):
            raise CommandError("the file must hold one JSON object")
        allowed = {"agency_id", "name", "items", "sexes", "languages", "min_age", "max_age", "capacity", "address",
                   "phone", "notes"}
        unknown = sorted(set(data) - allowed)
        if unknown:
            raise CommandError(f"unknown field(s): {', '.join(unknown)}")
        for required in ("agency_id", "name", "items", "sexes", "languages"):
            if required not in data:
                raise CommandError(f"{required}: this field is required")
        offering = offering_create(acting_user=user, channel=CHANNEL, **data)
        self.stdout.write(f"Added service {offering.pk}: {offering.name}")

    def _deactivate(self, options: dict[str, Any]) -> None:
        user = cli_user(options["as_user"])
        offering = offering_deactivate(acting_user=user, offering_id=options["offering_id"], channel=CHANNEL)
        self.stdout.write(f"Service {offering.pk} is inactive.")



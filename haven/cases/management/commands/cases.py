"""haven cases list | show | register, acting as a named user (--as) with that user's permissions."""

from __future__ import annotations

import dataclasses
import json
import sys
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser, no_translations

from haven.accounts.cli import CHANNEL, cli_error, cli_user
from haven.cases.models import Category, Status
from haven.cases.selectors import access_case, case_search, cases_visible_to, names_for_cases, read_identity
from haven.cases.services import DuplicateWarning, Registration, case_register
from haven.consent.selectors import consent_current
from haven.core.errors import HavenError, NotFound

_FIELDS = {f.name for f in dataclasses.fields(Registration)}
_REQUIRED = {f.name for f in dataclasses.fields(Registration)
             if f.default is dataclasses.MISSING and f.default_factory is dataclasses.MISSING}


class Command(BaseCommand):
    help = "Find, show and register cases as a named user. Every read of identity fields is audited."

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        listing = sub.add_parser("list", help="Cases the user may see; names only where the user may see them.")
        listing.add_argument("--as", dest="as_user", required=True, metavar="USERNAME")
        listing.add_argument("--q", default="", help="A case code, an ID number or whole words of a name.")
        listing.add_argument("--status", action="append", choices=Status.values, help="Repeat for several.")
        listing.add_argument("--category", choices=Category.values)
        listing.add_argument("--limit", type=int, default=50)
        show = sub.add_parser("show", help="One case; --identity also shows the identity fields the user may see.")
        show.add_argument("code")
        show.add_argument("--as", dest="as_user", required=True, metavar="USERNAME")
        show.add_argument("--identity", action="store_true")
        register = sub.add_parser("register", help="Register a person from a JSON file ('-' reads standard input).")
        register.add_argument("--as", dest="as_user", required=True, metavar="USERNAME")
        register.add_argument("--file", required=True, help="JSON object with the registration fields.")
        register.add_argument("--confirm-duplicate", dest="confirm_duplicate", action="store_true",
                              help="Register even though the same person may already be registered.")

    @no_translations  # messages in English, whatever the deployment's default language
    def handle(self, *args: Any, **options: Any) -> None:
        user = cli_user(options["as_user"])
        try:
            getattr(self, f"_{options['action']}")(user, options)
        except NotFound:
            raise CommandError(f"no case {options.get('code')!r} that {user.username} may see") from None
        except HavenError as exc:
            raise cli_error(exc) from exc

    def _list(self, user: Any, options: dict) -> None:
        if not 1 <= options["limit"] <= 1000:
            raise CommandError("--limit must be between 1 and 1000")
        cases = case_search(user, options["q"], category=options["category"] or "")
        if options["status"]:
            cases = cases.filter(status__in=options["status"])
        page = list(cases[: options["limit"]])
        if not page:
            self.stdout.write("No cases." if user.sees_identity else
                              f"No cases: a {user.get_role_display().lower()} sees no case records.")
            return
        names = names_for_cases(user, page, channel=CHANNEL)  # one audit event per name shown
        for case in page:
            self.stdout.write("  ".join((
                case.code, case.received_on.isoformat(), str(case.get_category_display()),
                str(case.get_status_display()), case.owner_agency.name, names.get(case.pk, "—"),
            )))
        self.stdout.write(f"{len(page)} case(s){' (limit reached)' if len(page) == options['limit'] else ''}.")

    def _show(self, user: Any, options: dict) -> None:
        access = access_case(user, code=options["code"])
        case, person = access.case, access.case.person
        rows = [
            ("Case", case.code),
            ("Category", case.get_category_display()),
            ("Status", case.get_status_display()),
            ("Owner agency", case.owner_agency.name),
            ("Assigned worker", case.assigned_worker.username if case.assigned_worker else "—"),
            ("Received on", case.received_on.isoformat()),
            ("Place of reception", case.reception_place),
            ("How the person came back", case.get_return_mode_display()),
            ("Sex", person.get_sex_display()),
            ("Year of birth", person.birth_year or "—"),
            ("Age at reception", case.age_at_reception if case.age_at_reception is not None else "—"),
            ("Ethnicity", person.get_ethnicity_display()),
            ("Nationality", person.nationality),
            ("Home", ", ".join(u.name for u in (person.home_commune, person.home_province) if u) or "—"),
            ("Languages", ", ".join(person.languages) or "—"),
            ("Exploitation", ", ".join(case.exploitation_types) or "—"),
            ("Destination country", case.destination_country or "—"),
            ("Means of control", ", ".join(case.means_of_control) or "—"),
        ]
        if case.accompanies is not None:
            rows.append(("Accompanies case", case.accompanies.code))
        if case.identified_on:
            rows += [("Identified on", case.identified_on.isoformat()),
                     ("Competent authority", case.identification_authority),
                     ("Decision document", case.identification_document)]
        if case.closed_on:
            rows.append(("Closed on", case.closed_on.isoformat()))
        self._pairs(rows)
        signoffs = list(case.signoffs.order_by("agency_kind"))
        if signoffs:
            self.stdout.write("Sign-offs:")
            for s in signoffs:
                late = " OVERDUE" if s.is_overdue() else ""
                self.stdout.write(f"  {s.agency_kind}: {s.get_decision_display()} (due {s.due_on.isoformat()}){late}")
        if access.can_edit:
            states = consent_current(case.person_id)
            self.stdout.write("Consent in force:" if states else "Consent: none recorded.")
            for state in states:
                kind = f" ({state.agency_kind})" if state.agency_kind else ""
                self.stdout.write(f"  {state.purpose}{kind}: {state.decision} on {state.record.effective_on.isoformat()}")
        if options["identity"]:
            values = read_identity(access, channel=CHANNEL)  # audited: which fields, never the values
            if not values:
                self.stdout.write("Identity: no identity field of this case is shared with you.")
            else:
                self.stdout.write("Identity:")
                self._pairs([(name, value or "—") for name, value in values.items()], indent="  ")

    def _pairs(self, rows: list[tuple[str, Any]], indent: str = "") -> None:
        width = max(len(label) for label, _ in rows)
        for label, value in rows:
            self.stdout.write(f"{indent}{label:<{width}}  {value}")

    def _register(self, user: Any, options: dict) -> None:
        data = self._read_json(options["file"])
        try:
            case = case_register(acting_user=user, data=Registration(**data),
                                 confirm_duplicate=options["confirm_duplicate"], channel=CHANNEL)
        except DuplicateWarning as exc:
            visible = sorted(cases_visible_to(user).filter(pk__in=[c.pk for c in exc.matches])
                             .values_list("code", flat=True))
            hidden = len(exc.matches) - len(visible)
            where = [*visible, *([f"{hidden} case(s) you cannot open"] if hidden else [])]
            raise CommandError(
                f"possible duplicate: the same ID number, or the same name and date of birth, is already registered "
                f"({', '.join(where)}). Check, then re-run with --confirm-duplicate to register anyway."
            ) from None
        self.stdout.write(self.style.SUCCESS(f"Registered case {case.code} ({case.get_category_display()})."))

    def _read_json(self, name: str) -> dict[str, Any]:
        try:
            text = sys.stdin.read() if name == "-" else Path(name).read_text(encoding="utf-8")
        except OSError as exc:
            raise CommandError(f"cannot read {name}: {exc.strerror}") from exc
        except UnicodeDecodeError:
            raise CommandError(f"{name} is not UTF-8 text") from None
        try:
            data = json.loads(text)
        except json.JSONDecodeError as exc:
            raise CommandError(f"{name} is not valid JSON: {exc.msg} (line {exc.lineno})") from None
        if not isinstance(data, dict):
            raise CommandError(f"{name} must hold one JSON object with the registration fields")
        unknown = sorted(set(data) - _FIELDS)
        if unknown:
            raise CommandError(f"unknown field(s) {', '.join(unknown)}; allowed: {', '.join(sorted(_FIELDS))}")
        missing = sorted(_REQUIRED - set(data))
        if missing:
            raise CommandError(f"missing required field(s): {', '.join(missing)}")
        return data

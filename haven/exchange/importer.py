"""Import of historical cases from CSV or XLSX: validated row by row, all or nothing per file, idempotent.

Rows are checked with the validators of registration (`haven.cases.validation`) and the same rules as
`case_register`; identities are sealed, blind indexes and name tokens written, every case audited. For
speed the rows are written with `bulk_create` in one transaction after every row passed:

1. read and validate every row (progress 0 → rows); any rejected row fails the file, nothing is saved;
2. write all rows in one transaction (progress rows → 2 × rows), checking for cancellation between
   chunks; cancelling or any error rolls the whole file back.

Idempotency: the SHA-256 of the file's bytes is recorded per agency (the same file again creates
nothing) and each row's `source_ref` is recorded per agency (a row seen in an earlier file is skipped).
"""

from __future__ import annotations

import csv
import hashlib
import io
import secrets
from dataclasses import dataclass, field
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from haven.accounts.models import Role
from haven.audit.models import AuditAction
from haven.audit.services import audit_record_many
from haven.cases import validation as v
from haven.cases.models import (
    Case,
    Category,
    Ethnicity,
    Exploitation,
    IdentifiedAt,
    Language,
    MeansOfControl,
    NameToken,
    Person,
    PersonIdentity,
    ReturnMode,
    Sex,
    Status,
)
from haven.cases.services import _CODE_ALPHABET, _indexes
from haven.core import crypto
from haven.core.errors import HavenError, PermissionDenied
from haven.core.text import name_tokens
from haven.exchange import bulk, layout, storage
from haven.exchange.jobs import JobContext, job_submit, register
from haven.exchange.models import ImportedCase, ImportedFile, Job, JobKind
from haven.geo.models import AdminUnit, UnitLevel

MAX_BYTES = 50 * 1024 * 1024
MAX_ROWS = 200_000
CHUNK = 2000
REPORT_LIMIT = 500  # rejected rows listed in the report; the count is always complete
HISTORICAL_STATUSES = (Status.RECEPTION, Status.IDENTIFIED, Status.NOT_VICTIM, Status.SUPPORT,
                       Status.REINTEGRATION, Status.CLOSED)


@dataclass
class Rejection:
    row: int
    field: str
    message: str


@dataclass
class CleanRow:
    row: int
    source_ref: str
    identity: dict[str, str]
    person: dict[str, Any]
    case: dict[str, Any]
    tokens: set[str] = field(default_factory=set)


def _require_importer(user: Any) -> None:
    if not (user and user.is_authenticated and user.role in (Role.CASEWORKER, Role.SUPERVISOR) and user.agency_id):
        raise PermissionDenied(_("Only caseworkers and supervisors of an agency can import cases."))


def import_submit(*, acting_user: Any, content: bytes, filename: str, dry_run: bool = False,
                  channel: str = "web", start: bool = True) -> Job:
    """Queue an import of `content` (CSV or XLSX). The file is kept sealed until the job ends."""
    _require_importer(acting_user)
    kind = _file_kind(filename, content)
    if not content:
        raise HavenError(_("The file is empty."), field="file")
    if len(content) > MAX_BYTES:
        raise HavenError(_("The file is larger than 50 MB; split it."), field="file")
    digest = hashlib.sha256(content).hexdigest()
    context = f"exchange.upload.{digest}"
    # The file's own name may name a person: only its type and hash are kept.
    params = {"upload": storage.seal_file(content, context=context), "upload_context": context, "format": kind,
              "sha256": digest, "dry_run": bool(dry_run), "channel": channel}
    return job_submit(acting_user=acting_user, kind=JobKind.IMPORT_CASES, params=params, start=start)


def _file_kind(filename: str, content: bytes) -> str:
    name = (filename or "").lower()
    if name.endswith(".xlsx") or content[:2] == b"PK":
        return "xlsx"
    if name.endswith(".csv") or name.endswith(".txt") or not name:
        return "csv"
    raise HavenError(_("Upload a CSV or XLSX file."), field="file")


def read_rows(content: bytes, kind: str) -> tuple[list[str], list[list[Any]]]:
    """Header and data rows of the first sheet (XLSX) or of the file (CSV, UTF-8 with or without BOM)."""
    if kind == "xlsx":
        from openpyxl import load_workbook

        try:
            book = load_workbook(io.BytesIO(content), read_only=True, data_only=True)
        except Exception as exc:  # openpyxl raises many kinds for a broken file
            raise HavenError(_("The file is not a readable XLSX workbook."), field="file") from exc
        rows = [list(r) for r in book.worksheets[0].iter_rows(values_only=True)]
        book.close()
    else:
        try:
            text = content.decode("utf-8-sig")
        except UnicodeDecodeError:
            raise HavenError(_("Save the CSV file as UTF-8."), field="file") from None
        sample = text[:4096]
        delimiter = ";" if sample.count(";") > sample.count(",") else ","
        rows = [list(r) for r in csv.reader(io.StringIO(text), delimiter=delimiter)]
    rows = [r for r in rows if any(layout.cell_text(c) for c in r)]
    if not rows:
        raise HavenError(_("The file is empty."), field="file")
    return [layout.cell_text(h) for h in rows[0]], rows[1:]


def _columns(header: list[str]) -> dict[str, int]:
    found: dict[str, int] = {}
    for index, title in enumerate(header):
        if not title:
            continue
        name = layout.HEADERS.get(layout.fold(title))
        if name is None:
            raise HavenError(_("Unknown column “%(column)s”: see the column layout in the documentation.")
                             % {"column": title[:60]}, field="file")
        if name in found:
            raise HavenError(_("The column “%(column)s” appears twice.") % {"column": title[:60]}, field="file")
        found[name] = index
    missing = [name for name in layout.REQUIRED if name not in found]
    if missing:
        raise HavenError(_("Required columns are missing: %(columns)s") % {"columns": ", ".join(missing)},
                         field="file")
    return found


class RowValidator:
    """The checks of registration, with lookups cached for the whole file."""

    def __init__(self) -> None:
        self.sex = layout.choice_lookup(Sex, ("nu", "female"), ("nam", "male"), ("khongro", "unknown"))
        self.category = layout.choice_lookup(Category)
        self.ethnicity = layout.choice_lookup(Ethnicity, ("hmong", "hmong"), ("mong", "hmong"))
        self.return_mode = layout.choice_lookup(ReturnMode)
        self.identified_at = layout.choice_lookup(IdentifiedAt)
        self.exploitation = layout.choice_lookup(Exploitation)
        self.means = layout.choice_lookup(MeansOfControl)
        self.language = layout.choice_lookup(Language)
        self.status = {k: s for k, s in layout.choice_lookup(Status).items() if s in HISTORICAL_STATUSES}
        self.units = {u.code: u for u in AdminUnit.objects.all()}
        self.today = timezone.localdate()

    def _choice(self, table: dict[str, str], raw: Any, name: str, *, required: bool = True) -> str:
        text = layout.cell_text(raw)
        if not text and not required:
            return ""
        value = table.get(layout.fold(text))
        if value is None:
            raise HavenError(_("Choose one of the listed options."), field=name)
        return value

    def _choices(self, table: dict[str, str], raw: Any, name: str) -> list[str]:
        values = []
        for part in layout.cell_list(raw):
            value = table.get(layout.fold(part))
            if value is None:
                raise HavenError(_("Not a listed option: %(values)s") % {"values": part[:40]}, field=name)
            values.append(value)
        return sorted(set(values))

    def _date(self, raw: Any, name: str, *, required: bool = False) -> Any:
        """`validation.date`, with "not in the future" checked against the day the import started:
        asking for the local date on every cell was a fifth of the checking at 100,000 rows."""
        day = v.date(layout.cell_date(raw), name, required=required, not_future=False)
        if day is not None and day > self.today:
            raise HavenError(_("The date cannot be in the future."), field=name)
        return day

    def _unit(self, raw: Any, name: str, level: str | None) -> AdminUnit | None:
        code = v.text(layout.cell_text(raw), name)
        if not code:
            return None
        unit = self.units.get(code)
        if unit is None or (level and unit.level != level):
            raise HavenError(_("Choose an administrative unit from the list."), field=name)
        return unit

    def clean(self, cells: dict[str, Any], row: int, errors: list[Rejection]) -> CleanRow | None:
        """The row's values ready to save, or None after adding every problem found to `errors`."""
        before = len(errors)
        out: dict[str, Any] = {}

        def check(name: str, fn: Any) -> Any:
            try:
                out[name] = fn()
            except HavenError as error:
                errors.append(Rejection(row, error.field or name, str(error.message)))
                out[name] = None
            return out[name]

        get = cells.get
        check("source_ref", lambda: v.text(layout.cell_text(get("source_ref")), "source_ref", required=True,
                                            max_length=100))
        received = check("received_on", lambda: self._date(get("received_on"), "received_on", required=True))
        dob = check("date_of_birth", lambda: self._date(get("date_of_birth"), "date_of_birth"))
        year = check("birth_year", lambda: v.year(layout.cell_text(get("birth_year")), "birth_year"))
        if dob and year and dob.year != year:
            errors.append(Rejection(row, "birth_year", gettext("The year of birth does not match the date of birth.")))
        if dob and received and dob > received:
            errors.append(Rejection(row, "date_of_birth", gettext("The date of birth is after the date of reception.")))
        year = year or (dob.year if dob else None)
        age = None
        if received and dob:
            age = received.year - dob.year - ((received.month, received.day) < (dob.month, dob.day))
        elif received and year:
            age = received.year - year
        category = check("category", lambda: self._choice(self.category, get("category"), "category"))
        if category == Category.ACCOMPANYING_MINOR and age is not None and age >= 18:
            errors.append(Rejection(row, "category", gettext("An accompanying minor must be under 18.")))
        province = check("home_province", lambda: self._unit(get("home_province"), "home_province",
                                                             UnitLevel.PROVINCE))
        commune = check("home_commune", lambda: self._unit(get("home_commune"), "home_commune", UnitLevel.COMMUNE))
        if commune and province and commune.province().pk != province.pk:
            errors.append(Rejection(row, "home_commune", gettext("The commune is not in the chosen province.")))
        identity = {
            "full_name": check("full_name", lambda: v.text(layout.cell_text(get("full_name")), "full_name",
                                                           required=True)),
            "other_names": check("other_names", lambda: v.text(layout.cell_text(get("other_names")), "other_names",
                                                               max_length=400)),
            "date_of_birth": dob.isoformat() if dob else "",
            "id_number": check("id_number", lambda: v.id_number(layout.cell_text(get("id_number")), "id_number")),
            "phone": check("phone", lambda: v.phone(layout.cell_text(get("phone")), "phone")),
            "address": check("address", lambda: v.text(layout.cell_text(get("address")), "address", max_length=500)),
            "family_contacts": check("family_contacts", lambda: v.text(
                layout.cell_text(get("family_contacts")), "family_contacts", max_length=1000)),
            "notes": "",
        }
        person = {
            "sex": check("sex", lambda: self._choice(self.sex, get("sex"), "sex")),
            "birth_year": year,
            "ethnicity": check("ethnicity", lambda: self._choice(self.ethnicity, get("ethnicity"), "ethnicity",
                                                                 required=False) or Ethnicity.UNKNOWN),
            "nationality": check("nationality", lambda: v.country(layout.cell_text(get("nationality")) or "VN",
                                                                  "nationality", required=True, extra=["stateless"])),
            "home_province": province, "home_commune": commune,
            "languages": check("languages", lambda: self._choices(self.language, get("languages"), "languages")),
        }
        status = check("status", lambda: self._choice(self.status, get("status"), "status", required=False)
                       or Status.RECEPTION)
        identified_on = check("identified_on", lambda: self._date(get("identified_on"), "identified_on"))
        closed_on = check("closed_on", lambda: self._date(get("closed_on"), "closed_on"))
        if status in (Status.IDENTIFIED, Status.SUPPORT, Status.REINTEGRATION) and category == Category.VICTIM \
                and not identified_on:
            errors.append(Rejection(row, "identified_on", gettext("An identified victim needs the date of identification.")))
        if identified_on and category != Category.VICTIM:
            errors.append(Rejection(row, "identified_on", gettext("Only a victim has a date of identification.")))
        if identified_on and received and identified_on < received:
            errors.append(Rejection(row, "identified_on",
                                    gettext("The identification date is before the date of reception.")))
        if status == Status.CLOSED and not closed_on:
            errors.append(Rejection(row, "closed_on", gettext("A closed case needs the date it was closed.")))
        if closed_on and received and closed_on < received:
            errors.append(Rejection(row, "closed_on", gettext("The closing date is before the date of reception.")))
        case = {
            "category": category, "status": status, "received_on": received,
            "reception_place": check("reception_place", lambda: v.text(
                layout.cell_text(get("reception_place")), "reception_place", required=True)),
            "return_mode": check("return_mode", lambda: self._choice(self.return_mode, get("return_mode"),
                                                                     "return_mode")),
            "identified_at": check("identified_at", lambda: self._choice(
                self.identified_at, get("identified_at"), "identified_at", required=False)),
            "age_at_reception": age,
            "exploitation_types": check("exploitation_types", lambda: self._choices(
                self.exploitation, get("exploitation_types"), "exploitation_types")),
            "destination_country": check("destination_country", lambda: v.country(
                layout.cell_text(get("destination_country")), "destination_country")),
            "means_of_control": check("means_of_control", lambda: self._choices(
                self.means, get("means_of_control"), "means_of_control")),
            "identified_on": identified_on,
            "identification_authority": check("identification_authority", lambda: v.text(
                layout.cell_text(get("identification_authority")), "identification_authority")),
            "closed_on": closed_on if status == Status.CLOSED else None,
        }
        if len(errors) > before:
            return None
        return CleanRow(row, out["source_ref"], identity, person, case)


def _random_code(year: int) -> str:
    """A case code as `case_register` makes them (HV-yy- and six characters of the alphabet), from one
    call for 30 random bits: the alphabet has 32 characters, so each 5 bits pick one uniformly."""
    bits = secrets.randbits(30)
    return f"HV-{year % 100:02d}-" + "".join(_CODE_ALPHABET[(bits >> (5 * i)) & 31] for i in range(6))


def _new_codes(rows: list[CleanRow]) -> list[str]:
    assert len(_CODE_ALPHABET) == 32
    codes: list[str] = []
    while len(codes) < len(rows):
        wanted = [_random_code(r.case["received_on"].year) for r in rows[len(codes):]]
        taken = set(codes) | bulk.existing(Case, "code", wanted)
        for code in wanted:
            if code not in taken:
                codes.append(code)
                taken.add(code)
    return codes


def _blind_indexes(rows: list[CleanRow]) -> None:
    """The identity's blind indexes and the name-word tokens of every row. A word's token is computed
    once per file (the same words recur: thị, văn, nguyễn…), as `cases.services._token_indexes` would."""
    words: dict[str, str] = {}
    for row in rows:
        row.identity.update(_indexes(row.identity["full_name"], row.identity["date_of_birth"],
                                     row.identity["id_number"]))
        tokens = set()
        for name in (row.identity["full_name"], row.identity["other_names"]):
            for word in name_tokens(name):
                token = words.get(word)
                if token is None:
                    token = words[word] = crypto.blind_index(word, purpose="name_token")
                tokens.add(token)
        row.tokens = tokens


@register(JobKind.IMPORT_CASES)
def run_import(ctx: JobContext) -> None:
    job, user = ctx.job, ctx.job.owner
    _require_importer(user)
    agency_id: int = user.agency_id  # type: ignore[assignment]  # checked by _require_importer
    params = job.params
    content = storage.open_file(params["upload"], context=params["upload_context"])
    header, data = read_rows(content, params["format"])
    if len(data) > MAX_ROWS:
        raise HavenError(_("The file has more than %(n)d rows; split it.") % {"n": MAX_ROWS}, field="file")
    columns = _columns(header)
    total = len(data)
    ctx.progress(0, total * 2, gettext("Checking rows"))
    report: dict[str, Any] = {"rows": total, "rejected": 0, "created": 0, "skipped": 0, "errors": [],
                              "dry_run": bool(params.get("dry_run"))}
    job.report = report
    if ImportedFile.objects.filter(agency_id=agency_id, sha256=params["sha256"]).exists():
        report["skipped"] = total
        report["already_imported"] = True
        ctx.progress(total * 2, total * 2, gettext("This file was imported before: nothing new was created."))
        return
    validator, errors = RowValidator(), list[Rejection]()
    clean: list[CleanRow] = []
    seen_refs: dict[str, int] = {}
    for start in range(0, total, CHUNK):
        for offset, raw in enumerate(data[start:start + CHUNK]):
            row_number = start + offset + 2  # the header is row 1, as in a spreadsheet
            cells = {name: (raw[i] if i < len(raw) else None) for name, i in columns.items()}
            row = validator.clean(cells, row_number, errors)
            if row is None:
                continue
            if row.source_ref in seen_refs:
                errors.append(Rejection(row_number, "source_ref", gettext("The same reference is on row %(row)d.")
                                        % {"row": seen_refs[row.source_ref]}))
                continue
            seen_refs[row.source_ref] = row_number
            clean.append(row)
        ctx.progress(min(start + CHUNK, total))
    known = bulk.existing(ImportedCase, "source_ref", [r.source_ref for r in clean], agency_id=agency_id)
    fresh = [r for r in clean if r.source_ref not in known]
    report["skipped"] = len(clean) - len(fresh)
    _blind_indexes(fresh)
    errors.extend(_duplicates(fresh))
    rejected_rows = {e.row for e in errors}
    report["rejected"] = len(rejected_rows)
    report["errors"] = [e.__dict__ for e in sorted(errors, key=lambda e: e.row)[:REPORT_LIMIT]]
    if rejected_rows:
        raise HavenError(_("%(n)d rows were rejected: nothing was imported. Correct them and import the file "
                           "again.") % {"n": len(rejected_rows)}, field="file")
    if report["dry_run"]:
        report["would_create"] = len(fresh)
        ctx.progress(total * 2, total * 2, gettext("Dry run: every row is valid; nothing was saved."))
        return
    ctx.check_cancel()
    with transaction.atomic(), bulk.sqlite_cache():
        record = ImportedFile.objects.create(agency_id=agency_id, sha256=params["sha256"], job=job, rows=total)
        codes = _new_codes(fresh)
        writers = _Writers.make()
        for start in range(0, len(fresh), CHUNK):
            _write_chunk(fresh[start:start + CHUNK], codes[start:start + CHUNK], user, params.get("channel", "web"),
                         writers)
            ctx.progress(total + min(start + CHUNK, len(fresh)) * total // max(len(fresh), 1),
                         message=gettext("Saving cases"))
        record.created = len(fresh)
        record.save(update_fields=["created"])
        audit_record_many([{
            "actor": user, "action": AuditAction.CREATE, "object_type": "import_file", "object_id": record.pk,
            "changes": {"rows": total, "created": len(fresh), "skipped": report["skipped"], "job": job.pk},
            "channel": job.params.get("channel", "job"),
        }])
    report["created"] = len(fresh)
    ctx.progress(total * 2, total * 2, gettext("Imported"))


def _duplicates(rows: list[CleanRow]) -> list[Rejection]:
    """Rows whose person is already registered (same ID number, or same name and birth date), or twice in the file."""
    errors: list[Rejection] = []
    by_index: dict[tuple[str, str], int] = {}
    for row in rows:
        idx = row.identity  # with its blind indexes (`_blind_indexes`)
        for key in ("id_number_bidx", "name_dob_bidx"):
            if idx[key]:
                if (key, idx[key]) in by_index:
                    errors.append(Rejection(row.row, "id_number" if key == "id_number_bidx" else "full_name",
                                            gettext("The same person is on row %(row)d.") % {"row": by_index[(key, idx[key])]}))
                by_index.setdefault((key, idx[key]), row.row)
    for key in ("id_number_bidx", "name_dob_bidx"):
        values = [value for (k, value) in by_index if k == key]
        found = bulk.existing(PersonIdentity, key, values)
        errors.extend(Rejection(by_index[(key, value)], "id_number" if key == "id_number_bidx" else "full_name",
                                gettext("A person with the same ID number, or the same name and date of birth, is "
                                        "already registered."))
                      for value in found)
    return errors


@dataclass
class _Writers:
    """One writer per table for the whole file: one timestamp, one sealed empty value per column."""

    person: bulk.Writer
    identity: bulk.Writer
    token: bulk.Writer
    case: bulk.Writer
    imported: bulk.Writer
    audit: bulk.AuditWriter

    @classmethod
    def make(cls) -> _Writers:
        return cls(bulk.Writer(Person), bulk.Writer(PersonIdentity, with_ids=False),
                   bulk.Writer(NameToken, with_ids=False), bulk.Writer(Case),
                   bulk.Writer(ImportedCase, with_ids=False), bulk.AuditWriter())


def _person_row(person: dict[str, Any]) -> dict[str, Any]:
    row = {k: v for k, v in person.items() if k not in ("home_province", "home_commune")}
    row["home_province_id"] = person["home_province"].pk if person.get("home_province") else None
    row["home_commune_id"] = person["home_commune"].pk if person.get("home_commune") else None
    return row


def _write_chunk(rows: list[CleanRow], codes: list[str], user: Any, channel: str, writers: _Writers) -> None:
    """Persons, identities, name tokens, cases, the per-agency references and one audit event per case.
    Rows are written with their ids taken up front (`bulk.new_ids`), without model instances."""
    people = bulk.new_ids(Person, len(rows))
    writers.person.write({"id": p, **_person_row(r.person)} for p, r in zip(people, rows, strict=True))
    writers.identity.write({"person_id": p, **r.identity} for p, r in zip(people, rows, strict=True))
    writers.token.write({"person_id": p, "token_bidx": t} for p, r in zip(people, rows, strict=True)
                        for t in sorted(r.tokens))
    agency = user.agency_id
    closed_reason = gettext("Imported historical record")
    cases = bulk.new_ids(Case, len(rows))
    writers.case.write({
        "id": c, "code": code, "person_id": p, "owner_agency_id": agency, "receiving_agency_id": agency,
        "assigned_worker_id": user.pk, "created_by_id": user.pk,
        "closure_reason": closed_reason if r.case["closed_on"] else "", **r.case}
        for c, code, p, r in zip(cases, codes, people, rows, strict=True))
    writers.imported.write({"agency_id": agency, "source_ref": r.source_ref, "case_id": c}
                           for c, r in zip(cases, rows, strict=True))
    writers.audit.record([
        {"actor": user, "action": AuditAction.CREATE, "object_type": "case", "object_id": c, "case_id": c,
         "fields": [k for k, val in r.identity.items() if val and not k.endswith("_bidx")],
         "changes": {"status": [None, r.case["status"]], "category": [None, r.case["category"]], "imported": True},
         "channel": channel}
        for c, r in zip(cases, rows, strict=True)
    ])

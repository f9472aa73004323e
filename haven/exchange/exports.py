"""De-identified case-level exports (HTCDS vocabulary; the CTDC 27-variable layout), k-anonymous, and the
identity-level export as an AES-256 encrypted ZIP. Every export is a job and is audited.

De-identified exports hold no identity field, no case code and no date finer than a year. Their
quasi-identifiers (year, sex, age, citizenship, country of exploitation) are generalised step by step
(age bands → broad bands → year periods → minor/adult, rare countries → "Other") until at most 5 % of
rows would need suppressing, and then every row whose combination occurs fewer than k times is dropped.
"""

from __future__ import annotations

import csv
import io
import json
from collections import Counter
from collections.abc import Callable, Iterable
from functools import cache
from pathlib import Path
from typing import Any

import pycountry
import pyzipper
from django.db.models import OuterRef, Q, QuerySet, Subquery
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from haven.accounts.models import Role
from haven.audit.models import AuditAction
from haven.audit.services import audit_record, audit_record_many
from haven.cases.models import Case, Category, PersonIdentity
from haven.cases.validation import text as clean_text
from haven.cases.validation import year as clean_year
from haven.consent.models import ConsentRecord, Decision, Purpose
from haven.core.errors import HavenError, PermissionDenied
from haven.exchange.jobs import JobContext, job_submit, register
from haven.exchange.models import Job, JobKind

DEFAULT_K = 11  # as the CTDC global dataset
MIN_PASSWORD = 12
MIN_REASON = 20
CHUNK = 1000
MAX_SUPPRESSED_SHARE = 0.05
IDENTITY_COLUMNS = ["case_code", "category", "status", "received_on", "full_name", "other_names", "date_of_birth",
                    "id_number", "phone", "address", "family_contacts"]
IDENTITY_FIELDS = IDENTITY_COLUMNS[4:]


@cache
def vocabulary() -> dict[str, Any]:
    return json.loads((Path(__file__).parent / "data" / "vocabulary.json").read_text(encoding="utf-8"))


def _alpha3(code: str) -> str:
    if not code or code in ("Other", "stateless"):
        return code
    country = pycountry.countries.get(alpha_2=code)
    return country.alpha_3 if country else ""


# --- Who may export what ---------------------------------------------------------------------------


def _require_deidentified(user: Any) -> None:
    if not (user and user.is_authenticated and (user.role == Role.STATISTICIAN
                                                or (user.role == Role.SUPERVISOR and user.agency_id))):
        raise PermissionDenied(_("Only statisticians and supervisors can make de-identified exports."))


def _require_identity(user: Any) -> None:
    if not (user and user.is_authenticated and user.role == Role.SUPERVISOR and user.agency_id):
        raise PermissionDenied(_("Only supervisors can export identities, and only of their agency's cases."))


def export_cases(user: Any, params: dict[str, Any]) -> QuerySet[Case]:
    """Victims' cases the user may export: a statistician every agency's, a supervisor their agency's.
    People who withdrew or refused consent to statistics are left out."""
    cases = Case.objects.filter(category=Category.VICTIM).select_related("person")
    if user.role != Role.STATISTICIAN:
        cases = cases.filter(owner_agency_id=user.agency_id)
    if params.get("year_from"):
        cases = cases.filter(received_on__year__gte=params["year_from"])
    if params.get("year_to"):
        cases = cases.filter(received_on__year__lte=params["year_to"])
    latest = Subquery(ConsentRecord.objects.filter(person_id=OuterRef("person_id"), purpose=Purpose.STATISTICS)
                      .order_by("-recorded_at", "-id").values("decision")[:1])
    # Spelled out: NOT IN over a NULL (no statistics record) would drop the row in SQL.
    return cases.annotate(statistics_consent=latest).filter(
        Q(statistics_consent__isnull=True) | Q(statistics_consent=Decision.GIVEN)).order_by("pk")


def _years(year_from: Any, year_to: Any) -> dict[str, int | None]:
    first, last = clean_year(year_from, "year_from"), clean_year(year_to, "year_to")
    if first and last and first > last:
        raise HavenError(_("The first year is after the last year."), field="year_to")
    return {"year_from": first, "year_to": last}


def export_submit(*, acting_user: Any, kind: str, k: Any = None, year_from: Any = None, year_to: Any = None,
                  channel: str = "web", start: bool = True) -> Job:
    """Queue a de-identified export (`htcds` or `ctdc`)."""
    _require_deidentified(acting_user)
    job_kind = {"htcds": JobKind.EXPORT_HTCDS, "ctdc": JobKind.EXPORT_CTDC}.get(kind)
    if job_kind is None:
        raise HavenError(_("Choose one of the listed options."), field="kind")
    try:
        k_value = DEFAULT_K if k in (None, "") else int(k)
    except (TypeError, ValueError):
        raise HavenError(_("k is a whole number from 2 to 100."), field="k") from None
    if not 2 <= k_value <= 100:
        raise HavenError(_("k is a whole number from 2 to 100."), field="k")
    params = {"k": k_value, "channel": channel, **_years(year_from, year_to)}
    return job_submit(acting_user=acting_user, kind=job_kind, params=params, start=start)


def identity_export_submit(*, acting_user: Any, password: Any, reason: Any, year_from: Any = None,
                           year_to: Any = None, channel: str = "web", start: bool = True) -> Job:
    """Queue an identity export of the supervisor's agency's cases; the ZIP is sealed with `password`.
    The password stays in this process's memory and is never stored; the reason is sealed."""
    _require_identity(acting_user)
    if not isinstance(password, str) or len(password) < MIN_PASSWORD:
        raise HavenError(_("The password must have at least 12 characters."), field="password")
    if len(password) > 200:
        raise HavenError(_("Too long: at most %(n)d characters.") % {"n": 200}, field="password")
    reason = clean_text(reason, "reason", required=True, max_length=2000)
    if len(reason) < MIN_REASON:
        raise HavenError(_("Explain why you need the identities in at least 20 characters."), field="reason")
    params = {"channel": channel, **_years(year_from, year_to)}
    return job_submit(acting_user=acting_user, kind=JobKind.EXPORT_IDENTITY, params=params,
                      secret={"password": password}, reason=reason, in_process_only=True,
                      start=start)


# --- k-anonymity -----------------------------------------------------------------------------------


def _band(age: int | None, bands: list[list[Any]]) -> str:
    if age is None:
        return ""
    return next((label for low, high, label in bands if low <= age <= high), "")


def _generalise(record: dict[str, Any], level: int, common: dict[str, set[str]]) -> tuple[str, ...]:
    """The quasi-identifiers of a record at a generalisation level (0 = finest)."""
    bands = vocabulary()["age_bands"]
    age = record["age"]
    year = str(record["year"]) if level < 2 else f"{record['year'] // 5 * 5}--{record['year'] // 5 * 5 + 4}"
    if level == 0:
        age_label = _band(age, bands["ctdc"])
    elif level <= 2:
        age_label = _band(age, bands["coarse"])
    else:
        age_label = "" if age is None else ("0--17" if age < 18 else "18+")
    nationality, country = record["nationality"], record["country"]
    if level >= 3:
        nationality = nationality if nationality in common["nationality"] else "Other"
        country = country if country in common["country"] else ("Other" if country else "")
    if level >= 4:
        country = ""
    return (year, record["sex"], age_label, nationality, country)


LEVELS = 5


def k_anonymise(records: list[dict[str, Any]], k: int) -> tuple[list[tuple[dict[str, Any], tuple[str, ...]]], int, int]:
    """Rows kept with their generalised quasi-identifiers, the number suppressed, and the level used."""
    common = {name: {value for value, n in Counter(r[name] for r in records).items() if n >= k}
              for name in ("nationality", "country")}
    best: tuple[int, int, list[tuple[str, ...]]] | None = None
    for level in range(LEVELS):
        keys = [_generalise(r, level, common) for r in records]
        counts = Counter(keys)
        suppressed = sum(n for n in counts.values() if n < k)
        if best is None or suppressed < best[0]:
            best = (suppressed, level, keys)
        if suppressed <= MAX_SUPPRESSED_SHARE * len(records):
            best = (suppressed, level, keys)
            break
    if best is None:
        return [], 0, 0
    suppressed, level, keys = best
    counts = Counter(keys)
    kept = [(r, key) for r, key in zip(records, keys, strict=True) if counts[key] >= k]
    return kept, suppressed, level


# --- Rows ------------------------------------------------------------------------------------------


def _base(case: Case) -> dict[str, Any]:
    person = case.person
    return {"year": case.received_on.year, "sex": person.sex, "age": case.age_at_reception,
            "nationality": person.nationality if person.nationality != "stateless" else "stateless",
            "country": case.destination_country, "status": case.status,
            "exploitation": list(case.exploitation_types or []), "means": list(case.means_of_control or [])}


def _majority(age_label: str) -> str:
    if not age_label:
        return ""
    return "Minor" if age_label in ("0--8", "09--17", "0--17") else "Adult"


def htcds_row(record: dict[str, Any], key: tuple[str, ...]) -> dict[str, str]:
    voc = vocabulary()
    year, sex, age_label, nationality, country = key
    return {
        "cas_Status": voc["case_status_htcds"].get(record["status"], ""),
        "yearOfRegistration": year, "prs_Gender": voc["gender"]["htcds"].get(sex, "Unknown"),
        "ageBroad": age_label, "majorityStatus": _majority(age_label), "prs_Nationality": nationality,
        "hte_Country": country,
        "vic_TypeOfExploitation": ";".join(sorted({voc["exploitation_htcds"][e] for e in record["exploitation"]
                                                   if e in voc["exploitation_htcds"]})),
        "vic_MethodsOfControl": ";".join(sorted({voc["means_of_control_htcds"][m] for m in record["means"]
                                                 if m in voc["means_of_control_htcds"]})),
    }


def ctdc_row(record: dict[str, Any], key: tuple[str, ...]) -> dict[str, str]:
    voc = vocabulary()
    year, sex, age_label, nationality, country = key
    row = {column: "" for column in voc["ctdc_columns"]}
    row.update({"yearOfRegistration": year, "gender": voc["gender"]["ctdc"].get(sex, ""), "ageBroad": age_label,
                "citizenship": _alpha3(nationality), "CountryOfExploitation": _alpha3(country)})
    for column, rule in voc["ctdc_flags"].items():
        values = record["exploitation"] if "exploitation" in rule else record["means"]
        wanted = rule.get("exploitation") or rule.get("means")
        row[column] = "1" if set(values) & set(wanted) else ("0" if values else "")
    return row


def _csv(columns: list[str], rows: Iterable[dict[str, str]]) -> bytes:
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=columns, lineterminator="\n")
    writer.writeheader()
    writer.writerows(rows)
    return out.getvalue().encode("utf-8")


def _deidentified(ctx: JobContext, columns: list[str], make_row: Callable[..., dict[str, str]], stem: str) -> None:
    job, user = ctx.job, ctx.job.owner
    _require_deidentified(user)
    cases = export_cases(user, job.params)
    total = cases.count()
    ctx.progress(0, total + 1, gettext("Reading cases"))
    records = []
    for case in cases.iterator(chunk_size=CHUNK):
        records.append(_base(case))
        if len(records) % CHUNK == 0:
            ctx.progress(len(records))
    k = int(job.params.get("k") or DEFAULT_K)
    kept, suppressed, level = k_anonymise(records, k)
    ctx.store_result(_csv(columns, (make_row(r, key) for r, key in kept)),
                     name=f"haven-{stem}-{timezone.localdate():%Y%m%d}.csv", content_type="text/csv")
    job.report = {"rows": len(kept), "suppressed": suppressed, "k": k, "level": level, "cases": total}
    audit_record(actor=user, action=AuditAction.EXPORT, object_type="export", object_id=job.pk,
                 changes={"kind": job.kind, "rows": len(kept), "suppressed": suppressed, "k": k, "level": level},
                 channel=job.params.get("channel", "web"))
    ctx.progress(total + 1, message=gettext("%(rows)d rows exported, %(suppressed)d suppressed (k = %(k)d)")
                 % {"rows": len(kept), "suppressed": suppressed, "k": k})


@register(JobKind.EXPORT_HTCDS)
def run_htcds(ctx: JobContext) -> None:
    _deidentified(ctx, vocabulary()["htcds_columns"], htcds_row, "htcds")


@register(JobKind.EXPORT_CTDC)
def run_ctdc(ctx: JobContext) -> None:
    _deidentified(ctx, vocabulary()["ctdc_columns"], ctdc_row, "ctdc27")


@register(JobKind.EXPORT_IDENTITY)
def run_identity(ctx: JobContext) -> None:
    job, user = ctx.job, ctx.job.owner
    _require_identity(user)
    password = ctx.secret.get("password", "")
    if len(password) < MIN_PASSWORD:
        raise HavenError(_("The export was interrupted before it ran: request it again."), field="password")
    cases = Case.objects.filter(owner_agency_id=user.agency_id).order_by("pk")
    if job.params.get("year_from"):
        cases = cases.filter(received_on__year__gte=job.params["year_from"])
    if job.params.get("year_to"):
        cases = cases.filter(received_on__year__lte=job.params["year_to"])
    total = cases.count()
    ctx.progress(0, total + 1, gettext("Reading cases"))
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(IDENTITY_COLUMNS)
    channel, done = job.params.get("channel", "web"), 0
    case_list = list(cases.values("pk", "code", "category", "status", "received_on", "person_id"))
    for start in range(0, total, CHUNK):
        chunk = case_list[start:start + CHUNK]
        identities = {i.person_id: i for i in PersonIdentity.objects.filter(person_id__in=[c["person_id"]
                                                                                          for c in chunk])}
        for case in chunk:
            identity = identities.get(case["person_id"])
            writer.writerow([case["code"], case["category"], case["status"], case["received_on"].isoformat(),
                             *[getattr(identity, f, "") or "" for f in IDENTITY_FIELDS]])
        # Every decryption for someone to read is audited: one event per case, field names only.
        audit_record_many([{"actor": user, "action": AuditAction.VIEW_IDENTITY, "object_type": "person",
                            "object_id": c["person_id"], "case_id": c["pk"], "fields": IDENTITY_FIELDS,
                            "reason": "export", "channel": channel} for c in chunk])
        done += len(chunk)
        ctx.progress(done)
    buffer = io.BytesIO()
    with pyzipper.AESZipFile(buffer, "w", compression=pyzipper.ZIP_DEFLATED, encryption=pyzipper.WZ_AES) as archive:
        archive.setpassword(password.encode("utf-8"))
        archive.setencryption(pyzipper.WZ_AES, nbits=256)
        archive.writestr("identities.csv", "\ufeff" + out.getvalue())
    ctx.store_result(buffer.getvalue(), name=f"haven-identities-{timezone.localdate():%Y%m%d}.zip",
                     content_type="application/zip")
    job.report = {"rows": total}
    audit_record(actor=user, action=AuditAction.EXPORT, object_type="export", object_id=job.pk,
                 fields=IDENTITY_FIELDS, changes={"kind": job.kind, "rows": total, "reason_length": len(job.reason),
                                                  "encrypted": "aes-256"},
                 channel=channel)
    ctx.progress(total + 1, message=gettext("%(rows)d cases exported") % {"rows": total})

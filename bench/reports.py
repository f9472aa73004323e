"""Benchmark of the annual statistics and of the case list and search under load, on PostgreSQL.

    .venv/bin/pip install -e '.[bench]'          # locust and gunicorn
    .venv/bin/python bench/reports.py            # 1,000,000 cases, statistics, 20 users for 60 s
    .venv/bin/python bench/reports.py --cases 20000 --duration 20     # a smoke test

1. Fills a dedicated PostgreSQL database (``--db``, default haven_bench on 127.0.0.1, created if
   missing and migrated) with N synthetic cases: persons with identities sealed with the project's
   own AES-GCM keyring and blind indexes (whole name, name and birth date, ID number, one per name
   word), cases across agencies of six provinces, referrals (some accepted, with sharing consent).
   Rows go in with COPY. Skipped when the database already holds N cases (``--regenerate`` redoes it).
2. Times the annual statistics in public mode (threshold suppression, every table), for one year
   nationally and for one province, and for ten years nationally; median and max of ``--runs``;
   the plan of the slowest query when over the 2 s target.
3. Starts the real application (gunicorn, or ``haven runserver`` with threads if gunicorn is not
   installed) on loopback with 2FA off and runs locust headless: ``--users`` logged-in caseworkers
   and supervisors hit the case list, the case search by name and the login page (the floor).

Everything is synthetic. Keys and the secret key live in var/bench/ (never the demo's).
"""

from __future__ import annotations

import argparse
import csv
import datetime as dt
import json
import os
import platform
import secrets
import signal
import socket
import statistics as stats
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
VAR = ROOT / "var" / "bench"
VENV_BIN = Path(sys.executable).parent
DEFAULT_DB = "postgres://postgres@127.0.0.1:5432/haven_bench"
PASSWORD = "bench-password-2026"  # synthetic accounts in a throwaway database
SEED = 2026

# Six provinces of the geo data: (code, share of cases). Lào Cai is the busy border province.
PROVINCES = [("lao-cai", 0.35), ("ha-giang", 0.20), ("nghe-an", 0.20), ("ha-noi", 0.10),
             ("yen-bai", 0.08), ("tuyen-quang", 0.07)]
# Agencies per province that own cases (kind, share of the province's cases), and ones that receive referrals.
OWNER_KINDS = [("border_guard", 0.45), ("police", 0.25), ("social_protection", 0.20), ("womens_union", 0.10)]
RECEIVER_KINDS = ["social_protection", "ngo_shelter", "legal_aid"]
CASEWORKERS_PER_AGENCY = 12

FAMILY = [("Nguyễn", 38), ("Trần", 11), ("Lê", 9.5), ("Phạm", 7), ("Hoàng", 5), ("Phan", 4.5), ("Vũ", 3.9),
          ("Đặng", 2.1), ("Bùi", 2), ("Đỗ", 1.4), ("Hồ", 1.3), ("Ngô", 1.3), ("Dương", 1), ("Lý", 0.5),
          ("Giàng", 2.5), ("Vàng", 2), ("Sùng", 1.5), ("Thào", 1.5), ("Lù", 1), ("Mùa", 1), ("Lò", 1),
          ("Triệu", 1), ("Tẩn", 0.5), ("Hà", 1)]
MIDDLE_F = [("Thị", 80), ("Ngọc", 5), ("Thu", 4), ("Hồng", 4), ("Mai", 3), ("Kim", 4)]
MIDDLE_M = [("Văn", 75), ("Minh", 8), ("Đức", 7), ("Quang", 5), ("A", 5)]
GIVEN_F = "Mai Lan Hoa Hương Linh Trang Thảo Hằng Nga Huyền Dung Phương Yến Vân Chi Ly Dợ Mỷ Sua Pằng Xuân Thu Hà Nhung Loan Tuyết Mỵ Sinh Châu Diệu".split()
GIVEN_M = "Nam Hùng Dũng Tuấn Minh Long Sơn Hải Phong Quân Seo Chứ Páo Dinh Tùng Khánh Bình Cường Thắng".split()
ETHNICITY = [("kinh", 45), ("hmong", 20), ("dao", 8), ("tay", 7), ("thai", 6), ("nung", 3), ("giay", 2), ("muong", 3),
             ("ha_nhi", 1), ("phu_la", 1), ("other", 2), ("unknown", 2)]
IDENTIFIED_AT = [("land_border", 60), ("inland", 15), ("abroad", 12), ("airport", 8), ("sea", 5)]
EXPLOITATION = [("forced_marriage", 40), ("sexual_exploitation", 30), ("forced_labour", 20), ("forced_criminality", 3),
                ("begging", 2), ("illegal_adoption", 1), ("organ_removal", 0.5), ("other", 3.5)]
DESTINATIONS = [("CN", 75), ("LA", 8), ("KH", 8), ("MY", 3), ("TH", 3), ("", 3)]
RETURN_MODES = [("border_handover", 55), ("rescued", 20), ("self_returned", 20), ("diplomatic_mission", 5)]
CATEGORIES = [("victim", 78), ("under_identification", 8), ("accompanying_minor", 9), ("relative", 5)]
FIRST_YEAR, LAST_YEAR = 2006, 2025


def log(*parts: object) -> None:
    print(*parts, flush=True)


def load_average() -> str:
    return " ".join(f"{x:.2f}" for x in os.getloadavg())


# --- environment ---------------------------------------------------------------------------------

def set_environment(db_url: str) -> None:
    VAR.mkdir(parents=True, exist_ok=True)
    os.environ["DATABASE_URL"] = db_url
    os.environ["HAVEN_VAR_DIR"] = str(VAR)
    os.environ["HAVEN_REQUIRE_2FA"] = "false"
    os.environ.setdefault("HAVEN_LOG_LEVEL", "ERROR")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "haven.settings")


def haven(*args: str) -> None:
    subprocess.run([str(VENV_BIN / "haven"), *args], check=True, cwd=ROOT)


def prepare_database(db_url: str) -> None:
    import psycopg

    name = db_url.rsplit("/", 1)[1]
    admin = db_url.rsplit("/", 1)[0] + "/postgres"
    with psycopg.connect(admin, autocommit=True) as conn:
        if not conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone():
            conn.execute(f'CREATE DATABASE "{name}"')
            log(f"created database {name}")
    if not (VAR / "keys.json").exists():
        haven("keys", "init")
    haven("migrate", "-v0")
    with psycopg.connect(db_url) as conn:
        if not conn.execute("SELECT 1 FROM geo_adminunit WHERE level = 'province'").fetchone():
            haven("geo", "load")


def setup_django() -> None:
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()


# --- synthetic data ------------------------------------------------------------------------------

def _choice(rng: np.random.Generator, pairs: list[tuple[str, float]], n: int) -> np.ndarray:
    values = np.array([v for v, _w in pairs], dtype=object)
    weights = np.array([w for _v, w in pairs], dtype=float)
    return rng.choice(values, size=n, p=weights / weights.sum())


def _case_count() -> int:
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("SELECT count(*) FROM cases_case")
        return int(cursor.fetchone()[0])


def wipe() -> None:
    from django.db import connection

    tables = ["consent_consentrecord", "referrals_referral", "cases_nametoken", "cases_personidentity",
              "cases_signoff", "cases_breakglass", "cases_case", "cases_person"]
    with connection.cursor() as cursor:
        cursor.execute("SELECT tablename FROM pg_tables WHERE schemaname = 'public'")
        existing = {r[0] for r in cursor.fetchall()}
        # Everything that points at cases goes with them (CASCADE), as do the bench's accounts.
        cursor.execute("TRUNCATE " + ", ".join(t for t in tables if t in existing) + " RESTART IDENTITY CASCADE")
        cursor.execute("DELETE FROM accounts_user WHERE username LIKE 'bench.%%'")
        cursor.execute("DELETE FROM accounts_agency WHERE name LIKE 'Bench %%'")


def agency_layout(agencies: int) -> list[tuple[str, str, float]]:
    """The owning agencies as (province, kind, share of all cases).

    24 or fewer: one agency per province and kind (the worst case: caseloads of up to ~160,000 cases
    at 1,000,000). More: the number is spread over the provinces and kinds by their shares (at least
    one each), and the agencies of one province and kind get unequal shares (log-normal), like real
    border posts, district police and centres: at 800 agencies and 1,000,000 cases, caseloads of a few
    hundred to a few thousand. A separate random stream, so the cases of the 24-agency layout do not
    change.
    """
    pairs = [(p, k, ps * ks) for p, ps in PROVINCES for k, ks in OWNER_KINDS]
    if agencies <= len(pairs):
        return pairs
    total = sum(w for _p, _k, w in pairs)
    exact = [agencies * w / total for _p, _k, w in pairs]
    counts = [max(1, int(x)) for x in exact]
    for i in sorted(range(len(pairs)), key=lambda i: int(exact[i]) - exact[i]):  # largest remainders first
        if sum(counts) >= agencies:
            break
        counts[i] += 1
    rng = np.random.default_rng(SEED + 1)
    layout = []
    for (province, kind, weight), count in zip(pairs, counts, strict=True):
        shares = rng.lognormal(0.0, 0.6, count)
        layout += [(province, kind, weight * s / shares.sum()) for s in shares]
    return layout


def make_agencies_and_users(agencies: int = 24, caseworkers: int = CASEWORKERS_PER_AGENCY) -> dict:
    """Agencies in each province, a supervisor and caseworkers in each agency that owns cases."""
    from django.contrib.auth.hashers import make_password

    from haven.accounts.models import Agency, User
    from haven.geo.models import AdminUnit

    password = make_password(PASSWORD)  # hashed once: every bench account shares the synthetic password
    plan: dict = {"owners": [], "weights": [], "receivers": {}, "workers": {}, "supervisors": {}, "units": {}}
    layout = agency_layout(agencies)
    for code, _share in PROVINCES:
        province = AdminUnit.objects.get(code=code)
        communes = list(AdminUnit.objects.filter(level="commune", parent__parent=province).values_list("pk", flat=True))
        communes += list(AdminUnit.objects.filter(level="commune", parent=province).values_list("pk", flat=True))
        plan["units"][code] = (province.pk, communes)
        mine = [(kind, weight) for p, kind, weight in layout if p == code]
        for number, (kind, weight) in enumerate(mine):
            name = f"Bench {kind} {code}" if len(layout) <= 24 else f"Bench {kind} {code} {number + 1}"
            agency = Agency.objects.create(name=name, kind=kind, jurisdiction=province)
            plan["owners"].append((code, kind, agency.pk))
            plan["weights"].append(weight)
            sup = User(username=f"bench.sup.{agency.pk}", role="supervisor", agency=agency, password=password)
            workers = [User(username=f"bench.cw.{agency.pk}.{i}", role="caseworker", agency=agency, password=password)
                       for i in range(caseworkers)]
            User.objects.bulk_create([sup, *workers])
            plan["supervisors"][agency.pk] = User.objects.get(username=sup.username).pk
            plan["workers"][agency.pk] = list(User.objects.filter(username__startswith=f"bench.cw.{agency.pk}.")
                                              .order_by("pk").values_list("pk", flat=True))
        # Receiving agencies: one of each kind, or about one for ten owning agencies of the province.
        receivers = max(1, round(len(mine) / 10))
        for kind in RECEIVER_KINDS:
            for number in range(receivers):
                name = f"Bench {kind} receiving {code}" + (f" {number + 1}" if receivers > 1 else "")
                agency = Agency.objects.create(name=name, kind=kind, jurisdiction=province)
                plan["receivers"].setdefault(code, []).append((kind, agency.pk))
                User.objects.create(username=f"bench.sup.{agency.pk}", role="supervisor", agency=agency,
                                    password=password)
    return plan


class Sealer:
    """The project's sealing and blind indexes (haven.core.crypto), with the AES-GCM object built once."""

    def __init__(self) -> None:
        from cryptography.hazmat.primitives.ciphers.aead import AESGCM

        from haven.core import crypto

        self.crypto = crypto
        self.ring = crypto.keyring()
        self.aes = AESGCM(self.ring.key(self.ring.active))
        self.prefix = f"{crypto.PREFIX}:{self.ring.active}:"
        self._bidx: dict[tuple[str, str], str] = {}

    def seal(self, text: str, context: str) -> str:
        import base64

        nonce = secrets.token_bytes(12)
        body = self.aes.encrypt(nonce, text.encode(), context.encode())
        return self.prefix + base64.b64encode(nonce + body).decode("ascii")

    def bidx(self, value: str, purpose: str) -> str:
        key = (value, purpose)
        found = self._bidx.get(key)
        if found is None:
            found = self._bidx[key] = self.crypto.blind_index(value, purpose=purpose, ring=self.ring)
        return found


def _copy(cursor, table: str, columns: list[str], rows) -> None:  # type: ignore[no-untyped-def]
    with cursor.copy(f"COPY {table} ({', '.join(columns)}) FROM STDIN") as copy:
        for row in rows:
            copy.write_row(row)


def generate(n: int, batch: int = 100_000, agencies: int = 24, caseworkers: int = CASEWORKERS_PER_AGENCY) -> float:
    """Fill the database with n cases owned by `agencies` agencies. Returns the seconds taken."""
    from django.db import connection, transaction

    from haven.core.text import name_tokens, normalise_name

    started = time.perf_counter()
    wipe()
    plan = make_agencies_and_users(agencies, caseworkers)
    sealer = Sealer()
    rng = np.random.default_rng(SEED)
    empty = {ctx: sealer.seal("", ctx) for ctx in (
        "cases.personidentity.other_names", "cases.personidentity.date_of_birth", "cases.personidentity.id_number",
        "cases.personidentity.phone", "cases.personidentity.address", "cases.personidentity.family_contacts",
        "cases.personidentity.notes", "cases.case.not_victim_reason", "cases.case.closure_reason",
        "consent.consentrecord.guardian_name", "consent.consentrecord.witness_name", "consent.consentrecord.note",
        "referrals.referral.response_note", "referrals.referral.consent_override_reason",
        "referrals.referral.cancel_reason", "referrals.referral.outcome")}
    owners = plan["owners"]
    owner_weights = np.array(plan["weights"])
    now = dt.datetime.now(dt.UTC).isoformat()
    code_alphabet = np.array(list("ABCDEFGHJKLMNPQRSTUVWXYZ23456789"))
    used_codes: set[str] = set()
    referral_id = consent_id = token_id = 0
    raw = connection.connection
    for start in range(0, n, batch):
        m = min(batch, n - start)
        ids = np.arange(start + 1, start + m + 1)
        # When: more cases in later years (a growing caseload), days spread over the year.
        years = rng.choice(np.arange(FIRST_YEAR, LAST_YEAR + 1), size=m,
                           p=(w := np.linspace(1, 3, LAST_YEAR - FIRST_YEAR + 1)) / w.sum())
        received = np.array([np.datetime64(f"{y}-01-01") for y in years]) + rng.integers(0, 365, m)
        category = _choice(rng, CATEGORIES, m)
        sex = np.where(rng.random(m) < 0.86, "female", np.where(rng.random(m) < 0.93, "male", "unknown"))
        age = np.where(rng.random(m) < 0.27, rng.integers(10, 18, m), rng.integers(18, 45, m))
        age = np.where(category == "accompanying_minor", rng.integers(0, 12, m), age)
        age_known = rng.random(m) < 0.9
        birth_year = years - age
        ethnicity = _choice(rng, ETHNICITY, m)
        nationality = np.where(rng.random(m) < 0.97, "VN", "CN")
        owner = rng.choice(len(owners), size=m, p=owner_weights / owner_weights.sum())
        identified_gap = rng.integers(3, 60, m)
        identified_on = received + identified_gap
        is_victim = category == "victim"
        old = years < LAST_YEAR - 1
        status = np.where(old, "closed", rng.choice(
            np.array(["reception", "verification", "identified", "support", "reintegration", "closed"]), size=m,
            p=[0.1, 0.15, 0.15, 0.3, 0.15, 0.15]))
        status = np.where(~is_victim & np.isin(status, ["identified", "support", "reintegration"]), "verification",
                          status)
        identified_at = _choice(rng, IDENTIFIED_AT, m)
        exploitation = _choice(rng, EXPLOITATION, m)
        destination = _choice(rng, DESTINATIONS, m)
        return_mode = _choice(rng, RETURN_MODES, m)
        family = _choice(rng, FAMILY, m)
        middle = np.where(sex == "female", _choice(rng, MIDDLE_F, m), _choice(rng, MIDDLE_M, m))
        given = np.where(sex == "female", rng.choice(GIVEN_F, m), rng.choice(GIVEN_M, m))
        has_dob = rng.random(m) < 0.4
        has_id = rng.random(m) < 0.35
        id_numbers = rng.integers(10**11, 10**12 - 1, m)
        codes = []
        for y in years:
            while True:
                code = f"HV-{y % 100:02d}-" + "".join(rng.choice(code_alphabet, 6))
                if code not in used_codes:
                    used_codes.add(code)
                    codes.append(code)
                    break
        persons, identities, tokens, cases = [], [], [], []
        for i in range(m):
            pid = int(ids[i])
            full_name = f"{family[i]} {middle[i]} {given[i]}"
            name = normalise_name(full_name)
            dob = f"{birth_year[i]}-{rng.integers(1, 13):02d}-{rng.integers(1, 29):02d}" if has_dob[i] else ""
            id_number = str(id_numbers[i]) if has_id[i] else ""
            persons.append((pid, sex[i], int(birth_year[i]) if age_known[i] else None, ethnicity[i],
                            nationality[i], "[]", now))
            identities.append((
                pid, pid, sealer.seal(full_name, "cases.personidentity.full_name"),
                empty["cases.personidentity.other_names"],
                sealer.seal(dob, "cases.personidentity.date_of_birth") if dob
                else empty["cases.personidentity.date_of_birth"],
                sealer.seal(id_number, "cases.personidentity.id_number") if id_number
                else empty["cases.personidentity.id_number"],
                empty["cases.personidentity.phone"], empty["cases.personidentity.address"],
                empty["cases.personidentity.family_contacts"], empty["cases.personidentity.notes"],
                sealer.crypto.blind_index(id_number, purpose="id_number", ring=sealer.ring) if id_number else "",
                sealer.bidx(name, "name"),
                sealer.crypto.blind_index(f"{name}|{dob}", purpose="name_dob", ring=sealer.ring) if dob else "",
            ))
            for token in name_tokens(full_name):
                token_id += 1
                tokens.append((token_id, pid, sealer.bidx(token, "name_token")))
            province, _kind, agency = owners[owner[i]]
            province_pk, communes = plan["units"][province]
            unit = (int(rng.choice(communes)) if communes and rng.random() < 0.7 else province_pk) \
                if rng.random() < 0.9 else None
            workers = plan["workers"][agency]
            worker = workers[int(rng.integers(0, len(workers)))]
            ident = str(identified_on[i]) if is_victim[i] and status[i] not in ("reception", "verification") else None
            if is_victim[i] and status[i] == "closed" and rng.random() < 0.1:
                ident = None  # closed before identification
            cases.append((
                pid, codes[i], category[i], status[i], str(received[i]), f"Reception point {province}",
                return_mode[i], identified_at[i] if ident else "", int(age[i]) if age_known[i] else None,
                json.dumps([exploitation[i]]) if ident else "[]", destination[i], "[]", ident, "", "",
                empty["cases.case.not_victim_reason"],
                str(received[i] + 180) if status[i] == "closed" else None, empty["cases.case.closure_reason"],
                now, now, worker, worker, agency, agency, unit, pid,
            ))
        # Referrals: 12% of cases, to a receiving agency of the same province; most accepted, with consent.
        referred = np.flatnonzero(rng.random(m) < 0.12)
        referrals, consents = [], []
        for i in referred:
            province, _kind, agency = owners[owner[i]]
            kind, to_agency = plan["receivers"][province][int(rng.integers(0, len(plan["receivers"][province])))]
            status_r = rng.choice(["accepted", "completed", "declined", "sent"], p=[0.55, 0.3, 0.1, 0.05])
            sent = f"{received[i] + 2}T09:00:00+07:00"
            referral_id += 1
            worker = cases[i][20]
            referrals.append((referral_id, sealer.seal("Support after return", "referrals.referral.purpose"),
                              '["essential_needs"]', '["full_name"]', status_r, str(received[i] + 12), sent,
                              sent if status_r != "sent" else None, empty["referrals.referral.response_note"],
                              int(ids[i]), agency, worker, worker, to_agency,
                              empty["referrals.referral.consent_override_reason"],
                              empty["referrals.referral.cancel_reason"], None, None, None, None,
                              empty["referrals.referral.outcome"]))
            consent_id += 1
            consents.append((consent_id, "sharing", kind, "given" if rng.random() < 0.9 else "refused", "person",
                             "signed_form", empty["consent.consentrecord.guardian_name"],
                             empty["consent.consentrecord.witness_name"], empty["consent.consentrecord.note"],
                             sent, str(received[i] + 2), int(ids[i]), worker))
        with transaction.atomic(), raw.cursor() as cursor:
            cursor.execute("SET LOCAL synchronous_commit = off")
            _copy(cursor, "cases_person", ["id", "sex", "birth_year", "ethnicity", "nationality", "languages",
                                           "created_at"], persons)
            _copy(cursor, "cases_personidentity", [
                "id", "person_id", "full_name", "other_names", "date_of_birth", "id_number", "phone", "address",
                "family_contacts", "notes", "id_number_bidx", "name_bidx", "name_dob_bidx"], identities)
            _copy(cursor, "cases_nametoken", ["id", "person_id", "token_bidx"], tokens)
            _copy(cursor, "cases_case", [
                "id", "code", "category", "status", "received_on", "reception_place", "return_mode", "identified_at",
                "age_at_reception", "exploitation_types", "destination_country", "means_of_control", "identified_on",
                "identification_authority", "identification_document", "not_victim_reason", "closed_on",
                "closure_reason", "created_at", "updated_at", "assigned_worker_id", "created_by_id",
                "owner_agency_id", "receiving_agency_id", "reception_unit_id", "person_id"], cases)
            _copy(cursor, "referrals_referral", [
                "id", "purpose", "items", "fields_shared", "status", "due_on", "sent_at", "responded_at",
                "response_note", "case_id", "from_agency_id", "sent_by_id", "responded_by_id", "to_agency_id",
                "consent_override_reason", "cancel_reason", "cancelled_at", "cancelled_by_id", "completed_at",
                "completed_by_id", "outcome"], referrals)
            _copy(cursor, "consent_consentrecord", [
                "id", "purpose", "agency_kind", "decision", "given_by", "method", "guardian_name", "witness_name",
                "note", "recorded_at", "effective_on", "person_id", "recorded_by_id"], consents)
        log(f"  {start + m:>9,} cases  {time.perf_counter() - started:7.1f} s")
    with connection.cursor() as cursor:
        for table in ("cases_person", "cases_personidentity", "cases_nametoken", "cases_case", "referrals_referral",
                      "consent_consentrecord"):
            cursor.execute(f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), (SELECT max(id) FROM {table}))")
        cursor.execute("VACUUM ANALYZE")  # visibility map and statistics, as autovacuum would leave them
    return time.perf_counter() - started


# --- statistics ----------------------------------------------------------------------------------

def time_statistics(runs: int, year: int) -> list[dict]:
    from django.db import connection, reset_queries
    from django.test.utils import CaptureQueriesContext

    from haven.accounts.models import User
    from haven.geo.models import AdminUnit
    from haven.reports import publication
    from haven.reports.services import Request, statistics_run
    from haven.reports.statistics import TABLES, Period, compute_many

    user = User.objects.filter(username__startswith="bench.sup.").first()
    scenarios = [
        ("national, one year", Period.year(year), None),
        ("Lào Cai (2025 province: Lào Cai + Yên Bái), one year", Period.year(year),
         AdminUnit.objects.get(code="lao-cai-2025")),
        ("Nghệ An, one year", Period.year(year), AdminUnit.objects.get(code="nghe-an")),
        (f"national, ten years {year - 9}–{year}", Period(dt.date(year - 9, 1, 1), dt.date(year, 12, 31)), None),
    ]
    results = []
    working = []
    for code in TABLES:  # a table that fails (the statistics are still being finished) is reported and left out
        try:
            statistics_run(acting_user=user, channel="cli", request=Request(
                [code], Period.year(year), None, publication.THRESHOLD, publication.default_k(), None))
            working.append(code)
        except Exception as exc:  # noqa: BLE001 - reported, not hidden
            log(f"  table {code} FAILED and is left out: {type(exc).__name__}: {exc}")
    for label, period, province in scenarios:
        request = Request(working, period, province, publication.THRESHOLD, publication.default_k(), None)
        times = []
        for _ in range(runs):
            reset_queries()
            with CaptureQueriesContext(connection) as captured:
                t0 = time.perf_counter()
                tables = statistics_run(acting_user=user, request=request, channel="cli")
                times.append(time.perf_counter() - t0)
        total = sum(r["totals"]["total"]["value"] or 0 for r in tables[:1] if r.get("totals"))
        db_times = []  # the database part alone (the exact tables), to tell it from disclosure control
        for _ in range(min(runs, 3)):
            t0 = time.perf_counter()
            compute_many(working, period, province)  # as statistics_run does: one pass for all count tables
            db_times.append(time.perf_counter() - t0)
        slowest = None
        if stats.median(db_times) > 1.0:
            slowest = _slowest_plan(captured)
        results.append({"scenario": label, "tables": len(tables), "queries": len(captured), "persons": total,
                        "median_s": stats.median(times), "max_s": max(times), "db_median_s": stats.median(db_times),
                        "plan": slowest})
        log(f"  {label}: {len(tables)} tables, {len(captured)} queries, median {stats.median(times):.3f} s, "
            f"max {max(times):.3f} s; of which the exact tables (database) median {stats.median(db_times):.3f} s "
            f"(identified persons in the first table: {total:,})")
        if slowest:
            log(slowest)
    return results


def _slowest_plan(captured) -> str:  # type: ignore[no-untyped-def]
    from django.db import connection, transaction

    worst = max(captured.captured_queries, key=lambda q: float(q["time"]))
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("SET LOCAL jit = off")  # as haven.reports.statistics runs it
        cursor.execute("SET LOCAL work_mem = '64MB'")
        cursor.execute("EXPLAIN (ANALYZE, BUFFERS, FORMAT TEXT) " + worst["sql"])
        plan = "\n".join(r[0] for r in cursor.fetchall())
    return f"  slowest query ({float(worst['time']):.3f} s):\n    {worst['sql'][:400]}…\n" + \
        "\n".join("    " + line for line in plan.splitlines()[:40])


# --- load test -----------------------------------------------------------------------------------

def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


# The server's own time per request (gunicorn's %(D)s, microseconds), to tell time spent in Haven from time
# spent waiting for the load tool, which shares the cores.
ACCESS_FORMAT = "%(m)s %(U)s %(q)s %(s)s %(D)s"


def start_server(port: int, workers: int, threads: int, access_log: Path | None = None
                 ) -> tuple[subprocess.Popen, str]:
    gunicorn = VENV_BIN / "gunicorn"
    if gunicorn.exists():
        cmd = [str(gunicorn), "haven.wsgi:application", "--bind", f"127.0.0.1:{port}", "--workers", str(workers),
               "--threads", str(threads), "--worker-class", "gthread", "--log-level", "warning", "--timeout", "60"]
        if access_log is not None:
            cmd += ["--access-logfile", str(access_log), "--access-logformat", ACCESS_FORMAT]
        what = f"gunicorn, {workers} workers × {threads} threads (gthread)"
    else:
        cmd = [str(VENV_BIN / "haven"), "runserver", "--noreload", f"127.0.0.1:{port}"]
        what = "Django's runserver (threaded), as gunicorn is not installed"
    server = subprocess.Popen(cmd, cwd=ROOT, env=os.environ.copy(), start_new_session=True)
    for _ in range(120):
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=0.5):
                return server, what
        except OSError:
            time.sleep(0.5)
    server.kill()
    raise SystemExit("the server did not start")


def pick_users(n: int) -> list[dict]:
    """A fifth receiving agencies (their list: accepted referrals), then half supervisors (their agency's
    caseload) and half caseworkers (their own cases), from the busiest agencies down."""
    from django.conf import settings
    from django.db.models import Count
    from django.test import Client

    from haven.accounts.models import User
    from haven.cases.models import Case
    from haven.referrals.models import Referral

    by_agency = list(Case.objects.values("owner_agency_id").annotate(n=Count("id")).order_by("-n")
                     .values_list("owner_agency_id", "n"))
    receivers = list(Referral.objects.filter(status="accepted").values("to_agency_id").annotate(n=Count("id"))
                     .order_by("-n").values_list("to_agency_id", "n"))
    n_receivers = n // 5 if receivers else 0
    chosen: list[tuple[Any, str, int]] = []
    for i in range(n_receivers):
        agency, count = receivers[i % len(receivers)]
        chosen.append((User.objects.get(username=f"bench.sup.{agency}"), "receiving agency", count))
    owners = n - n_receivers
    for i in range(owners):
        agency, count = by_agency[i % len(by_agency)]
        if i < owners // 2:
            chosen.append((User.objects.get(username=f"bench.sup.{agency}"), "supervisor", count))
        else:
            workers = list(User.objects.filter(agency_id=agency, role="caseworker").order_by("pk"))
            user = workers[i % len(workers)]
            chosen.append((user, "caseworker", Case.objects.filter(assigned_worker_id=user.pk).count()))
    users = []
    for user, kind, caseload in chosen:
        # Signed in the way the login page does it, without paying the password hash twenty times over on a
        # busy two-core machine: a session created for the user (2FA is off for the bench server).
        client = Client()
        client.force_login(user)
        users.append({"username": user.username, "role": user.role, "kind": kind, "caseload": caseload,
                      "session": client.cookies[settings.SESSION_COOKIE_NAME].value})
    return users


def load_test(users: list[dict], duration: int, workers: int, threads: int, think: bool = True) -> dict:
    port = _free_port()
    out_dir = Path(tempfile.mkdtemp(prefix="haven-load-"))
    access_log = out_dir / "access.log"
    server, what = start_server(port, workers, threads, access_log)
    (out_dir / "users.json").write_text(json.dumps({"password": PASSWORD, "users": users, "think": think}))
    env = {**os.environ, "HAVEN_BENCH_USERS": str(out_dir / "users.json")}
    try:
        # Warm up the workers (imports, template loading, connections) before measuring.
        subprocess.run([str(VENV_BIN / "locust"), "-f", str(ROOT / "bench" / "load_cases.py"), "--headless",
                        "-u", str(len(users)), "-r", str(len(users)), "-t", "10s", "--host",
                        f"http://127.0.0.1:{port}", "--only-summary", "--loglevel", "WARNING"],
                       cwd=ROOT, env=env, check=False, capture_output=True)
        load_before = load_average()
        if access_log.exists():
            access_log.write_text("")  # the warm-up's requests are not counted (gunicorn appends)
        subprocess.run([str(VENV_BIN / "locust"), "-f", str(ROOT / "bench" / "load_cases.py"), "--headless",
                        "-u", str(len(users)), "-r", str(len(users)), "-t", f"{duration}s", "--host",
                        f"http://127.0.0.1:{port}", "--csv", str(out_dir / "run"), "--only-summary",
                        "--loglevel", "WARNING"], cwd=ROOT, env=env, check=False)
        load_after = load_average()
    finally:
        os.killpg(server.pid, signal.SIGTERM)
        try:
            server.wait(timeout=30)
        except subprocess.TimeoutExpired:  # workers stuck in long requests: end them
            os.killpg(server.pid, signal.SIGKILL)
            server.wait(timeout=30)
    rows = {}
    with open(out_dir / "run_stats.csv", newline="") as f:
        for row in csv.DictReader(f):
            rows[row["Name"]] = row
    return {"server": what, "rows": rows, "load_before": load_before, "load_after": load_after, "think": think,
            "server_side": server_times(access_log)}


def server_times(access_log: Path) -> dict[str, dict[str, float]]:
    """p50/p95/p99 of the server's own time (ms) per kind of request, from gunicorn's access log."""
    times: dict[str, list[float]] = {}
    if not access_log.exists():
        return {}
    for line in access_log.read_text().splitlines():
        parts = line.split(" ")
        if len(parts) != 5 or parts[0] != "GET":
            continue
        _method, path, query, _status, micros = parts
        kind = ("floor: login page" if path.startswith("/accounts/login") else
                "case search" if "q=" in query else "case list" if path == "/cases/" else "")
        if kind:
            times.setdefault(kind, []).append(int(micros) / 1000)
    result = {}
    for kind, values in times.items():
        values.sort()
        result[kind] = {"count": len(values), **{f"p{q}": values[min(len(values) - 1, int(len(values) * q / 100))]
                                                  for q in (50, 95, 99)}}
    return result


def print_load(result: dict, duration: int) -> None:
    log(f"  server: {result['server']}; think time {'0.5–1.5 s' if result['think'] else 'none'}; "
        f"load average before {result['load_before']}, after {result['load_after']}")
    if result.get("server_side"):
        log("  time inside the server (gunicorn's own measure, all users):")
        for kind, row in sorted(result["server_side"].items()):
            log(f"    {kind:<38} {row['count']:>7}  p50 {row['p50']:>6.1f} ms  p95 {row['p95']:>6.1f} ms  "
                f"p99 {row['p99']:>6.1f} ms")
    log(f"  {'request':<40} {'count':>7} {'fail':>5} {'req/s':>7} {'p50 ms':>7} {'p95 ms':>7} {'p99 ms':>7}")
    for name, row in result["rows"].items():
        log(f"  {name:<40} {row['Request Count']:>7} {row['Failure Count']:>5} {float(row['Requests/s']):>7.1f} "
            f"{row['50%']:>7} {row['95%']:>7} {row['99%']:>7}")


# --- main ----------------------------------------------------------------------------------------

def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--cases", type=int, default=1_000_000)
    parser.add_argument("--users", type=int, default=20)
    parser.add_argument("--duration", type=int, default=60, help="seconds of load")
    parser.add_argument("--runs", type=int, default=5, help="runs of each statistics scenario")
    parser.add_argument("--year", type=int, default=2024)
    parser.add_argument("--db", default=DEFAULT_DB)
    parser.add_argument("--regenerate", action="store_true")
    parser.add_argument("--agencies", type=int, default=24,
                        help="owning agencies when generating (24: the worst case, one per province and kind; "
                             "800: caseloads of a few hundred to a few thousand)")
    parser.add_argument("--caseworkers", type=int, default=None,
                        help="caseworkers per owning agency (default 12 with 24 agencies, else 4)")
    parser.add_argument("--workers", type=int, default=4, help="gunicorn worker processes (4 × 2 threads gave the best p95 on 2 cores: the GIL)")
    parser.add_argument("--threads", type=int, default=2, help="threads per gunicorn worker")
    parser.add_argument("--skip-statistics", action="store_true")
    parser.add_argument("--skip-load", action="store_true")
    parser.add_argument("--no-think", action="store_true", help="load users loop without the 0.5–1.5 s think time")
    parser.add_argument("--json", help="write the results here")
    args = parser.parse_args()

    set_environment(args.db)
    log(f"Haven reports benchmark — {platform.processor() or platform.machine()}, {os.cpu_count()} cores, "
        f"Python {platform.python_version()}; load average {load_average()}")
    prepare_database(args.db)
    setup_django()
    results: dict = {"cases": args.cases, "cpu_count": os.cpu_count()}
    have = _case_count()
    if have == args.cases and not args.regenerate:
        log(f"1. The database already holds {have:,} cases: generation skipped (--regenerate to redo).")
    else:
        log(f"1. Generating {args.cases:,} synthetic cases (database held {have:,}) …")
        caseworkers = args.caseworkers or (CASEWORKERS_PER_AGENCY if args.agencies <= 24 else 4)
        seconds = generate(args.cases, agencies=args.agencies, caseworkers=caseworkers)
        results["generation_s"] = seconds
        log(f"   generated in {seconds:.1f} s")
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("SELECT (SELECT count(*) FROM cases_case), (SELECT count(*) FROM referrals_referral), "
                       "(SELECT count(*) FROM cases_nametoken), pg_size_pretty(pg_database_size(current_database()))")
        n_cases, n_referrals, n_tokens, size = cursor.fetchone()
    log(f"   {n_cases:,} cases, {n_referrals:,} referrals, {n_tokens:,} name tokens; database {size}")
    if not args.skip_statistics:
        log(f"2. Annual statistics, public mode (threshold k=5, all tables), {args.runs} runs each; "
            f"load average {load_average()}")
        results["statistics"] = time_statistics(args.runs, args.year)
    if not args.skip_load:
        users = pick_users(args.users)
        for kind in ("supervisor", "caseworker", "receiving agency"):
            loads = [u["caseload"] for u in users if u["kind"] == kind]
            if loads:
                log(f"   {len(loads)} × {kind}: lists of {min(loads):,}–{max(loads):,} cases")
        log(f"3. Load test: {len(users)} users, {args.duration} s")
        connection.close()
        result = load_test(users, args.duration, args.workers, args.threads, think=not args.no_think)
        print_load(result, args.duration)
        results["load"] = result
    if args.json:
        Path(args.json).write_text(json.dumps(results, indent=2, default=str))


if __name__ == "__main__":
    main()

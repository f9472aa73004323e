"""Benchmark: import N synthetic historical cases from one CSV file, through the real import job.

    .venv/bin/python bench/imports.py [--rows 100000] [--format csv|xlsx]
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/bench_imports .venv/bin/python bench/imports.py

Builds a throw-away database (SQLite file under a temporary directory unless DATABASE_URL is set: then
that database is flushed first, so never point it at real data), an agency and a supervisor, writes a
file of synthetic rows (fictitious names, unique ID numbers) and runs the import job in this process.
Prints rows per second for the checking phase, the writing phase and in total. Target: 100,000 rows in
under 60 s (issue 6 part 8).
"""

from __future__ import annotations

import argparse
import csv
import datetime as dt
import io
import json
import os
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
ROOT_TMP = tempfile.mkdtemp(prefix="haven-bench-imports-")
os.environ.setdefault("HAVEN_VAR_DIR", ROOT_TMP)
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "haven.settings")
if "HAVEN_KEYS" not in os.environ:
    from haven.core.crypto import new_keyring_document

    os.environ["HAVEN_KEYS"] = json.dumps(new_keyring_document())

FAMILY = ["Giàng", "Sùng", "Thào", "Vàng", "Lý", "Nguyễn", "Trần", "Lò", "Hoàng", "Đặng"]
MIDDLE = ["Thị", "Văn", "Seo", "A", "Mí", "Thị Thu"]
GIVEN = ["Mỷ", "Ngọc", "Hoa", "Sính", "Dở", "Lan", "Mai", "Páo", "Chứ", "Xuân", "Hương", "Dua"]
HEADER = ["source_ref", "full_name", "sex", "date_of_birth", "id_number", "ethnicity", "category", "received_on",
          "reception_place", "return_mode", "exploitation_types", "destination_country", "means_of_control"]


def make_rows(n: int) -> list[list[str]]:
    rows = []
    for i in range(n):
        name = f"{FAMILY[i % 10]} {MIDDLE[i % 6]} {GIVEN[i % 12]} {GIVEN[(i // 12) % 12]}"
        rows.append([f"B-{i:07d}", name, "female" if i % 5 else "male", (dt.date(1975, 1, 1) + dt.timedelta(days=i % 9973)).isoformat(),
                     f"9{i:011d}", ["hmong", "dao", "kinh", "tay"][i % 4], "victim",
                     f"20{15 + i % 9}-0{1 + i % 9}-0{1 + i % 9}", "Cửa khẩu Lào Cai", "border_handover",
                     ["forced_marriage", "forced_labour", "sexual_exploitation"][i % 3], "CN", "threats;debt_bondage"])
    return rows


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rows", type=int, default=100_000)
    parser.add_argument("--format", choices=("csv", "xlsx"), default="csv")
    args = parser.parse_args()

    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection

    from haven.accounts.models import Agency, Role, User
    from haven.exchange import jobs
    from haven.exchange.importer import import_submit
    from haven.geo.models import AdminUnit

    call_command("migrate", verbosity=0)
    if connection.vendor == "postgresql":
        call_command("flush", interactive=False, verbosity=0)
    province, _ = AdminUnit.objects.get_or_create(code="lao-cai", defaults={
        "name": "Lào Cai", "name_ascii": "Lao Cai", "level": "province", "valid_from": dt.date(2004, 1, 1)})
    agency = Agency.objects.create(name="Đồn Biên phòng (bench)", kind="border_guard", jurisdiction=province)
    user = User.objects.create_user(username=f"bench{time.time_ns()}", password="x" * 20, agency=agency,
                                    role=Role.SUPERVISOR)
    rows = make_rows(args.rows)
    if args.format == "csv":
        buffer = io.StringIO()
        writer = csv.writer(buffer)
        writer.writerow(HEADER)
        writer.writerows(rows)
        content, name = buffer.getvalue().encode("utf-8"), "bench.csv"
    else:
        from openpyxl import Workbook

        book = Workbook(write_only=True)
        sheet = book.create_sheet()
        sheet.append(HEADER)
        for r in rows:
            sheet.append(r)
        out = io.BytesIO()
        book.save(out)
        content, name = out.getvalue(), "bench.xlsx"

    marks: dict[str, float] = {}

    def mark(job: object) -> None:
        done, total = job.done, job.total  # type: ignore[attr-defined]
        if done >= total // 2 and "checked" not in marks:
            marks["checked"] = time.perf_counter()

    job = import_submit(acting_user=user, content=content, filename=name, start=False)
    start = time.perf_counter()
    if os.environ.get("BENCH_PROFILE"):
        import cProfile
        import pstats

        profile = cProfile.Profile()
        profile.runcall(jobs.job_run, job.pk, after_chunk=mark)
        if os.environ["BENCH_PROFILE"].endswith(".prof"):  # BENCH_PROFILE=/tmp/x.prof keeps the whole profile
            profile.dump_stats(os.environ["BENCH_PROFILE"])
        pstats.Stats(profile).sort_stats("tottime").print_stats(25)
    else:
        jobs.job_run(job.pk, after_chunk=mark)
    end = time.perf_counter()
    job.refresh_from_db()
    assert job.status == "succeeded", (job.status, job.message, (job.report or {}).get("errors", [])[:3])
    checked = marks.get("checked", end) - start
    total = end - start
    print(f"database: {connection.vendor}; format: {args.format}; rows: {args.rows}")
    print(f"check: {checked:.1f} s ({args.rows / checked:,.0f} rows/s)")
    print(f"write: {total - checked:.1f} s ({args.rows / max(total - checked, 1e-9):,.0f} rows/s)")
    print(f"total: {total:.1f} s ({args.rows / total:,.0f} rows/s); created {job.report['created']} cases")


if __name__ == "__main__":
    main()

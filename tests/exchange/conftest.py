"""Exchange tests: jobs run inline (in the test's own transaction), and helpers to build case files."""

from __future__ import annotations

import csv
import io
from typing import Any

import pytest

from tests.api.conftest import api, openapi_schema, schema_checker  # noqa: F401

HEADER = ["source_ref", "full_name", "sex", "date_of_birth", "id_number", "ethnicity", "nationality", "category",
          "received_on", "reception_place", "return_mode", "exploitation_types", "destination_country",
          "means_of_control", "status", "identified_on"]


@pytest.fixture(autouse=True)
def inline_jobs(settings, tmp_path) -> None:  # noqa: ANN001
    settings.HAVEN_JOB_RUNNER = "inline"
    settings.VAR_DIR = tmp_path


def row(n: int, **over: Any) -> dict[str, Any]:
    values = {
        "source_ref": f"LC-2019-{n:04d}", "full_name": f"Giàng Thị Mỷ Số{n}", "sex": "female",
        "date_of_birth": "2001-04-0" + str(1 + n % 9), "id_number": f"0871{n:08d}", "ethnicity": "hmong",
        "nationality": "VN", "category": "victim", "received_on": "2019-07-03",
        "reception_place": "Cửa khẩu Kim Thành", "return_mode": "border_handover",
        "exploitation_types": "forced_marriage", "destination_country": "CN", "means_of_control": "threats",
        "status": "identified", "identified_on": "2019-07-20",
    }
    values.update(over)
    return values


def csv_bytes(rows: list[dict[str, Any]], header: list[str] | None = None) -> bytes:
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=header or HEADER, lineterminator="\n")
    writer.writeheader()
    writer.writerows(rows)
    return out.getvalue().encode("utf-8")

"""The administrative units: dated, idempotent, and the 2025 reform recorded as data."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from django.core.management import CommandError, call_command

from haven.geo.loader import GeoDataError, read_units
from haven.geo.models import AdminUnit, UnitLevel

REFORM = dt.date(2025, 7, 1)


def _load() -> str:
    out = io.StringIO()
    call_command("geo", "load", stdout=out)
    return out.getvalue()


def test_it_loads_the_lao_cai_units_with_their_parents(db):
    _load()
    y_ty = AdminUnit.objects.get(code="lao-cai/bat-xat/y-ty")
    assert y_ty.name == "Xã Y Tý" and y_ty.name_ascii == "Xa Y Ty"
    assert y_ty.parent.code == "lao-cai/bat-xat" and y_ty.province().code == "lao-cai"


def test_every_district_ends_the_day_before_the_reform(db):
    _load()
    districts = AdminUnit.objects.filter(level=UnitLevel.DISTRICT, code__startswith="lao-cai/")
    assert districts.count() == 9
    assert set(districts.values_list("valid_to", flat=True)) == {REFORM - dt.timedelta(days=1)}
    assert not AdminUnit.objects.valid_on(REFORM).filter(level=UnitLevel.DISTRICT).exists()


def test_the_merged_province_succeeds_lao_cai_and_yen_bai(db):
    _load()
    merged = AdminUnit.objects.get(code="lao-cai-2025")
    assert merged.valid_from == REFORM and merged.valid_to is None
    assert set(merged.predecessors.values_list("code", flat=True)) >= {"lao-cai", "yen-bai"}


def test_post_reform_communes_sit_directly_under_the_province(db):
    _load()
    communes = AdminUnit.objects.filter(code__startswith="lao-cai-2025/")
    assert communes.count() >= 5
    assert set(communes.values_list("parent__code", flat=True)) == {"lao-cai-2025"}
    assert all(c.valid_from == REFORM for c in communes)


def test_a_commune_that_keeps_its_name_points_at_its_successor(db):
    _load()
    assert AdminUnit.objects.get(code="lao-cai/muong-khuong/pha-long").successor.code == "lao-cai-2025/pha-long"


def test_loading_twice_changes_nothing(db):
    _load()
    count = AdminUnit.objects.count()
    assert "0 created, 0 updated" in _load()
    assert AdminUnit.objects.count() == count


def test_loading_repairs_an_edited_unit(db):
    _load()
    AdminUnit.objects.filter(code="lao-cai/bat-xat").update(valid_to=None, name="edited")
    assert "1 updated" in _load()
    assert AdminUnit.objects.get(code="lao-cai/bat-xat").name == "Huyện Bát Xát"


def test_other_provinces_are_bare_rows(db):
    _load()
    assert AdminUnit.objects.get(code="ha-giang").successor.code == "tuyen-quang-2025"
    assert AdminUnit.objects.get(code="nghe-an").valid_to is None
    assert not AdminUnit.objects.filter(parent__code="ha-noi").exists()


def test_a_missing_directory_is_a_command_error(db):
    with pytest.raises(CommandError, match="not a directory"):
        call_command("geo", "load", "--dir", "/nonexistent/haven-geo")


def test_a_malformed_unit_is_a_command_error_naming_it(db, tmp_path):
    (tmp_path / "bad.yaml").write_text(
        "units:\n  - {code: x, name: X, level: province, valid_from: 2020-01-01, valid_to: 2019-01-01}\n",
        encoding="utf-8",
    )
    with pytest.raises(CommandError, match="bad.yaml x: valid_to is before valid_from"):
        call_command("geo", "load", "--dir", str(tmp_path))


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("units:\n  - {code: x, name: X, level: canton, valid_from: 2020-01-01}\n", "level must be one of"),
        ("units:\n  - {code: x, name: X, level: province, valid_from: 2020-01-01, successor: y}\n", "successor 'y'"),
        ("units:\n  - {code: x, name: X, level: province, valid_from: 2020-01-01, colour: red}\n", "unknown keys"),
        ("units:\n  - {code: x, name: X, level: province, valid_from: 2020-01-01, communes: [{code: z, name: Z}]}\n",
         "starts with its parent's code"),
        ("units: [\n", "not valid YAML"),
    ],
)
def test_the_reader_rejects_bad_unit_files(tmp_path, text, message):
    (tmp_path / "units.yaml").write_text(text, encoding="utf-8")
    with pytest.raises(GeoDataError, match=message):
        read_units(tmp_path)

"""The 2020 national figures (legal reference §6) come out exactly in official mode."""

from __future__ import annotations

import pytest

from haven.reports import publication
from haven.reports.statistics import Period, compute

pytestmark = pytest.mark.django_db
YEAR = Period.year(2020)


def _row(table, code):
    return dict(zip([c for c, _l in table.rows.categories], table.cells, strict=True))[code]


def _col_totals(table):
    return dict(zip([c for c, _l in table.cols.categories], table.col_totals(), strict=True))


def test_121_identified_112_female_9_male(figures2020):
    table = compute("sex_age", YEAR)
    assert table.total() == 121
    assert sum(_row(table, "female")) == 112
    assert sum(_row(table, "male")) == 9


def test_32_children(figures2020):
    assert _col_totals(compute("sex_age", YEAR))["child"] == 32


def test_67_identified_at_land_borders_by_exploitation(figures2020):
    table = compute("identified_at_exploitation", YEAR)
    land = dict(zip([c for c, _l in table.cols.categories], _row(table, "land_border"), strict=True))
    assert sum(land.values()) == 67
    assert (land["sexual_exploitation"], land["forced_marriage"], land["illegal_adoption"]) == (4, 60, 3)


def test_referrals_25_20_19_3(figures2020):
    table = compute("referred_age", YEAR)
    totals = {code: sum(row) for (code, _l), row in zip(table.rows.categories, table.cells, strict=True)}
    assert (totals["social_protection"], totals["police"], totals["ngo"], totals["womens_union"]) == (25, 20, 19, 3)


def test_84_received_services(figures2020):
    assert sum(_row(compute("services_sex", YEAR), "yes")) == 84


def test_official_mode_publishes_every_figure_exactly(figures2020):
    published = publication.official(compute("sex_age", YEAR), YEAR, None)
    assert published["totals"]["total"] == {"value": 121, "status": "exact"}
    assert {r["code"]: r["total"]["value"] for r in published["rows"]}["male"] == 9

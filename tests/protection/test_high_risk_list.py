"""The agency's high and critical risk cases (dashboard panel and Protection page): the current level of
each open case, whatever the size of the caseload; critical first."""

from __future__ import annotations

from haven.cases.models import Case, Status
from haven.protection.assessments import risk_assess
from haven.protection.selectors import high_risk_cases
from tests.conftest import login
from tests.factories import access, register
from tests.protection.conftest import LEVELS

HIGH = {**LEVELS, "traffickers": "high"}
CRITICAL = {**LEVELS, "traffickers": "high", "retrafficking": "high"}


def _assess(world, case, day: str, levels: dict[str, str]) -> None:  # noqa: ANN001
    risk_assess(access=access(world.owner_caseworker, case), occasion="follow_up", assessed_on=day, levels=levels)


def test_only_the_current_level_counts_and_critical_comes_first(world) -> None:  # noqa: ANN001
    high, critical, lowered, closed, medium = (register(world.owner_caseworker, received_on="2025-08-01")
                                               for _ in range(5))
    _assess(world, high, "2025-08-02", HIGH)
    _assess(world, critical, "2025-08-02", CRITICAL)
    _assess(world, lowered, "2025-08-02", CRITICAL)
    _assess(world, lowered, "2025-09-01", LEVELS)  # reassessed: medium now
    _assess(world, closed, "2025-08-02", HIGH)
    Case.objects.filter(pk=closed.pk).update(status=Status.CLOSED)
    _assess(world, medium, "2025-08-02", LEVELS)
    found = [(case.code, level) for case, level in high_risk_cases(world.supervisor)]
    assert found == [(critical.code, "critical"), (high.code, "high")]
    # The same day twice: the later assessment (by id) is the current one.
    _assess(world, high, "2025-08-02", LEVELS)
    assert [c.code for c, _level in high_risk_cases(world.supervisor)] == [critical.code]


def test_an_old_case_is_not_left_out_and_other_agencies_see_nothing(world) -> None:  # noqa: ANN001
    old = register(world.owner_caseworker, received_on="2020-01-01")
    _assess(world, old, "2020-01-02", HIGH)
    for _ in range(3):
        register(world.owner_caseworker, received_on="2025-08-01")
    assert [c.code for c, _ in high_risk_cases(world.supervisor)] == [old.code]
    assert high_risk_cases(world.other_caseworker) == []


def test_the_dashboard_panel_lists_them(world, client) -> None:  # noqa: ANN001
    case = register(world.owner_caseworker, received_on="2025-08-01")
    _assess(world, case, "2025-08-02", CRITICAL)
    html = login(client, world.supervisor).get("/").content.decode()
    assert case.code in html and 'data-risk="critical"' in html

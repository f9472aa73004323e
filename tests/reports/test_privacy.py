"""Differential privacy: noise of the promised scale, the budget ledger, stored releases."""

from __future__ import annotations

import statistics as stats
from decimal import Decimal

import pytest

from haven.audit.models import AuditEvent
from haven.core.errors import HavenError, PermissionDenied
from haven.reports import publication, services
from haven.reports.models import PrivacyBudget, PrivacyRelease
from haven.reports.statistics import Period
from tests.factories import province

pytestmark = pytest.mark.django_db
YEAR = Period.year(2020)


@pytest.mark.parametrize("epsilon", [0.5, 1.0, 2.0])
def test_noise_has_the_scale_epsilon_promises(epsilon):
    # OpenDP draws from the OS's secure generator and takes no seed, so this is a statistical check:
    # discrete Laplace of scale b = 1/epsilon has variance 2a/(1-a)^2 with a = exp(-epsilon).
    true = [[500] * 50]
    draws = [v - 500 for _ in range(40) for v in publication.laplace_counts(true, epsilon)[0]]
    a = 2.718281828459045 ** -epsilon
    expected_sd = (2 * a) ** 0.5 / (1 - a)
    assert abs(stats.mean(draws)) < 4 * expected_sd / len(draws) ** 0.5 + 0.05
    assert 0.8 * expected_sd < stats.pstdev(draws) < 1.2 * expected_sd


def test_noisy_counts_are_never_negative():
    assert min(v for row in publication.laplace_counts([[0] * 200], 0.1) for v in row) == 0


def test_the_95_percent_margin_matches_the_distribution():
    assert publication.noise_margin(1.0) == 3  # P(|X|>3) = 2e^-4/(1+e^-1) ≈ 0.027; P(|X|>2) ≈ 0.073


def test_a_release_debits_the_budget_and_is_audited_without_values(world, figures2020):
    release = services.release_create(acting_user=world.statistician, table="sex_age", period=YEAR, province=None,
                                      epsilon=Decimal("0.5"), channel="test")
    status = services.budget_status(release.budget)
    assert status["spent"] == Decimal("0.5") and status["remaining"] == services.default_yearly_epsilon() - Decimal("0.5")
    event = AuditEvent.objects.get(object_type="privacy_release", object_id=str(release.pk))
    assert event.changes["epsilon"] == "0.5" and "cells" not in event.changes


def test_a_release_beyond_the_yearly_budget_is_refused_and_nothing_is_spent(world, figures2020):
    services.budget_set(acting_user=_official(world), year=2020, province=None, epsilon="1", channel="test")
    services.release_create(acting_user=world.statistician, table="sex_age", period=YEAR, province=None,
                            epsilon=Decimal("0.75"), channel="test")
    with pytest.raises(HavenError) as refused:
        services.release_create(acting_user=world.statistician, table="services_sex", period=YEAR, province=None,
                                epsilon=Decimal("0.5"), channel="test")
    assert refused.value.code == "budget_exhausted" and "0.250" in str(refused.value.message)
    assert PrivacyRelease.objects.count() == 1


def test_national_releases_count_against_a_province_budget(world, figures2020):
    lao_cai = province()
    services.budget_set(acting_user=_official(world), year=2020, province=lao_cai, epsilon="1", channel="test")
    services.release_create(acting_user=world.statistician, table="sex_age", period=YEAR, province=None,
                            epsilon=Decimal("0.8"), channel="test")
    with pytest.raises(HavenError):
        services.release_create(acting_user=world.statistician, table="sex_age", period=YEAR, province=lao_cai,
                                epsilon=Decimal("0.5"), channel="test")


def test_viewing_a_release_again_shows_the_same_numbers_and_spends_nothing(world, figures2020):
    release = services.release_create(acting_user=world.statistician, table="sex_age", period=YEAR, province=None,
                                      epsilon=Decimal("1"), channel="test")
    request = services.parse_request({"tables": ["sex_age"], "year": 2020, "mode": "dp"})
    first = services.statistics_run(acting_user=world.owner_caseworker, request=request, channel="test")
    second = services.statistics_run(acting_user=world.owner_caseworker, request=request, channel="test")
    assert first == second and first[0]["release_id"] == release.pk
    assert [c["value"] for c in first[0]["rows"][0]["cells"]] == release.cells[0]
    assert services.budget_status(release.budget)["spent"] == Decimal("1")


def test_the_public_2020_release_marks_every_cell_noisy_and_says_why(world, figures2020):
    release = services.release_create(acting_user=world.statistician, table="referred_age", period=YEAR,
                                      province=None, epsilon=Decimal("1"), channel="test")
    table = services.release_view(release)
    assert {c["status"] for r in table["rows"] for c in r["cells"]} == {"noisy"}
    assert "epsilon 1" in table["legend"][0]["text"]


def test_money_tables_are_not_released_with_differential_privacy(world, figures2020):
    with pytest.raises(HavenError):
        services.release_create(acting_user=world.statistician, table="spending", period=YEAR, province=None,
                                epsilon=Decimal("0.1"), channel="test")
    assert not PrivacyBudget.objects.exists()


def test_a_caseworker_cannot_spend_the_budget(world, figures2020):
    with pytest.raises(PermissionDenied):
        services.release_create(acting_user=world.owner_caseworker, table="sex_age", period=YEAR, province=None,
                                epsilon=Decimal("0.1"), channel="test")


@pytest.mark.parametrize("bad", ["0", "-1", "11", "abc", "0.0001", "NaN"])
def test_bad_epsilon_is_refused_with_a_message(bad):
    with pytest.raises(HavenError) as refused:
        services.parse_epsilon(bad)
    assert refused.value.field == "epsilon"


def test_a_budget_cannot_go_below_what_was_spent(world, figures2020):
    services.release_create(acting_user=world.statistician, table="sex_age", period=YEAR, province=None,
                            epsilon=Decimal("0.5"), channel="test")
    with pytest.raises(HavenError):
        services.budget_set(acting_user=_official(world), year=2020, province=None, epsilon="0.2", channel="test")
    assert PrivacyBudget.objects.get(province=None).epsilon == services.default_yearly_epsilon()


def _official(world):
    from haven.accounts.models import Role
    from tests.factories import user
    from tests.reports.conftest import grant_official

    return grant_official(user(world.statistician.agency, Role.STATISTICIAN, "official_stats"))

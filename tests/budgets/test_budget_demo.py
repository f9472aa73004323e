"""From a fresh demo: the supervisor sees the budget against the estimate and next year's forecast."""

from __future__ import annotations

import pytest
from django.db import transaction
from django.test import Client
from django.utils import timezone

from haven.accounts.models import User
from haven.budgets.models import IntakeHistory
from haven.budgets.selectors import monthly_intake
from haven.core.demo.build import demo_load
from haven.support.models import FundingSource
from tests.conftest import login


@pytest.fixture(scope="module")
def demo(django_db_setup, django_db_blocker):  # noqa: ANN001, ANN201
    with django_db_blocker.unblock():
        with transaction.atomic():
            yield demo_load()
            transaction.set_rollback(True)


def _client(username: str) -> Client:
    return login(Client(), User.objects.get(username=username))


def test_the_demo_has_about_three_years_of_intake_per_agency(demo, db):
    swc = User.objects.get(username="swc.supervisor").agency
    assert IntakeHistory.objects.filter(agency=swc).count() == 36
    history = monthly_intake(swc, until=timezone.localdate())
    assert sum(1 for c in history.values() if c is not None) >= 36


def test_the_demo_supervisor_sees_the_budget_and_the_forecast(demo, db):
    client = _client("swc.supervisor")
    agency = User.objects.get(username="swc.supervisor").agency
    page = client.get(f"/budgets/agency/{agency.pk}/")
    assert page.status_code == 200 and "<svg" in page.content.decode()
    if FundingSource.objects.filter(agency=agency).exists():
        assert agency.budget_estimates.exists()  # this year's estimates for the support demo's sources
    forecast = client.get(f"/budgets/agency/{agency.pk}/forecast/")
    body = forecast.content.decode()
    assert forecast.status_code == 200 and "<svg" in body
    api = client.get(f"/api/budgets/agencies/{agency.pk}/forecast").json()
    assert api["model"]["name"] not in ("none", "gamma_poisson")
    assert api["total"]["mean"] > 0
    assert client.get("/").status_code == 200


def test_the_demo_statistician_sees_forecasts_of_every_agency(demo, db):
    client = _client("health.statistician")
    listing = client.get("/budgets/")
    assert listing.status_code == 200
    border = User.objects.get(username="border.supervisor").agency
    assert client.get(f"/budgets/agency/{border.pk}/forecast/").status_code == 200
    assert client.get(f"/budgets/agency/{border.pk}/").status_code == 404

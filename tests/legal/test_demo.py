"""From a fresh demo: awards paid in full, in part and not at all; the legal aid centre at work."""

from __future__ import annotations

import pytest
from django.db import transaction
from django.test import Client

from haven.accounts.models import User
from haven.core.demo.build import demo_load
from haven.legal.models import AidStatus, LegalAid
from haven.legal.selectors import PaymentState, awards
from tests.conftest import login


@pytest.fixture(scope="module")
def demo(django_db_setup, django_db_blocker):  # noqa: ANN001, ANN201
    with django_db_blocker.unblock():
        with transaction.atomic():
            yield demo_load()
            transaction.set_rollback(True)


def test_the_demo_has_an_award_in_each_payment_state(demo, db):
    states = sorted(awards().values_list("payment_state", flat=True))
    assert states == sorted([PaymentState.FULL, PaymentState.PART, PaymentState.NONE])


def test_the_demo_legal_aid_centre_granted_aid_and_has_a_request_waiting(demo, db):
    centre = User.objects.get(username="legalaid.worker").agency
    assert LegalAid.objects.filter(provider=centre, status=AidStatus.GRANTED).count() == 2
    client = login(Client(), User.objects.get(username="legalaid.supervisor"))
    client.cookies["django_language"] = "en"
    page = client.get("/").content.decode()
    assert 'data-waiting="1"' in page


def test_the_demo_supervisor_sees_the_unpaid_award_on_the_justice_page(demo, db):
    client = login(Client(), User.objects.get(username="border.supervisor"))
    client.cookies["django_language"] = "en"
    page = client.get("/justice/").content.decode()
    assert 'data-count="paid_in_part"' in page and "Not paid at all" in page

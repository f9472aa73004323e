"""The protection demo: assessments at reception, a trafficker's threat awaiting review, measures in force, a
refusal and a measure for a named relative."""

from __future__ import annotations

import pytest
from django.db import transaction

from haven.core.demo.build import demo_load
from haven.protection.models import MeasureStatus, ProtectionMeasure, RiskAssessment, ThreatIncident


@pytest.fixture(scope="module")
def demo(django_db_setup, django_db_blocker):  # noqa: ANN001, ANN201
    with django_db_blocker.unblock():
        with transaction.atomic():
            yield demo_load()
            transaction.set_rollback(True)


def test_the_demo_has_the_protection_stories(demo, db):
    assert RiskAssessment.objects.filter(occasion="reception").count() >= 4
    assert ThreatIncident.objects.filter(source="trafficker", review_needed=True).exists()
    assert ProtectionMeasure.objects.filter(status=MeasureStatus.IN_FORCE, kind="identity_secrecy").exists()
    assert ProtectionMeasure.objects.filter(status=MeasureStatus.REFUSED).exists()
    assert ProtectionMeasure.objects.filter(beneficiary="relative", status=MeasureStatus.IN_FORCE).exists()

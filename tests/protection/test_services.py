"""Rules of the protection services: levels, threats and reviews, the measure workflow, refusals and dates."""

from __future__ import annotations

import pytest

from haven.audit.models import AuditEvent
from haven.core.errors import HavenError, NotFound
from haven.protection.assessments import computed_level, measure_review, risk_assess, threat_record
from haven.protection.catalogue import catalogue_on
from haven.protection.measures import (
    measure_decide,
    measure_end,
    measure_put_in_force,
    measure_refuse,
    measure_request,
)
from haven.protection.models import MeasureStatus, ProtectionMeasure, RiskAssessment, ThreatIncident
from tests.factories import access
from tests.protection.conftest import LEVELS

pytestmark = pytest.mark.django_db


def test_the_level_is_the_highest_domain():
    assert computed_level({**LEVELS, "health": "high"}, False) == "high"
    assert computed_level(LEVELS, False) == "medium"


def test_a_recent_severe_threat_or_two_high_trafficking_domains_make_it_critical():
    assert computed_level(LEVELS, True) == "critical"
    assert computed_level({**LEVELS, "traffickers": "high", "retrafficking": "high"}, False) == "critical"


def test_an_assessment_after_a_severe_threat_is_critical(world, case, threat):
    a = risk_assess(access=access(world.other_caseworker, case), occasion="reception", assessed_on="2025-08-20",
                    levels=LEVELS)
    assert (a.computed_level, a.level) == ("critical", "critical")


def test_an_override_needs_a_reason_and_nothing_is_saved(world, case):
    with pytest.raises(HavenError) as error:
        risk_assess(access=access(world.owner_caseworker, case), occasion="reception", assessed_on="2025-08-02",
                    levels=LEVELS, level="low")
    assert error.value.field == "override_reason"
    assert not RiskAssessment.objects.exists()
    a = risk_assess(access=access(world.owner_caseworker, case), occasion="reception", assessed_on="2025-08-02",
                    levels=LEVELS, level="high", override_reason="Gia đình bị gọi điện nhiều lần")
    assert a.overridden and a.level == "high" and a.computed_level == "medium"


def test_a_new_threat_needs_a_review_and_is_audited(world, case, threat):
    assert threat.review_needed
    event = AuditEvent.objects.filter(object_type="threat", object_id=str(threat.pk)).get()
    assert event.fields == ["description", "location"]
    assert "Kẻ môi giới" not in str(event.changes)


def test_only_a_supervisor_of_the_owning_agency_reviews(world, case, threat):
    for other in (world.owner_caseworker, world.other_supervisor):
        with pytest.raises(NotFound):
            measure_review(access=access(other, case), outcome="sufficient")
    review = measure_review(access=access(world.supervisor, case), outcome="new_measures", note="Cần nơi tạm lánh")
    threat.refresh_from_db()
    assert not threat.review_needed and threat.review_id == review.pk
    with pytest.raises(HavenError):
        measure_review(access=access(world.supervisor, case), outcome="sufficient")


def test_a_threat_cannot_be_reported_before_it_occurred(world, case):
    with pytest.raises(HavenError) as error:
        threat_record(access=access(world.owner_caseworker, case), occurred_on="2025-08-10",
                      reported_on="2025-08-09", source="family", severity="minor", description="x")
    assert error.value.field == "reported_on" and not ThreatIncident.objects.exists()


def test_the_measure_workflow_from_request_to_end(world, case):
    own = access(world.owner_caseworker, case)
    m = measure_request(access=own, kind="temporary_shelter", requested_on="2025-08-02")
    assert m.catalogue == "law-53-2024"
    with pytest.raises(HavenError):
        measure_put_in_force(access=own, measure_id=m.pk, in_force_from="2025-08-03")
    measure_decide(access=own, measure_id=m.pk, granted=True, decided_on="2025-08-03",
                   authority_agency_id=world.other_agency.pk)
    with pytest.raises(HavenError) as error:
        measure_put_in_force(access=own, measure_id=m.pk, in_force_from="2025-08-04", in_force_to="2025-08-01")
    assert error.value.field == "in_force_to"
    measure_put_in_force(access=own, measure_id=m.pk, in_force_from="2025-08-04", in_force_to="2025-12-31")
    ended = measure_end(access=own, measure_id=m.pk, ended_on="2025-09-01")
    assert ended.status == MeasureStatus.ENDED and ended.in_force_to.isoformat() == "2025-09-01"


def test_a_refusal_by_the_person_is_recorded_with_date_and_method(world, case, measure_in_force):
    refused = measure_refuse(access=access(world.owner_caseworker, case), measure_id=measure_in_force.pk,
                             refused_on="2025-08-20", method="written", note="Không muốn chuyển chỗ ở")
    assert (refused.status, refused.refusal_method, refused.refused_on.isoformat()) == ("refused", "written",
                                                                                       "2025-08-20")


def test_a_closed_trial_needs_a_proceeding_of_the_same_case(world, case, proceeding):
    own = access(world.owner_caseworker, case)
    with pytest.raises(HavenError) as error:
        measure_request(access=own, kind="closed_trial", requested_on="2025-08-02")
    assert error.value.field == "proceeding_id"
    other = world.case
    from haven.legal.models import Proceeding

    foreign = Proceeding.objects.create(case=other, kind="criminal", person_role="victim",
                                        recorded_by=world.owner_caseworker)
    with pytest.raises(HavenError):
        measure_request(access=own, kind="closed_trial", requested_on="2025-08-02", proceeding_id=foreign.pk)
    m = measure_request(access=own, kind="closed_trial", requested_on="2025-08-02", proceeding_id=proceeding.pk)
    assert m.proceeding_id == proceeding.pk


def test_a_relative_must_be_named(world, case):
    with pytest.raises(HavenError) as error:
        measure_request(access=access(world.owner_caseworker, case), kind="relocation", requested_on="2025-08-02",
                        beneficiary="relative")
    assert error.value.field == "relative_name" and not ProtectionMeasure.objects.exists()


def test_a_serving_agency_records_threats_but_not_measures(world, case):
    served = access(world.other_caseworker, case)
    threat_record(access=served, occurred_on="2025-08-10", source="community", severity="minor",
                  description="Hàng xóm bàn tán")
    with pytest.raises(NotFound):
        measure_request(access=served, kind="relocation", requested_on="2025-08-02")


def test_the_catalogue_is_chosen_by_date():
    import datetime as dt

    old, new = catalogue_on(dt.date(2020, 1, 1)), catalogue_on(dt.date(2025, 7, 1))
    assert old is not None and old.code == "decree-62-2012" and old.confidence == "confirmed"
    assert new is not None and new.code == "law-53-2024" and new.confidence == "unverified"
    assert len(old.measures) == 8 and catalogue_on(dt.date(2012, 10, 9)) is None

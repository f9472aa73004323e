"""The follow-up demo: a minor whose discharge is refused (draft assessment), another allowed (approved), plans
with visits made and overdue, one at risk, one trafficked again with a linked new reception."""

from __future__ import annotations

import pytest
from django.db import transaction
from django.utils import timezone

from haven.core.demo.build import demo_load
from haven.followup.models import FollowUpPlan, FollowUpVisit, HomeSafetyAssessment, ReceptionLink
from haven.followup.selectors import minor_may_leave, plan_status


@pytest.fixture(scope="module")
def demo(django_db_setup, django_db_blocker):  # noqa: ANN001, ANN201
    with django_db_blocker.unblock():
        with transaction.atomic():
            yield demo_load()
            transaction.set_rollback(True)


def test_the_demo_has_the_follow_up_stories(demo, db):
    today = timezone.localdate()
    draft = HomeSafetyAssessment.objects.get(status="draft")
    assert minor_may_leave(draft.case, today)[0] is False
    approved = HomeSafetyAssessment.objects.get(status="approved")
    assert minor_may_leave(approved.case, today)[0] is True
    assert FollowUpVisit.objects.filter(done_on__isnull=True, due_on__lt=today, plan__retrafficked=False).exists()
    statuses = {plan_status(p) for p in FollowUpPlan.objects.prefetch_related("visits")}
    assert {"stable", "at_risk", "trafficked_again"} <= statuses
    link = ReceptionLink.objects.get()
    assert link.new_case.person_id == link.previous_case.person_id and link.plan.retrafficked

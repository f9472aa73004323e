"""Follow-up after return: plans, visits, overdue worklists, trafficked again, need-to-know notes."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.management import call_command

from haven.audit.models import AuditEvent
from haven.cases.models import Case
from haven.core.errors import HavenError, NotFound
from haven.followup.models import FollowUpVisit, ReceptionLink
from haven.followup.panels import dashboard_panel
from haven.followup.selectors import plan_status, visits_due, visits_overdue
from haven.followup.services import case_reopen_reception, plan_create, visit_record
from tests.conftest import login
from tests.factories import access
from tests.followup.conftest import RECEIVED, TODAY, share

pytestmark = pytest.mark.django_db


@pytest.fixture
def plan(world, minor):
    share(world, minor)
    return plan_create(access=access(world.owner_caseworker, minor), responsible_agency_id=world.other_agency.pk,
                       every_days=14, starts_on=RECEIVED.isoformat(), ends_on=(TODAY + dt.timedelta(days=60)).isoformat())


def test_a_plan_schedules_its_visits_every_interval(plan):
    days = [v.due_on for v in plan.visits.all()]
    assert days[0] == RECEIVED + dt.timedelta(days=14)
    assert all((b - a).days == 14 for a, b in zip(days, days[1:], strict=False))
    assert days[-1] <= TODAY + dt.timedelta(days=60)


def test_a_bad_interval_is_refused_and_nothing_is_saved(world, minor):
    with pytest.raises(HavenError) as error:
        plan_create(access=access(world.owner_caseworker, minor), responsible_agency_id=world.other_agency.pk,
                    every_days=2, starts_on=RECEIVED.isoformat(), ends_on=TODAY.isoformat())
    assert error.value.field == "every_days"
    assert not FollowUpVisit.objects.exists()


def test_overdue_visits_show_on_the_responsible_agencys_worklist_and_dashboard(world, plan, rf):
    overdue = list(visits_overdue(world.other_caseworker, TODAY))
    assert overdue and all(v.due_on < TODAY and v.done_on is None for v in overdue)
    assert {v.pk for v in overdue} <= {v.pk for v in visits_due(world.other_caseworker, TODAY)}
    panel = dashboard_panel(rf.get("/"), world.other_caseworker)
    assert panel and panel["overdue_count"] == len(overdue)
    assert not visits_due(world.statistician, TODAY)


def test_a_recorded_visit_is_no_longer_due_and_sets_the_status(world, minor, plan):
    visit = plan.visits.first()
    visit_record(access=access(world.other_caseworker, minor), plan_id=plan.pk, visit_id=visit.pk,
                 done_on=TODAY.isoformat(), mode="home", observed="at_risk", notes="Bị người lạ hỏi thăm (thử nghiệm)")
    assert visit.pk not in {v.pk for v in visits_due(world.other_caseworker, TODAY)}
    plan.refresh_from_db()
    assert plan_status(plan) == "at_risk"


def test_at_risk_needs_notes_and_nothing_changes_without(world, minor, plan):
    with pytest.raises(HavenError) as error:
        visit_record(access=access(world.other_caseworker, minor), plan_id=plan.pk, done_on=TODAY.isoformat(),
                     mode="phone", observed="at_risk")
    assert error.value.field == "notes"
    assert not FollowUpVisit.objects.filter(done_on__isnull=False).exists()


def test_another_agency_may_not_record_a_visit(world, minor, plan):
    from haven.accounts.models import AgencyKind, Role
    from haven.referrals.models import Referral
    from tests.factories import agency, user

    far = agency(AgencyKind.SOCIAL_PROTECTION, "Trung tâm khác (thử nghiệm)")
    far_cw = user(far, Role.CASEWORKER, "far_cw")
    Referral.objects.create(case=minor, from_agency=world.owner_agency, to_agency=far, purpose="Thử",
                            fields_shared=[], status="accepted", due_on=TODAY, sent_by=world.owner_caseworker)
    with pytest.raises(NotFound):
        visit_record(access=access(far_cw, minor), plan_id=plan.pk, done_on=TODAY.isoformat(), mode="home",
                     observed="stable")


def test_trafficked_again_flags_the_plan_and_opens_a_linked_reception(world, minor, plan):
    visit_record(access=access(world.other_caseworker, minor), plan_id=plan.pk, done_on=TODAY.isoformat(),
                 mode="phone", observed="trafficked_again", notes="Gia đình báo em lại bị đưa đi (thử nghiệm)")
    plan.refresh_from_db()
    assert plan.retrafficked and plan.retrafficked_on == TODAY
    new = case_reopen_reception(access=access(world.other_caseworker, minor), plan_id=plan.pk,
                                received_on=TODAY.isoformat(), reception_place="Cửa khẩu Kim Thành",
                                return_mode="border_handover")
    assert new.person_id == minor.person_id and new.pk != minor.pk
    assert new.owner_agency == world.other_agency and new.assigned_worker == world.other_caseworker
    assert new.status == "reception" and new.category == "under_identification"
    link = ReceptionLink.objects.get()
    assert (link.previous_case, link.new_case, link.plan) == (minor, new, plan)
    assert AuditEvent.objects.filter(object_type="case", object_id=str(new.pk), action="create").exists()
    with pytest.raises(HavenError):
        case_reopen_reception(access=access(world.other_caseworker, minor), plan_id=plan.pk,
                              received_on=TODAY.isoformat(), reception_place="Lần hai", return_mode="rescued")
    assert Case.objects.filter(person_id=minor.person_id).count() == 2


def test_a_new_reception_needs_a_trafficked_again_visit(world, minor, plan):
    with pytest.raises(HavenError) as error:
        case_reopen_reception(access=access(world.owner_caseworker, minor), plan_id=plan.pk,
                              received_on=TODAY.isoformat(), reception_place="Cửa khẩu", return_mode="rescued")
    assert error.value.code == "bad_transition"
    assert Case.objects.filter(person_id=minor.person_id).count() == 1


def test_visit_notes_are_shown_to_the_responsible_agency_and_the_read_is_audited(world, minor, plan, client):
    visit_record(access=access(world.other_caseworker, minor), plan_id=plan.pk, done_on=TODAY.isoformat(),
                 mode="home", observed="at_risk", notes="Ghi chú niêm phong XYZ")
    page = login(client, world.other_caseworker).get(f"/cases/{minor.code}/follow-up/")
    assert "Ghi chú niêm phong XYZ" in page.content.decode()
    event = AuditEvent.objects.filter(object_type="followup_visit", action="view_identity").get()
    assert event.fields == ["notes"] and "XYZ" not in str(event.changes)


def test_visit_notes_are_hidden_from_a_serving_agency_that_is_not_responsible(world, minor):
    from haven.accounts.models import AgencyKind, Role
    from haven.referrals.models import Referral
    from tests.factories import agency, user

    share(world, minor)
    plan = plan_create(access=access(world.owner_caseworker, minor), responsible_agency_id=world.owner_agency.pk,
                       every_days=30, starts_on=RECEIVED.isoformat(), ends_on=TODAY.isoformat())
    visit_record(access=access(world.owner_caseworker, minor), plan_id=plan.pk, done_on=TODAY.isoformat(),
                 mode="home", observed="at_risk", notes="Chỉ cơ quan chủ quản ABC")
    assert Referral.objects.exists() and AgencyKind and Role and agency and user
    c = login(__import__("django.test", fromlist=["Client"]).Client(), world.other_caseworker)
    page = c.get(f"/cases/{minor.code}/follow-up/")
    assert page.status_code == 200 and "Chỉ cơ quan chủ quản ABC" not in page.content.decode()
    assert not AuditEvent.objects.filter(object_type="followup_visit", action="view_identity").exists()


def test_the_cli_plans_records_and_lists_due_visits(world, minor, capsys):
    share(world, minor)
    call_command("followup", "plan", minor.code, "--as", "owner_cw", "--agency-id", str(world.other_agency.pk),
                 "--every", "30", "--from", RECEIVED.isoformat(), "--to", TODAY.isoformat(), "--format", "json")
    assert '"every_days": 30' in capsys.readouterr().out
    call_command("followup", "due", "--as", "other_cw")
    assert minor.code in capsys.readouterr().out
    plan_id = str(minor.followup_plans.get().pk)
    call_command("followup", "visit", minor.code, "--as", "other_cw", "--plan-id", plan_id, "--on",
                 TODAY.isoformat(), "--status", "stable")
    assert FollowUpVisit.objects.filter(done_on=TODAY, observed="stable").exists()


def test_the_cli_assesses_submits_approves_and_checks(world, minor, capsys):
    call_command("followup", "check", minor.code, "--as", "owner_cw")
    assert "False" in capsys.readouterr().out
    call_command("followup", "assess", minor.code, "--as", "owner_cw", "--visited-on", TODAY.isoformat(),
                 "--outcome", "safe", "--findings", "Nhà an toàn (thử nghiệm)", "--format", "json")
    pk = minor.safety_assessments.get().pk
    call_command("followup", "submit", minor.code, "--as", "owner_cw", "--assessment-id", str(pk))
    from django.core.management.base import CommandError

    with pytest.raises(CommandError):
        call_command("followup", "approve", minor.code, "--as", "owner_cw", "--assessment-id", str(pk))
    call_command("followup", "approve", minor.code, "--as", "owner_sup", "--assessment-id", str(pk))
    capsys.readouterr()
    call_command("followup", "check", minor.code, "--as", "owner_cw")
    assert "True" in capsys.readouterr().out


def test_the_cli_hides_a_case_the_user_may_not_see(world, minor):
    from django.core.management.base import CommandError

    with pytest.raises(CommandError, match="no case"):
        call_command("followup", "check", minor.code, "--as", "stats")

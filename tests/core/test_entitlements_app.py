"""The engine applied to registered cases: facts, applications, steps, official figures."""

import datetime as dt

import pytest

from haven.audit.models import AuditEvent
from haven.cases.selectors import CaseAccess, Relationship
from haven.cases.services import case_identify, case_start_verification
from haven.core.errors import HavenError, NotFound, PermissionDenied
from haven.entitlements.models import ParameterValue
from haven.entitlements.services import (
    application_create,
    application_decide,
    application_step_complete,
    case_entitlements,
    facts_update,
    overdue_steps,
    parameter_value_add,
)
from tests.factories import access, register

pytestmark = pytest.mark.django_db


def _victim(world, *, received_on="2024-03-01", identified_on="2024-03-05", **extra):
    case = register(world.owner_caseworker, received_on=received_on, full_name="Lý Thị Mai", **extra)
    got = access(world.owner_caseworker, case, "edit")
    case_start_verification(access=got)
    case_identify(access=got, identified_on=identified_on, authority="Công an tỉnh Lào Cai", document="12/QĐ")
    return got


def _item(result, code):
    return next(i for i in result["items"] if i["code"] == code)


def test_the_regime_follows_the_identification_date(world):
    assert case_entitlements(_victim(world))["regime"] == "law-66-2011"
    new = _victim(world, received_on="2025-07-01", identified_on="2025-07-02")
    assert case_entitlements(new, on=dt.date(2025, 8, 1))["regime"] == "law-53-2024"


def test_unknown_poverty_asks_for_information_and_an_answer_decides(world):
    got = _victim(world)
    assert _item(case_entitlements(got, on=dt.date(2024, 6, 1)), "hardship_allowance")["status"] == "needs_information"
    facts_update(access=got, changes={"poor_household": False})
    refused = _item(case_entitlements(got, on=dt.date(2024, 6, 1)), "hardship_allowance")
    assert refused["status"] == "not_entitled"
    assert any("poor" in r["en"] for r in refused["reasons"])
    facts_update(access=got, changes={"poor_household": True})
    assert _item(case_entitlements(got, on=dt.date(2024, 6, 1)), "hardship_allowance")["status"] in {
        "entitled", "amount_not_set"}


def test_facts_updates_are_validated_and_audited(world):
    got = _victim(world)
    with pytest.raises(HavenError):
        facts_update(access=got, changes={"poor_household": "maybe"})
    with pytest.raises(HavenError):
        facts_update(access=got, changes={"shelter_from": "2024-03-10", "shelter_to": "2024-03-01"})
    facts_update(access=got, changes={"has_health_insurance": True})
    event = AuditEvent.objects.filter(object_type="entitlement_facts").last()
    assert event.changes == {"has_health_insurance": [None, True]}


def test_an_application_plans_its_steps_in_working_days_across_tet(world):
    got = _victim(world)
    facts_update(access=got, changes={"poor_household": True})
    application = application_create(access=got, item="hardship_allowance", received_on="2025-01-20")
    steps = list(application.steps.order_by("order"))
    # Tết 2025: 25 January to 2 February are not working days.
    assert [s.due_on for s in steps] == [dt.date(2025, 1, 23), dt.date(2025, 2, 6), dt.date(2025, 2, 11)]
    assert steps[1].body_en.startswith("District office") and steps[1].confidence == "reported"


def test_a_late_step_moves_the_next_due_date(world):
    got = _victim(world)
    application = application_create(access=got, item="hardship_allowance", received_on="2024-06-03")
    application_step_complete(access=got, application_id=application.pk, completed_on="2024-06-10")
    second = application.steps.get(order=2)
    assert second.due_on == dt.date(2024, 6, 17)
    event = AuditEvent.objects.filter(object_type="application_step").last()
    assert event.changes["late"] is True


def test_after_the_2025_reform_district_roles_pass_to_successor_bodies(world):
    got = _victim(world)
    application = application_create(access=got, item="hardship_allowance", received_on="2025-03-03")
    application_step_complete(access=got, application_id=application.pk, completed_on="2025-03-04")
    # Planned before the reform: the district chair still decides on the planned date.
    assert "district" in application.steps.get(order=3).body_en
    late = _victim(world, received_on="2025-06-20", identified_on="2025-06-25")
    application = application_create(access=late, item="hardship_allowance", received_on="2025-06-26")
    decide = application.steps.get(order=3)
    assert "abolished" in decide.body_en and decide.confidence == "unverified"


def test_new_regime_steps_have_no_invented_deadlines(world):
    got = _victim(world, received_on="2025-07-01", identified_on="2025-07-02")
    application = application_create(access=got, item="vocational_training", received_on="2025-07-10")
    assert all(s.due_on is None and s.confidence == "unverified" for s in application.steps.all())


def test_overdue_steps_reach_the_supervisor_only(world):
    got = _victim(world)
    application_create(access=got, item="hardship_allowance", received_on="2024-06-03")
    assert overdue_steps(world.supervisor).count() == 1
    assert overdue_steps(world.owner_caseworker).count() == 0
    assert overdue_steps(world.other_supervisor).count() == 0


def test_a_refusal_must_give_a_reason(world):
    got = _victim(world)
    application = application_create(access=got, item="hardship_allowance", received_on="2024-06-03")
    with pytest.raises(HavenError):
        application_decide(access=got, application_id=application.pk, decision="rejected", decided_on="2024-06-20")
    application_decide(access=got, application_id=application.pk, decision="rejected", decided_on="2024-06-20",
                       note="Hộ gia đình không thuộc danh sách hộ nghèo")
    with pytest.raises(HavenError):
        application_decide(access=got, application_id=application.pk, decision="approved", decided_on="2024-06-21")


def test_applications_are_for_application_items_only(world):
    got = _victim(world)
    with pytest.raises(HavenError):
        application_create(access=got, item="food", received_on="2024-06-03")
    outsider = CaseAccess(got.case, world.other_caseworker, Relationship.REFERRAL, frozenset())
    with pytest.raises(NotFound):
        application_create(access=outsider, item="hardship_allowance", received_on="2024-06-03")


def test_only_administrators_enter_official_figures_and_the_engine_uses_them(world):
    from tests.factories import user

    with pytest.raises(PermissionDenied):
        parameter_value_add(acting_user=world.supervisor, parameter="x", scope="lao-cai", valid_from="2024-01-01",
                            amount=1, unit="VND", instrument="x")
    admin = user(world.owner_agency, "agency_admin")
    with pytest.raises(HavenError):
        parameter_value_add(acting_user=admin, parameter="no_such_parameter", scope="lao-cai",
                            valid_from="2024-01-01", amount=1, unit="VND", instrument="x")
    assert ParameterValue.objects.count() == 0


def test_an_official_figure_entered_by_an_administrator_sets_the_amount(world):
    from haven.geo.models import AdminUnit
    from tests.factories import user

    AdminUnit.objects.create(code="nghe-an", name="Nghệ An", name_ascii="nghe an", level="province",
                             valid_from=dt.date(1991, 1, 1))
    got = _victim(world, home_province="nghe-an")
    facts_update(access=got, changes={"poor_household": True})
    before = _item(case_entitlements(got, on=dt.date(2024, 6, 1)), "hardship_allowance")
    assert before["status"] == "amount_not_set" and before["amount_vnd"] is None
    admin = user(world.owner_agency, "agency_admin")
    parameter_value_add(acting_user=admin, parameter="hardship.amount", scope="nghe-an", valid_from="2020-01-01",
                        valid_to="2025-06-30", amount="1.500.000", unit="VND",
                        instrument="Nghị quyết HĐND tỉnh Nghệ An (thử nghiệm)", confidence="reported")
    after = _item(case_entitlements(got, on=dt.date(2024, 6, 1)), "hardship_allowance")
    assert after["status"] == "entitled" and after["amount_vnd"] == 1_500_000
    assert AuditEvent.objects.filter(object_type="parameter_value").count() == 1
    with pytest.raises(HavenError):
        parameter_value_add(acting_user=admin, parameter="hardship.amount", scope="nghe-an",
                            valid_from="2020-01-01", amount="3000000", unit="VND", instrument="x")


def test_explain_as_the_operator_reads_only_the_birth_date_and_logs_it(world):
    from haven.audit.models import AuditAction
    from haven.entitlements.explain import explain_case

    got = _victim(world)
    result = explain_case(got.case.code.lower(), on=dt.date(2024, 6, 1))
    assert result["id"] == got.case.code and result["regime"] == "law-66-2011"
    event = AuditEvent.objects.filter(action=AuditAction.VIEW_IDENTITY, channel="cli").get()
    assert event.fields == ["date_of_birth"] and event.actor is None and event.reason == "operator"
    assert "Lý Thị Mai" not in str(result)


def test_explain_as_a_user_follows_their_permissions(world):
    from haven.entitlements.explain import ExplainError, explain_case

    got = _victim(world)
    assert explain_case(got.case.code, on=dt.date(2024, 6, 1), username="owner_sup")["regime"] == "law-66-2011"
    with pytest.raises(ExplainError, match="no case"):
        explain_case(got.case.code, on=dt.date(2024, 6, 1), username="other_cw")
    with pytest.raises(ExplainError, match="no active user"):
        explain_case(got.case.code, on=dt.date(2024, 6, 1), username="nobody")
    with pytest.raises(ExplainError, match="no case"):
        explain_case("HV-00-NOPE00", on=dt.date(2024, 6, 1))


def test_the_explain_command_prints_the_contract_shape(world, capsys):
    import json as json_

    from django.core.management import call_command
    from django.core.management.base import CommandError

    got = _victim(world)
    call_command("entitlements", "explain", got.case.code, "--on", "2024-06-01")
    result = json_.loads(capsys.readouterr().out)
    assert set(result) >= {"id", "regime", "items"} and result["regime"] == "law-66-2011"
    assert {"code", "status", "amount_vnd", "limits", "deadlines", "reasons", "citations"} <= set(result["items"][0])
    call_command("entitlements", "explain", got.case.code, "--on", "2024-06-01", "--format", "table", "--as", "owner_sup")
    assert "hardship_allowance" in capsys.readouterr().out
    with pytest.raises(CommandError, match="no case"):
        call_command("entitlements", "explain", got.case.code, "--as", "other_cw")


def test_a_date_before_the_first_regime_is_a_clear_error_not_a_crash(world):
    got = _victim(world)
    with pytest.raises(HavenError) as error:
        case_entitlements(got, on=dt.date(2012, 1, 1))
    assert error.value.code == "engine"


def test_a_shelter_stay_cannot_start_in_the_future(world):
    got = _victim(world)
    with pytest.raises(HavenError) as error:
        facts_update(access=got, changes={"shelter_from": "2999-01-01"})
    assert error.value.field == "shelter_from"
    assert case_entitlements(got, on=dt.date(2024, 6, 1))["regime"] == "law-66-2011"

"""The demo: enough synthetic people in every state, loaded through the services, resettable."""

from __future__ import annotations

import io
import unicodedata
from collections import Counter

import pytest
from django.core.management import CommandError, call_command
from django.db import transaction

from haven.accounts.models import Role, User
from haven.audit.models import AuditEvent
from haven.audit.services import audit_verify
from haven.cases.models import BreakGlass, Case, Category, Person, PersonIdentity, Signoff, Status
from haven.cases.selectors import access_case, cases_visible_to, read_identity
from haven.consent.models import ConsentRecord, Decision, Purpose
from haven.core.demo.build import demo_load
from haven.core.demo.org import DEMO_PASSWORD, DEMO_USERNAMES
from haven.referrals.models import Referral, ReferralStatus
from tests.factories import user


@pytest.fixture(scope="module")
def demo(django_db_setup, django_db_blocker):  # noqa: ANN001, ANN201
    """The demo loaded once for this module, inside a transaction rolled back at the end."""
    with django_db_blocker.unblock():
        with transaction.atomic():
            summary = demo_load()
            yield summary
            transaction.set_rollback(True)


def _has_diacritics(name: str) -> bool:
    return any(unicodedata.category(ch) == "Mn" for ch in unicodedata.normalize("NFD", name)) or "đ" in name.lower()


def test_it_loads_at_least_forty_people_with_vietnamese_names(demo, db):
    names = [identity.full_name for identity in PersonIdentity.objects.all()]  # decrypted on load
    assert len(names) >= 40
    assert sum(_has_diacritics(n) for n in names) >= 40
    assert len(set(names)) == len(names)


def test_every_status_is_present(demo, db):
    assert set(Case.objects.values_list("status", flat=True)) == set(Status.values)


def test_every_category_is_present(demo, db):
    assert set(Case.objects.values_list("category", flat=True)) == set(Category.values)


def test_accompanying_minors_are_linked_to_a_victims_case(demo, db):
    minors = Case.objects.filter(category=Category.ACCOMPANYING_MINOR)
    assert minors.count() >= 3
    assert all(m.accompanies is not None and m.accompanies.category == Category.VICTIM for m in minors)
    assert all(m.age_at_reception < 18 for m in minors)


def test_people_come_from_several_ethnic_groups_and_units(demo, db):
    assert {"kinh", "hmong", "dao", "tay", "giay"} <= set(Person.objects.values_list("ethnicity", flat=True))
    communes = set(Person.objects.exclude(home_commune=None).values_list("home_commune__code", flat=True))
    assert any(c.startswith("lao-cai/") for c in communes) and any(c.startswith("lao-cai-2025/") for c in communes)


def test_exploitation_types_include_forced_marriage_labour_and_sexual_exploitation(demo, db):
    types = Counter(t for case in Case.objects.all() for t in case.exploitation_types)
    assert {"forced_marriage", "forced_labour", "sexual_exploitation"} <= set(types)


def test_every_role_has_a_demo_login_with_the_demo_password(demo, db):
    users = User.objects.filter(username__in=DEMO_USERNAMES)
    assert set(users.values_list("role", flat=True)) == set(Role.values)
    assert all(u.check_password(DEMO_PASSWORD) for u in users.filter(role=Role.CASEWORKER)[:1])
    admin = users.get(role=Role.SYSTEM_ADMIN)
    assert admin.is_staff and admin.is_superuser


def test_consent_is_given_and_withdrawn(demo, db):
    decisions = set(ConsentRecord.objects.values_list("decision", flat=True))
    assert {Decision.GIVEN, Decision.WITHDRAWN, Decision.REFUSED} <= decisions


def test_a_withdrawn_sharing_consent_hides_the_case_from_the_referred_agency(demo, db):
    withdrawn = ConsentRecord.objects.get(purpose=Purpose.SHARING, decision=Decision.WITHDRAWN)
    case = Case.objects.get(person=withdrawn.person)
    legal_aid = User.objects.get(username="legalaid.worker")
    assert Referral.objects.filter(case=case, to_agency=legal_aid.agency, status=ReferralStatus.ACCEPTED).exists()
    assert not cases_visible_to(legal_aid).filter(pk=case.pk).exists()


def test_accepted_referrals_let_the_social_work_centre_read_shared_fields(demo, db):
    worker = User.objects.get(username="swc.worker")
    referral = Referral.objects.filter(to_agency=worker.agency, status=ReferralStatus.ACCEPTED).first()
    values = read_identity(access_case(worker, case_id=referral.case_id))
    assert "full_name" in values and "notes" not in values


def test_some_sign_offs_are_overdue(demo, db):
    assert sum(s.is_overdue() for s in Signoff.objects.all()) >= 2
    assert Signoff.objects.filter(decision=Signoff.Decision.APPROVED).exists()


def test_one_break_glass_awaits_review(demo, db):
    assert BreakGlass.objects.filter(reviewed_at__isnull=True).count() == 1


def test_everything_is_audited_in_one_intact_chain(demo, db):
    assert AuditEvent.objects.filter(object_type="case", action="create").count() == Case.objects.count()
    assert audit_verify().ok


def test_it_loads_in_well_under_a_minute(demo, db):
    assert demo.seconds < 60


def _reset() -> str:
    out = io.StringIO()
    call_command("demo", "--reset", stdout=out)
    return out.getvalue()


def test_reset_twice_gives_the_same_demo_and_a_fresh_audit_chain(db):
    _reset()
    first = (Person.objects.count(), Case.objects.count(), User.objects.count(), AuditEvent.objects.count())
    output = _reset()
    assert (Person.objects.count(), Case.objects.count(), User.objects.count(),
            AuditEvent.objects.count()) == first
    assert AuditEvent.objects.order_by("seq").first().seq == 1 and audit_verify().ok
    assert DEMO_PASSWORD in output and "border.worker" in output


def test_reset_refuses_a_database_with_users_the_demo_did_not_create(db):
    user(None, Role.SYSTEM_ADMIN, "real.admin")
    with pytest.raises(CommandError, match="did not create"):
        call_command("demo", "--reset", stdout=io.StringIO())
    assert User.objects.filter(username="real.admin").exists()


def test_reset_with_force_replaces_them(db):
    user(None, Role.SYSTEM_ADMIN, "real.admin")
    call_command("demo", "--reset", "--force", stdout=io.StringIO())
    assert not User.objects.filter(username="real.admin").exists()
    assert Case.objects.count() >= 40


def test_a_bad_port_is_a_command_error(db):
    with pytest.raises(CommandError, match="--port"):
        call_command("demo", "--serve", "--port", "70000")


def test_the_demo_password_passes_the_password_rules():
    from django.contrib.auth.password_validation import validate_password

    validate_password(DEMO_PASSWORD, User(username="border.worker"))


def test_reset_clears_rows_of_other_apps_that_protect_demo_users(db):
    import datetime as dt

    from haven.entitlements.models import ParameterValue

    _reset()
    ParameterValue.objects.create(
        parameter="x", scope="lao-cai", valid_from=dt.date(2026, 1, 1), amount=1, unit="VND", instrument="test",
        confidence="confirmed", entered_by=User.objects.get(username="border.admin"),
    )
    _reset()
    assert not ParameterValue.objects.exists()

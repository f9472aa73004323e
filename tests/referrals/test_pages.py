"""The Referrals tab, the inbox and the dashboard panel, in Vietnamese and English."""

from __future__ import annotations

import pytest

from haven.accounts.models import AgencyKind
from haven.audit.models import AuditEvent
from haven.referrals.items import default_due_on
from haven.referrals.models import CaseTransfer, Referral, ReferralStatus
from tests.referrals.conftest import consent, past_due, send, sent_and_accepted

pytestmark = pytest.mark.django_db


def _page(client, url, lang="vi"):  # noqa: ANN001, ANN202
    client.cookies["django_language"] = lang
    response = client.get(url)
    assert response.status_code == 200
    return response.content.decode()


def _send_form(world, **overrides):  # noqa: ANN001, ANN003, ANN202
    data = {"to_agency": str(world.other_agency.pk), "purpose": "Tiếp nhận vào Trung tâm",
            "items": ["psychological"], "due_on": default_due_on().isoformat()}
    data.update(overrides)
    return data


def test_the_caseworker_sends_a_referral_from_the_tab(world, owner):
    consent(world)
    response = owner.post(f"/cases/{world.case.code}/referrals/send/", _send_form(world))
    assert response.status_code == 302
    referral = Referral.objects.get()
    assert referral.to_agency == world.other_agency and referral.items == ["psychological"]
    body = _page(owner, f"/cases/{world.case.code}/referrals/", "en")
    assert "Referral sent" in body and "Psychological support" in body and 'href="/directory/?item=psychological"' in body


def test_without_consent_the_form_says_why_in_vietnamese_and_nothing_is_sent(world, owner):
    owner.cookies["django_language"] = "vi"
    response = owner.post(f"/cases/{world.case.code}/referrals/send/", _send_form(world))
    assert response.status_code == 200
    assert "đồng ý" in response.content.decode()
    assert not Referral.objects.exists()


def test_withdrawn_consent_blocks_the_referral_on_the_page(world, owner):
    consent(world)
    consent(world, "withdrawn")
    owner.cookies["django_language"] = "en"
    response = owner.post(f"/cases/{world.case.code}/referrals/send/", _send_form(world))
    assert "has not consented to sharing with this kind of agency" in response.content.decode()
    assert not Referral.objects.exists()


@pytest.mark.parametrize("field, value, message", [
    ("to_agency", "999999", "Choose one of the listed options."),
    ("purpose", "", "This field is required."),
    ("due_on", "31/02/2026", "Enter a date as YYYY-MM-DD."),
    ("due_on", "2020-01-01", "Choose a response date from today on."),
    ("items", ["caviar"], "Choose from the listed options."),
])
def test_bad_input_comes_back_with_a_translated_message_and_nothing_changes(world, owner, field, value, message):
    consent(world)
    events = AuditEvent.objects.count()
    owner.cookies["django_language"] = "en"
    response = owner.post(f"/cases/{world.case.code}/referrals/send/", _send_form(world, **{field: value}))
    assert response.status_code == 200
    assert message in response.content.decode()
    assert not Referral.objects.exists() and AuditEvent.objects.count() == events


def test_the_preview_names_the_fields_and_the_missing_consent(world, owner):
    body = _page(owner, f"/cases/{world.case.code}/referrals/preview/?to_agency={world.other_agency.pk}", "en")
    assert "Full name" in body and "Phone" in body and "ID document number" not in body
    assert 'data-consent="no"' in body
    consent(world)
    assert 'data-consent="yes"' in _page(owner, f"/cases/{world.case.code}/referrals/preview/?to_agency={world.other_agency.pk}")


def test_only_supervisors_see_the_override_and_transfer_fields(world, owner, supervisor):
    assert 'name="override_reason"' not in _page(owner, f"/cases/{world.case.code}/referrals/")
    body = _page(supervisor, f"/cases/{world.case.code}/referrals/")
    assert 'name="override_reason"' in body and 'id="transfer-form"' in body


def test_a_supervisor_override_is_flagged_on_the_timeline(world, supervisor):
    reason = "Đe dọa trực tiếp, cần nơi tạm lánh ngay trong đêm nay."
    response = supervisor.post(f"/cases/{world.case.code}/referrals/send/", _send_form(world, override_reason=reason))
    assert response.status_code == 302
    assert "Consent overridden" in _page(supervisor, f"/cases/{world.case.code}/referrals/", "en")


def test_the_inbox_accepts_declines_and_completes(world, owner, receiver):
    consent(world)
    first = send(world)
    assert receiver.post(f"/referrals/{first.pk}/accept/").status_code == 302
    assert Referral.objects.get(pk=first.pk).status == ReferralStatus.ACCEPTED
    receiver.cookies["django_language"] = "en"
    response = receiver.post(f"/referrals/{first.pk}/complete/", {"outcome": ""})
    assert response.status_code == 200 and "This field is required." in response.content.decode()
    assert receiver.post(f"/referrals/{first.pk}/complete/", {"outcome": "Đã hỗ trợ 30 ngày"}).status_code == 302
    second = send(world)
    assert receiver.post(f"/referrals/{second.pk}/decline/", {"reason": "Hết chỗ"}).status_code == 302
    body = _page(owner, f"/cases/{world.case.code}/referrals/", "en")
    for words in ("Referral completed", "Đã hỗ trợ 30 ngày", "Referral declined", "Hết chỗ", "Referral accepted"):
        assert words in body


def test_the_inbox_lists_case_codes_never_names_and_flags_overdue(world, receiver):
    consent(world)
    past_due(send(world))
    body = _page(receiver, "/referrals/", "en")
    assert world.case.code in body and "Overdue" in body
    assert "Đặng Thị Ngọc" not in body


def test_the_sender_cancels_with_a_reason(world, owner):
    consent(world)
    referral = send(world)
    response = owner.post(f"/cases/{world.case.code}/referrals/{referral.pk}/cancel/", {"reason": ""})
    assert response.status_code == 200 and Referral.objects.get().status == ReferralStatus.SENT
    owner.post(f"/cases/{world.case.code}/referrals/{referral.pk}/cancel/", {"reason": "Đã chọn nơi khác"})
    assert Referral.objects.get().status == ReferralStatus.CANCELLED


def test_the_referred_agency_sees_only_its_own_referrals_on_the_tab(world, receiver, as_user):
    from haven.referrals.services import referral_accept
    from tests.factories import agency, user

    sent_and_accepted(world)
    police = agency(AgencyKind.POLICE, "Công an tỉnh Lào Cai")
    consent(world, kind=AgencyKind.POLICE)
    other = referral_accept(acting_user=user(police, "supervisor", "pol_sup"),
                            referral_id=send(world, to=police, purpose="Lấy lời khai bí mật").pk)
    body = _page(receiver, f"/cases/{world.case.code}/referrals/")
    assert "Tiếp nhận, hỗ trợ tâm lý" in body
    assert "Lấy lời khai bí mật" not in body and f'data-referral="{other.pk}"' not in body


def test_a_transfer_is_requested_on_the_tab_and_accepted_from_the_far_inbox(world, supervisor, far, as_user):
    response = supervisor.post(f"/cases/{world.case.code}/referrals/transfer/",
                               {"to_agency": str(far.agency.pk), "reason": "Chuyển về Nghệ An"})
    assert response.status_code == 302
    transfer = CaseTransfer.objects.get()
    far_client = as_user(far.supervisor)
    assert world.case.code in _page(far_client, "/referrals/")
    assert far_client.post(f"/referrals/transfers/{transfer.pk}/accept/").status_code == 302
    assert far_client.get(f"/cases/{world.case.code}/").status_code == 200
    assert supervisor.get(f"/cases/{world.case.code}/").status_code == 404


def test_the_far_caseworker_is_told_only_supervisors_answer_transfers(world, far, as_user):
    from haven.cases.selectors import Need
    from haven.referrals.transfers import transfer_request
    from tests.factories import access

    transfer = transfer_request(access=access(world.supervisor, world.case, Need.SUPERVISE),
                                to_agency_id=far.agency.pk, reason="Chuyển về Nghệ An")
    client = as_user(far.caseworker)
    assert "A supervisor of your agency answers transfers." in _page(client, "/referrals/", "en")
    client.post(f"/referrals/transfers/{transfer.pk}/accept/")
    assert CaseTransfer.objects.get().status == "requested"


def test_the_dashboard_shows_overdue_referrals_and_open_transfers(world, owner, receiver, supervisor, far):
    consent(world)
    referral = past_due(send(world))
    assert f'data-referral="{referral.pk}"' in _page(receiver, "/", "en")
    assert f'data-referral="{referral.pk}"' in _page(owner, "/", "en")
    from haven.cases.selectors import Need
    from haven.referrals.transfers import transfer_request
    from tests.factories import access

    transfer = transfer_request(access=access(world.supervisor, world.case, Need.SUPERVISE),
                                to_agency_id=far.agency.pk, reason="Chuyển về Nghệ An")
    assert f'data-transfer="{transfer.pk}"' in _page(supervisor, "/")


def test_no_panel_for_the_statistician(world, as_user):
    consent(world)
    past_due(send(world))
    assert "referrals-panel" not in _page(as_user(world.statistician), "/")

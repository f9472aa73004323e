"""Demo data for follow-up (issue 5): safety assessments of minors' homes and follow-up after return.

- n01 (16, at the NGO shelter): a draft assessment only, so the demo shows the discharge refused;
- s05 (17, came back on her own, at the social work centre): an approved assessment, discharge allowed;
- s03 and n03: follow-up plans with visits made and visits overdue; n03 found "at risk";
- y02: found "trafficked again" by the commune, with a new reception linked to her earlier case.

Everything goes through the real services as the demo's users, so it is validated and audited.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from haven.cases.selectors import access_case
from haven.followup.services import (
    assessment_create,
    assessment_decide,
    assessment_submit,
    case_reopen_reception,
    plan_create,
    visit_record,
)
from haven.support.models import ShelterStay
from haven.support.stays import stay_admit

CHANNEL = "demo"
NOTE = "[DỮ LIỆU DEMO - HƯ CẤU] "


def _access(loader: Any, username: str, key: str) -> Any:
    return access_case(loader.users[username], case_id=loader.cases[key].pk)


def load(loader: Any) -> None:
    """Add this app's demo rows. `loader` has today, units, agencies, users, specs and cases (by spec key)."""
    today = loader.today
    _assessments(loader, today)
    _plan(loader, "s03", "swc.worker", "swc", today, {0: "stable", 1: "stable", 2: "stable"})
    _plan(loader, "n03", "shelter.worker", "shelter", today, {0: "stable", 1: "at_risk"})
    plan = _plan(loader, "y02", "yty.worker", "yty", today, {0: "stable", 1: "contact_lost", 2: "trafficked_again"})
    case_reopen_reception(access=_access(loader, "yty.worker", "y02"), plan_id=plan.pk,
                          received_on=today - dt.timedelta(days=2), reception_place="Cửa khẩu Quốc tế Lào Cai",
                          return_mode="border_handover", channel=CHANNEL)


def _assessments(loader: Any, today: dt.date) -> None:
    # n01 is at the shelter (support demo): a draft only, so her discharge is refused.
    stay = ShelterStay.objects.filter(case=loader.cases["n01"], discharged_on__isnull=True).first()
    assessment_create(access=_access(loader, "shelter.worker", "n01"), visited_on=today - dt.timedelta(days=4),
                      outcome="safe_with_conditions", stay_id=stay.pk if stay else None,
                      family_situation=NOTE + "Sống với bà ngoại; mẹ làm thuê ở tỉnh khác.",
                      findings=NOTE + "Nhà ở ổn định; bà ngoại muốn nhận cháu về.",
                      risks=NOTE + "Người môi giới cũ từng đến thôn hỏi thăm.",
                      conditions=NOTE + "Cán bộ xã thăm mỗi tháng; cháu đi học lại ở trường xã.", channel=CHANNEL)
    # s05, 17, at the social work centre since her reception: approved by the supervisor.
    access = _access(loader, "swc.worker", "s05")
    admitted = access.case.received_on
    stay = stay_admit(access=access, facility_id=loader.agencies["swc"].pk, admitted_on=admitted, channel=CHANNEL)
    made = assessment_create(access=_access(loader, "swc.worker", "s05"), visited_on=today,
                             outcome="safe", stay_id=stay.pk,
                             family_situation=NOTE + "Sống cùng bố mẹ và hai em.",
                             findings=NOTE + "Nhà an toàn; không có liên hệ với người mua bán.", channel=CHANNEL)
    assessment_submit(access=_access(loader, "swc.worker", "s05"), assessment_id=made.pk, channel=CHANNEL)
    assessment_decide(access=_access(loader, "swc.supervisor", "s05"), assessment_id=made.pk, approve=True,
                      channel=CHANNEL)


def _plan(loader: Any, key: str, worker: str, agency: str, today: dt.date, done: dict[int, str]) -> Any:
    """A monthly plan that began about 150 days ago; visits `done` (by index) are recorded, the rest before
    today stay overdue."""
    access = _access(loader, worker, key)
    start = max(today - dt.timedelta(days=150), access.case.received_on)
    plan = plan_create(access=access, responsible_agency_id=loader.agencies[agency].pk, every_days=30,
                       starts_on=start, ends_on=start + dt.timedelta(days=365), channel=CHANNEL)
    notes = {"stable": "Đi làm đều, gia đình hỗ trợ.", "at_risk": "Có người lạ rủ đi làm ở nước ngoài.",
             "contact_lost": "Không liên lạc được qua điện thoại.",
             "trafficked_again": "Gia đình báo đã bị đưa qua biên giới lần nữa."}
    for index, visit in enumerate(plan.visits.filter(due_on__lte=today).order_by("due_on")):
        if index in done:
            visit_record(access=_access(loader, worker, key), plan_id=plan.pk, visit_id=visit.pk,
                         done_on=min(today, visit.due_on + dt.timedelta(days=2)),
                         mode="phone" if done[index] == "contact_lost" else "home", observed=done[index],
                         notes=NOTE + notes[done[index]], channel=CHANNEL)
            if done[index] == "trafficked_again":
                break
    plan.refresh_from_db()
    return plan

"""Demo data for protection (issue 5): reception assessments, a trafficker's threat awaiting review, measures in
force, one refused by the person and one for a named relative. Through the real services; names are invented."""

from __future__ import annotations

import datetime as dt
from typing import Any

from haven.cases.selectors import access_case
from haven.protection.assessments import risk_assess, threat_record
from haven.protection.measures import measure_decide, measure_put_in_force, measure_refuse, measure_request

CHANNEL = "demo"
# (story, worker, traffickers, family/community, re-trafficking, health, stigma)
ASSESSMENTS = (
    ("b01", "border.worker", "high", "medium", "high", "medium", "high"),
    ("b02", "border.worker", "medium", "low", "medium", "low", "medium"),
    ("b06", "border.worker", "high", "medium", "medium", "low", "medium"),
    ("s01", "swc.worker", "medium", "medium", "low", "low", "high"),
    ("n01", "shelter.worker", "low", "low", "low", "medium", "low"),
)


def load(loader: Any) -> None:
    """Add this app's demo rows. `loader` has today, units, agencies, users, specs and cases (by spec key)."""
    today, users, cases = loader.today, loader.users, loader.cases
    for story, worker, *levels in ASSESSMENTS:
        case = cases.get(story)
        if case is None:
            continue
        own = access_case(users[worker], case_id=case.pk)
        names = ("traffickers", "family_community", "retrafficking", "health", "stigma")
        risk_assess(access=own, occasion="reception", assessed_on=case.received_on,
                    levels=dict(zip(names, levels, strict=True)), channel=CHANNEL)
    b06 = cases.get("b06")
    if b06 is not None:
        own = access_case(users["border.worker"], case_id=b06.pk)
        threat_record(access=own, occurred_on=today - dt.timedelta(days=1), source="trafficker", severity="severe",
                      description="Người môi giới (hư cấu) đến nhà hỏi nơi ở của em và dọa nếu em khai báo",
                      location="Nhà văn hóa thôn (hư cấu)", channel=CHANNEL)
    b01 = cases.get("b01")
    if b01 is not None:
        own = access_case(users["border.worker"], case_id=b01.pk)
        start = max(b01.received_on, dt.date(2012, 10, 10))
        for kind in ("identity_secrecy", "temporary_shelter"):
            m = measure_request(access=own, kind=kind, requested_on=start, channel=CHANNEL)
            measure_decide(access=own, measure_id=m.pk, granted=True, decided_on=start,
                           authority_text="Công an tỉnh Lào Cai (hư cấu)", channel=CHANNEL)
            measure_put_in_force(access=own, measure_id=m.pk, in_force_from=start,
                                 in_force_to=today + dt.timedelta(days=20) if kind == "temporary_shelter" else None,
                                 channel=CHANNEL)
        refused = measure_request(access=own, kind="relocation", requested_on=start, channel=CHANNEL)
        measure_refuse(access=own, measure_id=refused.pk, refused_on=start, method="written",
                       note="Em muốn ở gần gia đình (hư cấu)", channel=CHANNEL)
        relative = measure_request(access=own, kind="security_guard", requested_on=start, beneficiary="relative",
                                   relative_name="Sùng Thị Pà (hư cấu)", relative_relationship="mẹ",
                                   channel=CHANNEL)
        measure_decide(access=own, measure_id=relative.pk, granted=True, decided_on=start,
                       authority_text="Đồn Công an xã (hư cấu)", channel=CHANNEL)
        measure_put_in_force(access=own, measure_id=relative.pk, in_force_from=start, channel=CHANNEL)

"""Research tests: a study led by the owning agency's caseworker, with a researcher of another agency, two
officials and one victim (the world's case, with research consent given), interviews, codes, cells, a memo."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

import pytest

from haven.cases.models import Case
from haven.consent.services import consent_record
from haven.research import coding, services
from haven.research.models import Interview, Participant, Study, Theme
from haven.research.selectors import StudyAccess, access_study
from tests.api.conftest import api, openapi_schema, schema_checker  # noqa: F401
from tests.factories import World, access

TRANSCRIPT_OFFICIAL = (
    "Cán bộ: Khi tiếp nhận ở cửa khẩu, chúng tôi thiếu phiên dịch tiếng Mông.\n"
    "Cán bộ: Hồ sơ xác minh phải chờ công an tỉnh trả lời, thường quá hạn."
)
TRANSCRIPT_VICTIM = (
    "Chị Mai: Em về nhà được hai tháng thì có người lạ đến hỏi thăm, em sợ lắm.\n"
    "Chị Mai: Tiền hỗ trợ ban đầu ít quá, không đủ tiền xe về bản."
)


def research_consent(world: World, case: Case, decision: str = "given") -> None:
    consent_record(access=access(world.owner_caseworker, case, "edit"), purpose="research", decision=decision,
                   given_by="person", method="signed_form")


@dataclass
class Setup:
    study: Study
    lead: StudyAccess
    researcher: StudyAccess
    official: Participant
    official2: Participant
    victim: Participant
    themes: dict[str, Theme]
    interviews: dict[str, Interview]
    segments: dict[str, Any]
    cells: dict[str, Any]
    memo: Any


def build(world: World) -> Setup:
    lead_user, researcher_user = world.owner_caseworker, world.other_caseworker
    study = services.study_create(acting_user=lead_user, title="Đánh giá quyền của nạn nhân trở về (thử nghiệm)",
                                  purpose="Phân tích khung", period_start="2025-01-01", period_end="2025-12-31")
    lead = access_study(lead_user, study.pk)
    services.member_add(access=lead, username=researcher_user.username)
    researcher = access_study(researcher_user, study.pk)
    research_consent(world, world.case)
    official = services.participant_add(access=lead, pseudonym="CB-01", kind="official", agency_kind="border_guard",
                                        sex="male", age_group="25_39", ethnicity="kinh")
    official2 = services.participant_add(access=lead, pseudonym="CB-02", kind="official", agency_kind="police",
                                         sex="female", age_group="40_plus", ethnicity="minority")
    victim = services.participant_add(access=lead, pseudonym="NN-01", kind="victim", case_code=world.case.code,
                                      sex="female", age_group="18_24", ethnicity="minority", recordings_refused=True)
    reception = coding.theme_add(access=lead, name="Tiếp nhận", color="#1f77b4")
    interpreter = coding.theme_add(access=lead, name="Phiên dịch", parent_id=reception.pk)
    threats = coding.theme_add(access=lead, name="Đe dọa sau khi trở về")
    support = coding.theme_add(access=lead, name="Hỗ trợ quá thấp")
    io = services.interview_add(access=lead, participant_id=official.pk, held_on="2025-06-02", kind="transcript",
                                text=TRANSCRIPT_OFFICIAL)
    iv = services.interview_add(access=researcher, participant_id=victim.pk, held_on="2025-06-05", kind="notes",
                                text=TRANSCRIPT_VICTIM)
    start = TRANSCRIPT_OFFICIAL.index("thiếu phiên dịch")
    s_off = coding.segment_add(access=lead, interview_id=io.pk, theme_id=interpreter.pk, start=start,
                               end=start + len("thiếu phiên dịch tiếng Mông"))
    vstart = TRANSCRIPT_VICTIM.index("có người lạ")
    s_vic = coding.segment_add(access=researcher, interview_id=iv.pk, theme_id=threats.pk, start=vstart,
                               end=TRANSCRIPT_VICTIM.index(", em sợ"))
    c_off = coding.cell_save(access=lead, participant_id=official.pk, theme_id=reception.pk,
                             summary="Thiếu phiên dịch tiếng Mông khi tiếp nhận.", segment_ids=[s_off.pk])
    c_vic = coding.cell_save(access=researcher, participant_id=victim.pk, theme_id=threats.pk,
                             summary="Bị người lạ đến hỏi thăm sau hai tháng; sợ hãi.", segment_ids=[s_vic.pk])
    memo = coding.memo_add(access=lead, text="Ghi chú: so sánh với phát hiện của nghiên cứu gốc.",
                           theme_id=threats.pk, participant_id=victim.pk)
    return Setup(study, lead, researcher, official, official2, victim,
                 {"reception": reception, "interpreter": interpreter, "threats": threats, "support": support},
                 {"official": io, "victim": iv}, {"official": s_off, "victim": s_vic},
                 {"official": c_off, "victim": c_vic}, memo)


@pytest.fixture
def setup(world: World) -> Setup:
    return build(world)


def today() -> dt.date:
    return dt.date.today()

"""Demo data for research: a fictional framework-analysis study in Lào Cai.

Led by `women.worker` (Women's Union, who owns the victims' cases w01, w03, w04 and records their research
consent through the consent services), with `legalaid.worker` as a researcher. Four officials and three
victims, all by pseudonym, and a rights scorecard of Lào Cai with a few ratings; w04's research consent is withdrawn afterwards to show that her material leaves
the matrix and the exports. The transcripts are short, written for the demo, and describe no real person.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from haven.cases.selectors import Need, access_case
from haven.consent.services import consent_record
from haven.research import coding, report, services
from haven.research import scorecard as sc
from haven.research.selectors import access_study

CHANNEL = "demo"

THEMES: tuple[tuple[str, str | None, str], ...] = (
    ("Tiếp nhận", None, "#1f77b4"),
    ("Xác định nạn nhân", None, "#ff7f0e"),
    ("Hồ sơ, giấy tờ", "Xác định nạn nhân", ""),
    ("Thời hạn", "Xác định nạn nhân", ""),
    ("Mức hỗ trợ quá thấp", None, "#2ca02c"),
    ("Thông tin về quyền", None, "#9467bd"),
    ("Đe dọa sau khi trở về", None, "#d62728"),
    ("Bồi thường", None, "#8c564b"),
)

# (pseudonym, kind, story key or agency kind, sex, age group, ethnicity, recordings refused, transcript,
#  [(theme, quoted phrase, summary)])
PARTICIPANTS: tuple[tuple[Any, ...], ...] = (
    ("CB-BP-01", "official", "border_guard", "male", "25_39", "kinh", False,
     "Cán bộ CB-BP-01: Ở cửa khẩu chúng tôi tiếp nhận nhiều chị em vào ban đêm. Phòng tiếp nhận chật, "
     "không có phiên dịch tiếng Mông nên phải nhờ người trong bản. Biên bản bàn giao phải làm ba bản, "
     "chờ chữ ký đủ mất cả buổi.",
     [("Tiếp nhận", "không có phiên dịch tiếng Mông", "Thiếu phiên dịch tiếng Mông khi tiếp nhận ban đêm."),
      ("Hồ sơ, giấy tờ", "Biên bản bàn giao phải làm ba bản", "Thủ tục bàn giao nhiều bản, kéo dài.")]),
    ("CB-CA-02", "official", "police", "female", "40_plus", "kinh", False,
     "Cán bộ CB-CA-02: Việc xác minh phụ thuộc vào phía nước bạn trả lời, có khi quá thời hạn luật định. "
     "Nạn nhân hỏi khi nào được nhận tiền hỗ trợ, chúng tôi không trả lời được.",
     [("Thời hạn", "có khi quá thời hạn luật định", "Xác minh thường quá hạn do chờ phía nước ngoài."),
      ("Thông tin về quyền", "chúng tôi không trả lời được", "Cán bộ không nắm rõ quyền được hỗ trợ.")]),
    ("CB-XA-03", "official", "commune_committee", "male", "25_39", "minority", False,
     "Cán bộ CB-XA-03: Xã chỉ có một cán bộ lao động thương binh xã hội kiêm nhiệm. Hồ sơ đề nghị trợ cấp "
     "phải xác nhận hộ nghèo, nhiều gia đình không có giấy tờ.",
     [("Hồ sơ, giấy tờ", "nhiều gia đình không có giấy tờ", "Thiếu giấy tờ chứng minh hộ nghèo.")]),
    ("CB-TG-04", "official", "legal_aid", "female", "25_39", "kinh", False,
     "Cán bộ CB-TG-04: Rất ít vụ có quyết định bồi thường. Khi có quyết định thì người phải bồi thường "
     "không có tài sản, bản án khó thi hành.",
     [("Bồi thường", "bản án khó thi hành", "Bồi thường hiếm khi được thi hành.")]),
    ("NN-01", "victim", "w01", "female", "18_24", "kinh", True,
     "NN-01: Em về được hai tháng thì có người lạ đến nhà hỏi thăm em, em sợ họ là người của bọn môi giới. "
     "Tiền hỗ trợ được ít, không đủ tiền xe đi khám bệnh.",
     [("Đe dọa sau khi trở về", "có người lạ đến nhà hỏi thăm em", "Bị người lạ tìm đến nhà sau khi về; lo sợ."),
      ("Mức hỗ trợ quá thấp", "không đủ tiền xe đi khám bệnh", "Hỗ trợ không đủ chi phí đi lại khám bệnh.")]),
    ("NN-02", "victim", "w03", "female", "25_39", "minority", False,
     "NN-02: Ở biên phòng các anh cho ăn, cho chỗ ngủ. Nhưng không ai nói cho em biết em được hỗ trợ "
     "những gì, em chỉ biết khi cán bộ Hội Phụ nữ đến.",
     [("Tiếp nhận", "các anh cho ăn, cho chỗ ngủ", "Nhu cầu thiết yếu được đáp ứng khi tiếp nhận."),
      ("Thông tin về quyền", "không ai nói cho em biết em được hỗ trợ", "Không được thông tin về quyền.")]),
    ("NN-03", "victim", "w04", "female", "25_39", "kinh", True,
     "NN-03: Em muốn đòi bồi thường nhưng không biết bắt đầu từ đâu.",
     [("Bồi thường", "không biết bắt đầu từ đâu", "Muốn đòi bồi thường nhưng thiếu hướng dẫn.")]),
)
WITHDRAWN = "w04"
# Segments chosen as quotations for the evaluation report (NN-03's is left out of it once she withdraws).
QUOTED = frozenset({"không có phiên dịch tiếng Mông", "chúng tôi không trả lời được", "có người lạ đến nhà hỏi thăm em",
                    "không ai nói cho em biết em được hỗ trợ", "bản án khó thi hành", "không biết bắt đầu từ đâu"})


def _consent(loader: Any, key: str, decision: str, on: dt.date) -> None:
    case = loader.cases[key]
    access = access_case(loader.users["women.worker"], case_id=case.pk, need=Need.EDIT)
    consent_record(access=access, purpose="research", decision=decision, given_by="person",
                   method="signed_form", effective_on=on, channel=CHANNEL)


def load(loader: Any) -> None:
    """Add this app's demo rows. `loader` has today, units, agencies, users, specs and cases (by spec key)."""
    lead_user, researcher_user = loader.users["women.worker"], loader.users["legalaid.worker"]
    today = loader.today
    study = services.study_create(
        acting_user=lead_user, title="Đánh giá quyền của nạn nhân trở về tại Lào Cai",
        purpose="Phân tích khung (framework analysis) các cuộc phỏng vấn cán bộ và nạn nhân: quyền được bảo vệ "
                "và quyền được hỗ trợ có được tôn trọng, bảo vệ và thực hiện không. Dữ liệu minh họa, hư cấu.",
        period_start=dt.date(today.year - 1, 1, 1), period_end=dt.date(today.year - 1, 12, 31), channel=CHANNEL)
    lead = access_study(lead_user, study.pk)
    services.member_add(access=lead, username=researcher_user.username, channel=CHANNEL)
    themes: dict[str, Any] = {}
    for name, parent, color in THEMES:
        themes[name] = coding.theme_add(access=lead, name=name, parent_id=themes[parent].pk if parent else None,
                                        color=color, channel=CHANNEL)
    held_on = today - dt.timedelta(days=3)
    for pseudonym, kind, link, sex, age, ethnicity, refused, text, codes in PARTICIPANTS:
        extra: dict[str, Any] = {"agency_kind": link} if kind == "official" else {}
        if kind == "victim":
            _consent(loader, link, "given", held_on - dt.timedelta(days=1))
            extra["case_code"] = loader.cases[link].code
        participant = services.participant_add(access=lead, pseudonym=pseudonym, kind=kind, sex=sex, age_group=age,
                                               ethnicity=ethnicity, recordings_refused=refused, channel=CHANNEL,
                                               **extra)
        interview = services.interview_add(access=lead, participant_id=participant.pk, held_on=held_on,
                                           kind="transcript" if kind == "official" else "notes", text=text,
                                           recorded=False, channel=CHANNEL)
        for theme_name, phrase, summary in codes:
            start = text.index(phrase)
            segment = coding.segment_add(access=lead, interview_id=interview.pk, theme_id=themes[theme_name].pk,
                                         start=start, end=start + len(phrase), channel=CHANNEL)
            if phrase in QUOTED:
                report.segment_quote_set(access=lead, segment_id=segment.pk, quoted=True, channel=CHANNEL)
            coding.cell_save(access=lead, participant_id=participant.pk, theme_id=themes[theme_name].pk,
                             summary=summary, segment_ids=[segment.pk], channel=CHANNEL)
    coding.memo_add(access=access_study(researcher_user, study.pk), theme_id=themes["Thông tin về quyền"].pk,
                    text="Cả cán bộ và nạn nhân đều nói về việc thiếu thông tin về quyền: so sánh hai nhóm.",
                    channel=CHANNEL)
    _consent(loader, WITHDRAWN, "withdrawn", today)
    _scorecard(lead, today)


# (indicator, rating, note): the evaluator's first judgements on the demo scorecard.
RATINGS: tuple[tuple[str, str, str], ...] = (
    ("information.rule", "not_met", "Trước 01/7/2025 không có quy định về quyền được thông tin; nạn nhân NN-02 "
                                    "không được ai cho biết mình được hỗ trợ gì."),
    ("support.travel.received", "partly", "Có hỗ trợ đi lại nhưng mức thấp so với chi phí thực tế (NN-01)."),
    ("protection.minors.safety", "met", "Trẻ em chỉ được cho về khi đã có đánh giá an toàn được phê duyệt."),
    ("compensation.awards.unpaid", "cannot_tell", "Quá ít vụ có quyết định bồi thường để kết luận."),
)


def _scorecard(lead: Any, today: dt.date) -> None:
    """A scorecard of Lào Cai (the 2025 province, which takes in its predecessors) over the last three years."""
    card = sc.scorecard_create(access=lead, title="Thẻ điểm quyền — Lào Cai",
                               period_start=dt.date(today.year - 2, 1, 1), period_end=today,
                               province="lao-cai-2025", channel=CHANNEL)
    for indicator, rating, note in RATINGS:
        sc.rating_set(access=lead, scorecard=card, indicator=indicator, rating=rating, note=note, channel=CHANNEL)

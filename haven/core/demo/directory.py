"""Demo data for the service directory: what the demo's Lào Cai agencies offer, and to whom.

Modelled on the seed study (Table 2): the provincial social work centre shelters women and girls for up
to three months; the NGO safe house (fictional name) takes young women from 11; no service in the
province shelters adult men or boys, the gap the study and the 2021 TIP report describe. Addresses
and phone numbers are invented.
"""

from __future__ import annotations

from typing import Any

from haven.directory.services import offering_create

CHANNEL = "demo"
ALL = ("female", "male")
WOMEN = ("female",)

# (agency key, name, items, sexes, min age, max age, languages, places, address, phone)
OFFERINGS: tuple[tuple[str, str, tuple[str, ...], tuple[str, ...], int | None, int | None, tuple[str, ...],
                       int | None, str, str], ...] = (
    ("border", "Hỗ trợ thiết yếu khi tiếp nhận tại cửa khẩu",
     ("food", "clothing_personal_items", "essential_needs", "travel", "interpretation"), ALL, None, None,
     ("vie", "hmn", "zho"), None, "Số 1 đường Giả Định, phường Lào Cai", "0214 000 0101"),
    ("swc", "Nơi ở tạm thời và hỗ trợ ban đầu",
     ("shelter", "food", "clothing_personal_items", "essential_needs", "travel", "medical", "health_insurance",
      "psychological", "legal_support", "education", "vocational_training", "hardship_allowance"),
     WOMEN, None, None, ("vie", "hmn", "ium", "tyz"), 20, "Số 12 đường Thử Nghiệm, phường Lào Cai", "0214 000 0202"),
    ("swc", "Tư vấn tâm lý và pháp lý không lưu trú", ("psychological", "legal_support", "family_support"),
     ALL, None, None, ("vie", "hmn"), None, "Số 12 đường Thử Nghiệm, phường Lào Cai", "0214 000 0203"),
    ("shelter", "Nhà an toàn dài hạn",
     ("shelter", "medical", "health_insurance", "psychological", "legal_support", "education",
      "vocational_training", "life_skills", "job_placement", "family_support"),
     WOMEN, 11, None, ("vie", "hmn", "ium", "tyz"), 15, "Ngõ Không Có Thật, phường Lào Cai", "0214 000 0303"),
    ("legalaid", "Trợ giúp pháp lý miễn phí", ("legal_aid", "legal_support"), ALL, None, None, ("vie",), None,
     "Số 3 đường Mẫu, phường Lào Cai", "0214 000 0404"),
    ("women", "Hỗ trợ hòa nhập cộng đồng và vay vốn", ("psychological", "loan", "job_placement", "family_support"),
     WOMEN, 16, None, ("vie", "hmn", "ium"), None, "Số 5 đường Ví Dụ, phường Lào Cai", "0214 000 0505"),
    ("health", "Khám chữa bệnh và thẻ bảo hiểm y tế", ("medical", "health_insurance"), ALL, None, None,
     ("vie",), None, "Số 7 đường Minh Họa, phường Lào Cai", "0214 000 0707"),
    ("yty", "Tiếp nhận hồ sơ trợ cấp khó khăn ban đầu", ("hardship_allowance", "loan"), ALL, 18, None,
     ("vie", "hmn", "hni"), None, "", ""),
)


def load(loader: Any) -> None:
    """Add the demo's offerings through the service, as the system administrator, audited as channel demo."""
    admin = loader.users["sysadmin"]
    for key, name, items, sexes, min_age, max_age, languages, places, address, phone in OFFERINGS:
        offering_create(
            acting_user=admin, agency_id=loader.agencies[key].pk, name=name, items=list(items), sexes=list(sexes),
            min_age=min_age, max_age=max_age, languages=list(languages), capacity=places, address=address,
            phone=phone, channel=CHANNEL,
        )

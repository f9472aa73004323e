"""Common Vietnamese name parts by ethnic group, to build synthetic names.

Each full name is a random combination of common parts; it describes no one. The lists are the
kind found in any phone book of Lào Cai: Kinh, Hmong, Dao, Tày, Giáy, Nùng and Hà Nhì names.
"""

from __future__ import annotations

import random
from dataclasses import dataclass


@dataclass(frozen=True)
class NameParts:
    family: tuple[str, ...]
    middle_female: tuple[str, ...]
    middle_male: tuple[str, ...]
    given_female: tuple[str, ...]
    given_male: tuple[str, ...]


NAME_PARTS: dict[str, NameParts] = {
    "kinh": NameParts(
        family=("Nguyễn", "Trần", "Lê", "Phạm", "Hoàng", "Vũ", "Đặng", "Bùi", "Đỗ", "Ngô", "Dương", "Đinh"),
        middle_female=("Thị", "Thu", "Ngọc", "Thanh", "Hồng", "Thùy"),
        middle_male=("Văn", "Đức", "Minh", "Quang", "Hữu", "Tiến"),
        given_female=("Hoa", "Lan", "Hương", "Mai", "Trang", "Thảo", "Yến", "Nhung", "Huyền", "Linh", "Ngân", "Phượng"),
        given_male=("Hùng", "Dũng", "Tuấn", "Sơn", "Long", "Thắng", "Hải", "Nam", "Cường", "Khánh"),
    ),
    "hmong": NameParts(
        family=("Giàng", "Sùng", "Thào", "Vàng", "Lý", "Mùa", "Hầu", "Lầu", "Sình", "Hạng", "Tráng", "Cứ"),
        middle_female=("Thị", "Mí", "Thị"),
        middle_male=("A", "Seo", "Văn"),
        given_female=("Mỷ", "Dở", "Súa", "Pàng", "Chứ", "Sa", "Dung", "Xí", "Sủ", "Mỉ", "Pà", "Chi", "Dợ", "Lử"),
        given_male=("Páo", "Chơ", "Lử", "Dình", "Sử", "Chư", "Dế", "Thề", "Phử", "Sàng"),
    ),
    "dao": NameParts(
        family=("Triệu", "Bàn", "Phàn", "Tẩn", "Chảo", "Lý", "Đặng"),
        middle_female=("Thị", "Tả", "Mẩy"),
        middle_male=("Văn", "Láo", "Kiềm"),
        given_female=("Mẩy", "Chài", "Nhất", "Mùi", "Xuân", "Phấy", "Sứ", "Nải"),
        given_male=("Sành", "Chàn", "Lở", "Phin", "Quẩy", "Vảng"),
    ),
    "tay": NameParts(
        family=("Hoàng", "Nông", "Lương", "Ma", "Hà", "Lục", "Vi"),
        middle_female=("Thị",),
        middle_male=("Văn",),
        given_female=("Hiền", "Thương", "Nga", "Thơm", "Hằng", "Duyên", "Lụa"),
        given_male=("Thào", "Tiến", "Khải", "Lâm", "Quyết"),
    ),
    "giay": NameParts(
        family=("Lò", "Vương", "Lù", "Sầm", "Hoàng"),
        middle_female=("Thị",),
        middle_male=("Văn", "Seo"),
        given_female=("Sinh", "Phấn", "Liên", "Dịu", "Xuyến", "Mến"),
        given_male=("Phong", "Chung", "Thắng", "Dũng", "Pủ"),
    ),
    "nung": NameParts(
        family=("Nông", "Vàng", "Lù", "Hoàng", "Sèn"),
        middle_female=("Thị",),
        middle_male=("Văn", "Seo"),
        given_female=("Dín", "Múi", "Sỉnh", "Hoa", "Phương"),
        given_male=("Sáng", "Pin", "Chấn", "Sình"),
    ),
    "ha_nhi": NameParts(
        family=("Chu", "Ly", "Pờ", "Sần", "Phu"),
        middle_female=("Thị", "Mé"),
        middle_male=("Văn", "A"),
        given_female=("Mé", "Xá", "Chừ", "Giá", "Chơ", "Lù"),
        given_male=("Sừ", "Chà", "Phá", "Dì"),
    ),
}


def make_name(rng: random.Random, ethnicity: str, sex: str, *, family: str | None = None) -> str:
    parts = NAME_PARTS.get(ethnicity, NAME_PARTS["kinh"])
    female = sex == "female"
    middle = rng.choice(parts.middle_female if female else parts.middle_male)
    given = rng.choice([g for g in (parts.given_female if female else parts.given_male) if g != middle])
    return f"{family or rng.choice(parts.family)} {middle} {given}"

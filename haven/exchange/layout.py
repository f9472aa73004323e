"""The column layout of a historical case file: English or Vietnamese headers, codes or labels as values."""

from __future__ import annotations

import datetime as dt
import functools
import re
import unicodedata
from typing import Any

from django.db.models import TextChoices
from django.utils import translation

# (field, accepted headers). Headers are compared without accents, case, spaces or underscores.
COLUMNS: list[tuple[str, list[str]]] = [
    ("source_ref", ["source_ref", "reference", "Mã hồ sơ gốc", "Số hồ sơ"]),
    ("full_name", ["full_name", "Full name", "Họ và tên", "Họ tên"]),
    ("other_names", ["other_names", "Other names", "Tên gọi khác"]),
    ("sex", ["sex", "Giới tính"]),
    ("date_of_birth", ["date_of_birth", "Date of birth", "Ngày sinh"]),
    ("birth_year", ["birth_year", "Year of birth", "Năm sinh"]),
    ("id_number", ["id_number", "ID number", "Số giấy tờ", "Số CCCD"]),
    ("phone", ["phone", "Điện thoại", "Số điện thoại"]),
    ("address", ["address", "Địa chỉ"]),
    ("family_contacts", ["family_contacts", "Family contacts", "Liên hệ gia đình"]),
    ("ethnicity", ["ethnicity", "Dân tộc"]),
    ("nationality", ["nationality", "Quốc tịch"]),
    ("home_province", ["home_province", "Home province", "Tỉnh"]),
    ("home_commune", ["home_commune", "Home commune", "Xã"]),
    ("languages", ["languages", "Ngôn ngữ"]),
    ("category", ["category", "Diện"]),
    ("received_on", ["received_on", "Date of reception", "Ngày tiếp nhận"]),
    ("reception_place", ["reception_place", "Place of reception", "Nơi tiếp nhận"]),
    ("return_mode", ["return_mode", "How the person came back", "Hình thức trở về"]),
    ("identified_at", ["identified_at", "Where identified", "Nơi phát hiện"]),
    ("exploitation_types", ["exploitation_types", "Types of exploitation", "Hình thức bóc lột"]),
    ("destination_country", ["destination_country", "Destination country", "Nước đến"]),
    ("means_of_control", ["means_of_control", "Means of control", "Thủ đoạn khống chế"]),
    ("status", ["status", "Trạng thái"]),
    ("identified_on", ["identified_on", "Date of identification", "Ngày xác định"]),
    ("identification_authority", ["identification_authority", "Competent authority", "Cơ quan xác định"]),
    ("closed_on", ["closed_on", "Date closed", "Ngày kết thúc"]),
]
REQUIRED = ("source_ref", "full_name", "sex", "category", "received_on", "reception_place", "return_mode")
LIST_FIELDS = ("languages", "exploitation_types", "means_of_control")


def fold(text: Any) -> str:
    """Lower case, no accents (đ → d), letters and digits only: the key headers and labels are compared by."""
    return _fold(str(text or ""))


@functools.lru_cache(maxsize=4096)
def _fold(text: str) -> str:
    # Cached: an import folds the same few option words (sex, ethnicity, status…) on every row.
    value = unicodedata.normalize("NFD", text).replace("\u0111", "d").replace("\u0110", "d")
    value = "".join(c for c in value if unicodedata.category(c) != "Mn").lower()
    return re.sub(r"[^a-z0-9]", "", value)


HEADERS = {fold(alias): name for name, aliases in COLUMNS for alias in [name, *aliases]}


def choice_lookup(choices: type[TextChoices], *extra: tuple[str, str]) -> dict[str, str]:
    """Code → code, English label → code, Vietnamese label → code, all folded."""
    table = {fold(value): value for value in choices.values}
    for language in ("en", "vi"):
        with translation.override(language):
            table.update({fold(str(label)): value for value, label in choices.choices})
    table.update({fold(alias): value for alias, value in extra})
    return table


_DMY = re.compile(r"^\s*(\d{1,2})[/.\-](\d{1,2})[/.\-](\d{4})\s*$")


def cell_date(value: Any) -> Any:
    """Spreadsheet dates: a date cell, ISO (2024-07-03) or the Vietnamese day/month/year (03/07/2024)."""
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, str) and (match := _DMY.match(value)):
        day, month, year = (int(g) for g in match.groups())
        try:
            return dt.date(year, month, day)
        except ValueError:
            return value
    return value


def cell_text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, dt.datetime | dt.date):
        return value.isoformat()[:10]
    return str(value).strip()


def cell_list(value: Any) -> list[str]:
    return [part.strip() for part in re.split(r"[;,|]", cell_text(value)) if part.strip()]

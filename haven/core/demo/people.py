"""The demo's synthetic people: a fixed table of case stories, filled in from a seeded generator.

Nothing here describes a real person. Names are random combinations of common name parts; ID
numbers start with 099, a province prefix no citizen ID card uses; phone numbers start with 0100,
a prefix no Vietnamese line has used since 2018. Free-text notes say they are demo data.
The same seed and the same day give the same people, so the raw-database test knows what to look for.
"""

from __future__ import annotations

import datetime as dt
import random
from dataclasses import dataclass, field

from haven.cases.models import Category, Exploitation, MeansOfControl, ReturnMode, Status
from haven.core.demo.names import make_name

SEED = 20250701

C = Category
S = Status
E = Exploitation
R = ReturnMode


@dataclass(frozen=True)
class Story:
    """One case as the demo tells it. `final` is the status the case is walked to through the services."""

    key: str
    owner: str  # username of the caseworker who registers it
    category: str
    final: str
    ethnicity: str
    sex: str
    age: int  # at reception
    when: tuple[str, int]  # ("old", n): before the 2025 reform; ("new", n): after it; ("ago", days)
    exploitation: tuple[str, ...] = ()
    destination: str = ""
    return_mode: str = R.BORDER_HANDOVER
    accompanies: str = ""  # the victim's story key, for an accompanying minor
    relative_of: str = ""  # the story key of the person this is a relative of
    relation: str = ""
    identified_ago: int | None = None  # for final == identified
    via: str = ""  # for a closed case: "not_victim" or "reception" when it closed without identification
    nationality: str = "VN"


_FM, _FL, _SX, _FC = E.FORCED_MARRIAGE, E.FORCED_LABOUR, E.SEXUAL, E.FORCED_CRIMINALITY
_V = C.UNDER_IDENTIFICATION  # victims are registered under identification, then identified

STORIES: tuple[Story, ...] = (
    # Border guard post: handovers at the international border gate.
    Story("b01", "border.worker", _V, S.SUPPORT, "hmong", "female", 17, ("old", 1), (_FM,), "CN"),
    Story("b02", "border.worker", _V, S.SUPPORT, "hmong", "female", 24, ("old", 2), (_FM,), "CN"),
    Story("b03", "border.worker", C.ACCOMPANYING_MINOR, S.SUPPORT, "hmong", "male", 3, ("old", 2), accompanies="b02"),
    Story("b04", "border.worker", _V, S.REINTEGRATION, "dao", "female", 20, ("old", 3), (_FM,), "CN"),
    Story("b05", "border.worker", _V, S.CLOSED, "kinh", "female", 26, ("old", 4), (_SX,), "CN"),
    Story("b06", "border.worker", _V, S.IDENTIFIED, "hmong", "female", 16, ("ago", 9), (_FM,), "CN", identified_ago=2),
    Story("b07", "border.worker", _V, S.IDENTIFIED, "tay", "female", 22, ("ago", 30), (_SX,), "CN", identified_ago=20),
    Story("b08", "border.worker", _V, S.IDENTIFIED, "giay", "male", 19, ("ago", 55), (_FL,), "CN", identified_ago=40),
    Story("b09", "border.worker", _V, S.RECEPTION, "hmong", "female", 15, ("ago", 1), (_FM,), "CN"),
    Story("b10", "border.worker", C.RELATIVE, S.SUPPORT, "hmong", "female", 44, ("old", 1), relative_of="b01",
          relation="Mẹ"),
    Story("b11", "border.worker2", _V, S.RECEPTION, "hmong", "male", 17, ("ago", 3), (_FL,), "CN"),
    Story("b12", "border.worker2", _V, S.VERIFICATION, "dao", "female", 18, ("ago", 12), (_FM,), "CN"),
    Story("b13", "border.worker2", _V, S.VERIFICATION, "kinh", "female", 30, ("ago", 20), (_FM,), "CN"),
    Story("b14", "border.worker2", _V, S.NOT_VICTIM, "kinh", "male", 28, ("new", 1), (_FL,), "CN"),
    Story("b15", "border.worker2", _V, S.CLOSED, "hmong", "male", 35, ("old", 5), (_FL,), "CN", via="not_victim"),
    Story("b16", "border.worker2", _V, S.SUPPORT, "hmong", "female", 21, ("new", 2), (_FM,), "CN"),
    Story("b17", "border.worker2", C.ACCOMPANYING_MINOR, S.SUPPORT, "hmong", "female", 1, ("new", 2),
          accompanies="b16"),
    # Provincial police: rescues, and returns from scam compounds through a diplomatic mission.
    Story("p01", "police.worker", _V, S.SUPPORT, "kinh", "male", 23, ("new", 3), (_FC,), "KH", R.DIPLOMATIC_MISSION),
    Story("p02", "police.worker", _V, S.REINTEGRATION, "kinh", "male", 25, ("new", 4), (_FC, _FL), "KH",
          R.DIPLOMATIC_MISSION),
    Story("p03", "police.worker", _V, S.VERIFICATION, "hmong", "female", 19, ("ago", 8), (_SX,), "CN", R.RESCUED),
    Story("p04", "police.worker", _V, S.CLOSED, "kinh", "female", 31, ("old", 6), (_FL,), "MY", R.SELF_RETURNED),
    Story("p05", "police.worker", C.RELATIVE, S.RECEPTION, "kinh", "male", 52, ("ago", 6), relative_of="p01",
          relation="Bố"),
    Story("p06", "police.worker", _V, S.VERIFICATION, "foreign", "female", 20, ("ago", 14), (_FM,), "CN",
          R.RESCUED, nationality="LA"),
    # Provincial social work centre: people who come back on their own.
    Story("s01", "swc.worker", _V, S.SUPPORT, "hmong", "female", 18, ("new", 5), (_FM,), "CN", R.SELF_RETURNED),
    Story("s02", "swc.worker", C.ACCOMPANYING_MINOR, S.SUPPORT, "hmong", "male", 1, ("new", 5), accompanies="s01"),
    Story("s03", "swc.worker", _V, S.REINTEGRATION, "dao", "female", 21, ("old", 7), (_FM,), "CN", R.SELF_RETURNED),
    Story("s04", "swc.worker", _V, S.CLOSED, "hmong", "female", 24, ("old", 8), (_FM,), "CN", R.SELF_RETURNED),
    Story("s05", "swc.worker", _V, S.RECEPTION, "giay", "female", 17, ("ago", 4), (_SX,), "CN", R.SELF_RETURNED),
    Story("s06", "swc.worker", _V, S.SUPPORT, "tay", "female", 28, ("new", 6), (_SX,), "CN", R.DIPLOMATIC_MISSION),
    # The NGO shelter (fictional): girls and young women with their children.
    Story("n01", "shelter.worker", _V, S.SUPPORT, "hmong", "female", 16, ("new", 7), (_FM,), "CN", R.SELF_RETURNED),
    Story("n02", "shelter.worker", C.ACCOMPANYING_MINOR, S.SUPPORT, "hmong", "female", 2, ("new", 7),
          accompanies="n01"),
    Story("n03", "shelter.worker", _V, S.REINTEGRATION, "hmong", "female", 19, ("old", 9), (_FM,), "CN",
          R.SELF_RETURNED),
    Story("n04", "shelter.worker", C.ACCOMPANYING_MINOR, S.REINTEGRATION, "hmong", "male", 4, ("old", 9),
          accompanies="n03"),
    Story("n05", "shelter.worker", _V, S.CLOSED, "dao", "female", 22, ("old", 10), (_FM,), "CN", R.SELF_RETURNED),
    Story("n06", "shelter.worker", C.ACCOMPANYING_MINOR, S.CLOSED, "dao", "female", 5, ("old", 10),
          accompanies="n05"),
    Story("n07", "shelter.worker", _V, S.CLOSED, "dao", "female", 20, ("ago", 25), (_FM,), "CN", R.SELF_RETURNED,
          via="reception"),
    # Commune People's Committees: people who came home without telling anyone, found later.
    Story("y01", "yty.worker", _V, S.RECEPTION, "ha_nhi", "female", 23, ("ago", 2), (_FM,), "CN", R.SELF_RETURNED),
    Story("y02", "yty.worker", _V, S.REINTEGRATION, "hmong", "female", 27, ("old", 11), (_FM,), "CN",
          R.SELF_RETURNED),
    Story("y03", "yty.worker", C.RELATIVE, S.SUPPORT, "hmong", "female", 15, ("old", 12), relative_of="y02",
          relation="Em gái"),
    Story("y04", "yty.worker", _V, S.SUPPORT, "hmong", "female", 23, ("new", 8), (_FM,), "CN", R.SELF_RETURNED),
    Story("l01", "phalong.worker", _V, S.VERIFICATION, "hmong", "female", 22, ("ago", 18), (_FM,), "CN",
          R.SELF_RETURNED),
    Story("l02", "phalong.worker", _V, S.REINTEGRATION, "nung", "female", 26, ("old", 13), (_FL,), "CN",
          R.SELF_RETURNED),
    Story("l03", "phalong.worker", C.RELATIVE, S.CLOSED, "nung", "male", 50, ("old", 14), relative_of="l02",
          relation="Bố"),
    # Provincial Women's Union.
    Story("w01", "women.worker", _V, S.SUPPORT, "kinh", "female", 19, ("new", 9), (_SX,), "CN"),
    Story("w02", "women.worker", C.ACCOMPANYING_MINOR, S.RECEPTION, "kinh", "male", 2, ("ago", 5), accompanies="w01"),
    Story("w03", "women.worker", _V, S.RECEPTION, "tay", "female", 24, ("ago", 7), (_FL,), "CN"),
    Story("w04", "women.worker", _V, S.CLOSED, "kinh", "female", 33, ("old", 15), (_FM,), "CN"),
)

# Homes by ethnic group: a commune (or, for some Kinh people, just another province), before and
# after the 2025 reform. Codes are AdminUnit codes from haven/geo/data.
_HOMES: dict[str, dict[str, tuple[str, ...]]] = {
    "hmong": {
        "old": ("lao-cai/bat-xat/y-ty", "lao-cai/bat-xat/a-mu-sung", "lao-cai/bat-xat/ban-vuoc",
                "lao-cai/muong-khuong/pha-long", "lao-cai/sa-pa/ban-khoang", "lao-cai/sa-pa/ta-van",
                "lao-cai/si-ma-cai/san-chai", "lao-cai/bac-ha/lung-phinh"),
        "new": ("lao-cai-2025/y-ty", "lao-cai-2025/a-mu-sung", "lao-cai-2025/pha-long", "lao-cai-2025/ta-van",
                "lao-cai-2025/si-ma-cai", "lao-cai-2025/bac-ha", "lao-cai-2025/trinh-tuong"),
    },
    "dao": {
        "old": ("lao-cai/sa-pa/ta-phin", "lao-cai/bat-xat/trinh-tuong", "lao-cai/van-ban/nam-xe",
                "lao-cai/bat-xat/den-sang"),
        "new": ("lao-cai-2025/ban-ho", "lao-cai-2025/van-ban", "lao-cai-2025/trinh-tuong"),
    },
    "tay": {
        "old": ("lao-cai/bao-yen/nghia-do", "lao-cai/van-ban/khanh-yen", "lao-cai/bao-thang/xuan-quang"),
        "new": ("lao-cai-2025/bao-yen", "lao-cai-2025/van-ban"),
    },
    "giay": {
        "old": ("lao-cai/bat-xat/quang-kim", "lao-cai/sa-pa/ta-van", "lao-cai/bat-xat/muong-hum"),
        "new": ("lao-cai-2025/bat-xat", "lao-cai-2025/ta-van"),
    },
    "nung": {
        "old": ("lao-cai/muong-khuong/ban-lau", "lao-cai/muong-khuong/lung-vai"),
        "new": ("lao-cai-2025/ban-lau", "lao-cai-2025/muong-khuong"),
    },
    "ha_nhi": {"old": ("lao-cai/bat-xat/y-ty",), "new": ("lao-cai-2025/y-ty",)},
    "kinh": {
        "old": ("lao-cai/lao-cai/kim-tan", "lao-cai/lao-cai/pom-han", "lao-cai/bao-thang/pho-lu", "nghe-an",
                "ha-noi"),
        "new": ("lao-cai-2025/lao-cai", "lao-cai-2025/cam-duong", "lao-cai-2025/yen-bai", "nghe-an", "ha-noi"),
    },
    "foreign": {"old": ("",), "new": ("",)},
}

_LANGUAGES = {
    "hmong": [["hmn"], ["hmn", "vi"], ["hmn", "vi", "zh"]],
    "dao": [["dao", "vi"], ["dao"]],
    "tay": [["tay", "vi"]],
    "giay": [["giay", "vi"]],
    "nung": [["nut", "vi"]],
    "ha_nhi": [["other", "vi"]],
    "kinh": [["vi"], ["vi", "zh"]],
    "foreign": [["lo", "hmn"]],
}

_MEANS: dict[str, tuple[str, ...]] = {
    _FM: (MeansOfControl.FALSE_PROMISES, MeansOfControl.RESTRICTED_MOVEMENT, MeansOfControl.DOCUMENTS,
          MeansOfControl.SEXUAL_ABUSE, MeansOfControl.THREATS),
    _FL: (MeansOfControl.DEBT, MeansOfControl.TAKES_EARNINGS, MeansOfControl.EXCESSIVE_HOURS,
          MeansOfControl.DOCUMENTS, MeansOfControl.FALSE_PROMISES),
    _SX: (MeansOfControl.DEBT, MeansOfControl.THREATS, MeansOfControl.DRUGS_ALCOHOL,
          MeansOfControl.PHYSICAL_ABUSE, MeansOfControl.RESTRICTED_MOVEMENT),
    _FC: (MeansOfControl.DEBT, MeansOfControl.THREATS_FAMILY, MeansOfControl.PHYSICAL_ABUSE,
          MeansOfControl.DOCUMENTS, MeansOfControl.RESTRICTED_MOVEMENT),
}

_OLD_START, _OLD_END = dt.date(2023, 3, 1), dt.date(2025, 4, 30)
_NEW_START = dt.date(2025, 7, 10)


@dataclass
class PersonSpec:
    """Everything the demo registers for one story: identity (sealed on save) and clear attributes."""

    story: Story
    full_name: str
    other_names: str
    date_of_birth: str
    birth_year: int
    id_number: str
    phone: str
    family_contacts: str
    guardian: str  # who consents with or for a child
    witness: str  # who witnesses verbal consent (an interpreter)
    notes: str
    home: str  # AdminUnit code: a commune, a province, or "" (a foreign national)
    address_village: str
    languages: list[str]
    means_of_control: list[str]
    received_on: dt.date
    identified_on: dt.date | None = None
    closed_on: dt.date | None = None
    extra: dict = field(default_factory=dict)


def _between(rng: random.Random, start: dt.date, end: dt.date) -> dt.date:
    return start + dt.timedelta(days=rng.randint(0, max(0, (end - start).days)))


def _received_on(rng: random.Random, story: Story, today: dt.date) -> dt.date:
    era, value = story.when
    if era == "ago":
        return today - dt.timedelta(days=value)
    if era == "old":
        return _between(rng, _OLD_START, _OLD_END)
    return _between(rng, _NEW_START, today - dt.timedelta(days=100))


def _id_number(rng: random.Random, sex: str, birth_year: int) -> str:
    # 12 digits like a citizen ID card, but with the unused province prefix 099: never a real card.
    century_sex = (0 if birth_year < 2000 else 2) + (1 if sex == "female" else 0)
    return f"099{century_sex}{birth_year % 100:02d}{rng.randint(0, 999_999):06d}"


def demo_people(today: dt.date) -> list[PersonSpec]:
    """The demo's people, in registration order (a victim before the minor who accompanies them)."""
    rng = random.Random(SEED)
    used_names: set[str] = set()
    specs: dict[str, PersonSpec] = {}
    phones = iter(range(100, 1000))

    def unique_name(ethnicity: str, sex: str, family: str | None = None) -> str:
        while True:
            if ethnicity == "foreign":
                name = rng.choice(("Ia", "Yer", "Mai", "Nou")) + " " + rng.choice(("Vang", "Xiong", "Lor", "Yang"))
            else:
                name = make_name(rng, ethnicity, sex, family=family)
            if name not in used_names:
                used_names.add(name)
                return name

    for story in STORIES:
        linked = specs.get(story.accompanies or story.relative_of)
        if story.accompanies and linked:
            received = linked.received_on if story.when[0] != "ago" else _received_on(rng, story, today)
        elif story.relative_of and linked and story.when[0] != "ago":
            received = min(today, linked.received_on + dt.timedelta(days=rng.randint(3, 20)))
        else:
            received = _received_on(rng, story, today)
        family = linked.full_name.split()[0] if linked and story.relation != "Mẹ" else None
        name = unique_name(story.ethnicity, story.sex, family)
        birth_year = received.year - story.age
        exact_dob = rng.random() < 0.6
        dob = dt.date(birth_year, rng.randint(1, 12), rng.randint(1, 28)) if exact_dob else None
        if dob and (received.month, received.day) < (dob.month, dob.day):
            # The age at reception is part of the story: keep it by moving the birthday earlier.
            dob = dt.date(birth_year, 1, rng.randint(1, min(28, received.day)))
        era = "old" if received < dt.date(2025, 7, 1) else "new"
        home = linked.home if linked else rng.choice(_HOMES[story.ethnicity][era])
        adult = story.age >= 18
        has_id = adult and story.nationality == "VN" and rng.random() < 0.7
        other_names = ""
        if story.category == C.UNDER_IDENTIFICATION and story.destination == "CN" and rng.random() < 0.35:
            other_names = rng.choice(("A Mei", "Xiao Hua", "A Lan", "Xiao Mei", "A Fang")) + " (tên gọi ở nơi bị đưa đến)"
        contact_name = make_name(rng, story.ethnicity if story.ethnicity != "foreign" else "hmong",
                                 rng.choice(("female", "male")))
        relation = rng.choice(("Mẹ", "Bố", "Chị gái", "Anh trai", "Cô", "Chú"))
        if story.accompanies and linked:
            family_contacts = f"Mẹ: {linked.full_name} (cùng được tiếp nhận)"
            guardian = f"{linked.full_name} (mẹ)"
        else:
            family_contacts = f"{relation}: {contact_name}, ĐT 0100 555 {next(phones):03d}"
            guardian = f"{contact_name} ({relation.lower()})"
        exploitation = story.exploitation
        means = sorted(set(rng.sample(_MEANS[exploitation[0]], k=rng.randint(1, 3)))) if exploitation else []
        spec = PersonSpec(
            story=story, full_name=name, other_names=other_names,
            date_of_birth=dob.isoformat() if dob else "", birth_year=birth_year,
            id_number=_id_number(rng, story.sex, birth_year) if has_id else "",
            phone=f"0100 555 {next(phones):03d}" if adult and rng.random() < 0.6 else "",
            family_contacts=family_contacts, guardian=guardian,
            witness=make_name(rng, "kinh", rng.choice(("female", "male"))) + " (phiên dịch viên)",
            notes=(f"[DỮ LIỆU DEMO - HƯ CẤU] Hồ sơ {story.key}: dữ liệu tổng hợp để thử nghiệm, không phải người thật."),
            home=home, address_village=linked.address_village if story.accompanies and linked else f"Thôn {rng.randint(1, 12)}",
            languages=list(rng.choice(_LANGUAGES[story.ethnicity])) if story.age >= 3 else [],
            means_of_control=[str(m) for m in means], received_on=received,
        )
        _timeline(rng, spec, today)
        specs[story.key] = spec
    return list(specs.values())


def is_victim_path(story: Story) -> bool:
    """Registered under identification and walked through verification to identification."""
    if story.category != C.UNDER_IDENTIFICATION:
        return False
    return story.final in (S.IDENTIFIED, S.SUPPORT, S.REINTEGRATION) or (story.final == S.CLOSED and not story.via)


def _timeline(rng: random.Random, spec: PersonSpec, today: dt.date) -> None:
    story = spec.story
    if is_victim_path(story):
        if story.identified_ago is not None:
            spec.identified_on = today - dt.timedelta(days=story.identified_ago)
        else:
            spec.identified_on = min(today, spec.received_on + dt.timedelta(days=rng.randint(4, 20)))
    if story.final == S.CLOSED:
        start = spec.identified_on or spec.received_on
        spec.closed_on = min(today, start + dt.timedelta(days=rng.randint(15, 400)))

"""Wiping and loading the synthetic demo data.

Everything with a service goes through it, so the demo is encrypted and audited like real work:
users (accounts.provisioning.user_create), registration, workflow, consent, sign-offs, break
glass, referrals. Agencies, sharing profiles and sign-off rules have no service yet: those rows are
written directly here.
"""

from __future__ import annotations

import datetime as dt
import time
from dataclasses import dataclass
from typing import Any, cast

from django.contrib.auth.hashers import make_password
from django.contrib.sessions.models import Session
from django.db import IntegrityError, models, transaction
from django.db.models import ProtectedError
from django.utils import timezone

from haven.accounts.models import Agency, AgencyKind, SharingProfile, User
from haven.accounts.provisioning import user_create
from haven.audit.models import AuditChainHead, AuditEvent
from haven.cases.models import (
    Case,
    Category,
    IdentifiedAt,
    Person,
    ReturnMode,
    Signoff,
    SignoffRule,
)
from haven.cases.models import Status as S
from haven.cases.selectors import CaseAccess, Need, access_case, read_identity
from haven.cases.services import (
    Registration,
    break_glass_open,
    case_close,
    case_identify,
    case_mark_not_victim,
    case_register,
    case_start_reintegration,
    case_start_support,
    case_start_verification,
    signoff_sign,
    signoffs_for_agency,
)
from haven.consent.models import Decision, GivenBy, Method, Purpose
from haven.consent.services import consent_record, required_given_by
from haven.core.demo import (
    budgets,
    directory,
    exchange,
    followup,
    legal,
    protection,
    referrals,
    reports,
    research,
    support,
)
from haven.core.demo.org import AGENCIES, DEMO_PASSWORD, SHARING_PROFILES, SIGNOFF_RULES, USERS
from haven.core.demo.people import PersonSpec, demo_people, is_victim_path
from haven.geo.loader import geo_load
from haven.geo.models import AdminUnit, UnitLevel
from haven.referrals.models import Referral, ReferralStatus
from haven.referrals.services import referral_accept, referral_decline, referral_send

CHANNEL = "demo"


class DemoError(Exception):
    pass


@dataclass(frozen=True)
class DemoSummary:
    agencies: int
    users: int
    persons: int
    cases: int
    referrals: int
    audit_events: int
    seconds: float


# (story, receiving agency key, outcome). Sharing consent for the agency kind is recorded first.
REFERRALS: tuple[tuple[str, str, str], ...] = (
    ("b01", "swc", ReferralStatus.ACCEPTED), ("b01", "legalaid", ReferralStatus.ACCEPTED),
    ("b02", "swc", ReferralStatus.ACCEPTED), ("b03", "swc", ReferralStatus.ACCEPTED),
    ("b04", "swc", ReferralStatus.ACCEPTED), ("b04", "legalaid", ReferralStatus.ACCEPTED),
    ("b06", "swc", ReferralStatus.SENT),
    ("b08", "shelter", ReferralStatus.DECLINED),
    ("b16", "shelter", ReferralStatus.ACCEPTED), ("b17", "shelter", ReferralStatus.ACCEPTED),
    ("p01", "legalaid", ReferralStatus.ACCEPTED), ("p02", "swc", ReferralStatus.ACCEPTED),
    ("s01", "legalaid", ReferralStatus.ACCEPTED),
    ("y02", "women", ReferralStatus.ACCEPTED),
    ("w01", "swc", ReferralStatus.ACCEPTED),
    ("n01", "legalaid", ReferralStatus.SENT),
)
_REFERRAL_PURPOSE = {
    "swc": ("Tiếp nhận vào Trung tâm: hỗ trợ nhu cầu thiết yếu, y tế, tâm lý.",
            ["essential_needs", "medical", "psychological"]),
    "legalaid": ("Tư vấn, trợ giúp pháp lý và yêu cầu bồi thường.", ["legal_aid"]),
    "shelter": ("Nơi ở tạm thời an toàn và học nghề.", ["essential_needs", "vocational_training"]),
    "women": ("Theo dõi, hỗ trợ tái hòa nhập cộng đồng tại địa phương.", ["follow_up"]),
}
_DECLINE_NOTE = "Nhà an toàn chỉ tiếp nhận phụ nữ và trẻ em; đề nghị chuyển Trung tâm Công tác xã hội."

# Consent beyond services and sharing: (story, purpose, decision). Withdrawals come at the end.
CONSENTS: tuple[tuple[str, str, str], ...] = (
    *((k, Purpose.RESEARCH, Decision.GIVEN) for k in ("b02", "b04", "s03", "y02", "n03", "l02")),
    *((k, Purpose.RESEARCH, Decision.REFUSED) for k in ("b05", "p02", "w04")),
    *((k, Purpose.MEDIA, Decision.REFUSED) for k in ("b01", "s01", "n01")),
)
STATISTICS_REFUSED = frozenset({"p06", "y01"})
SERVICES_REFUSED = frozenset({"n07"})
WITHDRAWALS: tuple[tuple[str, str, str], ...] = (
    ("b04", Purpose.SHARING, AgencyKind.LEGAL_AID),  # legal aid loses access to this case at once
    ("b02", Purpose.RESEARCH, ""),
    ("p01", Purpose.STATISTICS, ""),
)

# Sign-offs left pending (overdue unless recent); the rest are approved, one objected.
POLICE_PENDING = frozenset({"b06", "b07", "b08", "y04"})
HEALTH_PENDING = frozenset({"b05", "w04", "p02", "n01", "w01", "b06", "b07", "b08", "y04"})
POLICE_OBJECTS = {"s06": "Cần bổ sung biên bản lời khai có phiên dịch trước khi xác nhận."}

BREAK_GLASS = (
    "police.worker", "b07",
    "Nhận tin báo đối tượng môi giới đang dò hỏi nơi ở của người này; cần xác minh ngay để áp dụng "
    "biện pháp bảo vệ khẩn cấp.",
)

_AUTHORITY = {
    "border": ("Đồn Biên phòng Cửa khẩu Quốc tế Lào Cai", "BP"),
    "police": ("Công an tỉnh Lào Cai", "CAT"),
    "yty": ("Chủ tịch Ủy ban nhân dân xã Y Tý", "UBND"),
    "phalong": ("Chủ tịch Ủy ban nhân dân xã Pha Long", "UBND"),
}
_RECEPTION = {
    "border": ("Cửa khẩu Quốc tế Lào Cai", {"old": "lao-cai/lao-cai/lao-cai", "new": "lao-cai-2025/lao-cai"}),
    "police": ("Trụ sở Công an tỉnh Lào Cai", {"old": "lao-cai", "new": "lao-cai-2025"}),
    "swc": ("Trung tâm Công tác xã hội tỉnh Lào Cai", {"old": "lao-cai", "new": "lao-cai-2025"}),
    "shelter": ("Nhà an toàn Sương Sớm", {"old": "lao-cai/lao-cai/lao-cai", "new": "lao-cai-2025/lao-cai"}),
    "yty": ("Trụ sở Ủy ban nhân dân xã Y Tý", {"old": "lao-cai/bat-xat/y-ty", "new": "lao-cai-2025/y-ty"}),
    "phalong": ("Trụ sở Ủy ban nhân dân xã Pha Long",
                {"old": "lao-cai/muong-khuong/pha-long", "new": "lao-cai-2025/pha-long"}),
    "women": ("Trụ sở Hội Liên hiệp Phụ nữ tỉnh Lào Cai", {"old": "lao-cai", "new": "lao-cai-2025"}),
}
_CLOSURE = {
    S.REINTEGRATION: "Đã tái hòa nhập ổn định tại địa phương; kết thúc theo dõi.",
    S.NOT_VICTIM: "Không phải nạn nhân; đã hướng dẫn về địa phương.",
    S.RECEPTION: "Người này từ chối hỗ trợ và tự rời cơ sở.",
}
_NOT_VICTIM_REASON = "Xác minh cho thấy người này tự sang làm thuê theo mùa vụ, không có dấu hiệu bị mua bán."


def foreign_usernames() -> list[str]:
    """Users the demo did not create: a reset would delete them, so it asks for --force."""
    from haven.core.demo.org import DEMO_USERNAMES

    return sorted(User.objects.exclude(username__in=DEMO_USERNAMES).values_list("username", flat=True))


def is_loaded() -> bool:
    return Case.objects.exists()


def is_empty() -> bool:
    return not (User.objects.exists() or Agency.objects.exists() or Case.objects.exists())


@transaction.atomic
def demo_wipe() -> None:
    """Delete every case, person, consent, referral, user, agency and audit event. Geo units stay."""
    # The demo reset starts a fresh audit chain. AuditEvent.delete() refuses on purpose: the trail is
    # append-only. Only this reset of synthetic data bypasses it, with a raw delete, after the demo
    # command has checked that the database holds nothing but demo data (or was told --force).
    AuditEvent.objects.all()._raw_delete(AuditEvent.objects.db)
    AuditChainHead.objects.all().delete()
    Session.objects.all().delete()
    try:
        _release(Case)
        Case.objects.filter(accompanies__isnull=False).delete()  # minors point at the victim's case
        Case.objects.all().delete()  # referrals, sign-offs, break glass and entitlement rows go with them
        _release(Person)
        Person.objects.all().delete()  # identities, name tokens and consent records go with them
        _release(User)
        User.objects.all().delete()
        _release(Agency)
        Agency.objects.all().delete()
        SharingProfile.objects.all().delete()
        SignoffRule.objects.all().delete()
    except ProtectedError as exc:
        names = sorted({type(o).__name__ for o in exc.protected_objects})
        raise DemoError(f"other records still point at the demo data ({', '.join(names)}); remove them first") from exc


def _release(model: type[models.Model]) -> None:
    """Unlink or delete rows of other apps that PROTECT `model`'s rows, so that it can be emptied.

    Generic on purpose: an app added later (payments, proceedings…) that protects users or cases
    does not break the reset. A nullable reference is cleared; a required one is deleted with its row.
    """
    # include_hidden: references declared with related_name="+" (e.g. `created_by`) count too.
    reverse = [f for f in model._meta.get_fields(include_hidden=True)
               if f.auto_created and not f.concrete and (f.one_to_many or f.one_to_one)]
    for rel in cast(list[Any], reverse):
        related = rel.related_model
        if rel.on_delete is not models.PROTECT or related in (model, AuditEvent):
            continue
        rows = related._base_manager.filter(**{f"{rel.field.name}__isnull": False})
        if rel.field.null:
            try:
                with transaction.atomic():  # a savepoint: a check constraint may forbid the empty link
                    rows.update(**{rel.field.name: None})
                continue
            except IntegrityError:
                pass
        rows.delete()


def demo_load(*, today: dt.date | None = None) -> DemoSummary:
    """Load the demo into an empty database (see demo_wipe), in one transaction."""
    started = time.monotonic()
    today = today or timezone.localdate()
    with transaction.atomic():
        geo_load()
        for kind, fields in SHARING_PROFILES.items():
            SharingProfile.objects.update_or_create(agency_kind=kind, defaults={"fields": [str(f) for f in fields]})
        for kind, days in SIGNOFF_RULES.items():
            SignoffRule.objects.update_or_create(agency_kind=kind, defaults={"due_days": days})
        units = {u.code: u for u in AdminUnit.objects.select_related("parent")}
        agencies = {
            a.key: Agency.objects.create(name=a.name, name_en=a.name_en, kind=a.kind, jurisdiction=units[a.jurisdiction])
            for a in AGENCIES
        }
        password_hash = make_password(DEMO_PASSWORD)  # one slow Argon2 hash, not nineteen
        users = {
            u.username: user_create(
                acting_user=None, username=u.username, role=u.role, password_hash=password_hash,
                agency_id=agencies[u.agency].pk if u.agency else None, channel=CHANNEL,
            )
            for u in USERS
        }
        loader = _Loader(today, units, agencies, users)
        for spec in demo_people(today):
            loader.person(spec)
        loader.referrals()
        loader.withdrawals()
        loader.signoffs()
        loader.break_glass()
        # Issue 4's areas, in the order they depend on each other.
        directory.load(loader)
        referrals.load(loader)
        support.load(loader)
        budgets.load(loader)
        # Issue 5's areas.
        protection.load(loader)
        legal.load(loader)
        followup.load(loader)
        # Issues 6 and 7.
        reports.load(loader)
        exchange.load(loader)
        research.load(loader)
        loader.first_reads()
    return DemoSummary(
        agencies=len(agencies), users=len(users), persons=Person.objects.count(), cases=Case.objects.count(),
        referrals=Referral.objects.count(), audit_events=AuditEvent.objects.count(),
        seconds=time.monotonic() - started,
    )


class _Loader:
    def __init__(self, today: dt.date, units: dict[str, AdminUnit], agencies: dict[str, Agency],
                 users: dict[str, User]) -> None:
        self.today, self.units, self.agencies, self.users = today, units, agencies, users
        self.specs: dict[str, PersonSpec] = {}
        self.cases: dict[str, Case] = {}
        self.serial = 0

    # --- people and their cases -------------------------------------------------------------
    def person(self, spec: PersonSpec) -> None:
        story = spec.story
        worker = self.users[story.owner]
        case = case_register(acting_user=worker, data=self._registration(spec), confirm_duplicate=True,
                             channel=CHANNEL)
        self.specs[story.key], self.cases[story.key] = spec, case
        access = access_case(worker, case_id=case.pk, need=Need.EDIT)
        self._first_consents(access, spec)
        self._walk(access, spec)

    def _registration(self, spec: PersonSpec) -> Registration:
        story = spec.story
        era = "old" if spec.received_on < dt.date(2025, 7, 1) else "new"
        agency_key = story.owner.split(".")[0]
        place, unit_by_era = _RECEPTION[agency_key]
        reception_unit = unit_by_era[era]
        if story.return_mode == ReturnMode.DIPLOMATIC_MISSION:
            if story.destination == "KH":
                place, reception_unit = "Cửa khẩu Quốc tế Mộc Bài (bàn giao qua Đại sứ quán Việt Nam tại Campuchia)", ""
            else:
                place = "Cửa khẩu Quốc tế Lào Cai (bàn giao qua Tổng Lãnh sự quán Việt Nam tại Côn Minh)"
        identified_at: str = {
            ReturnMode.BORDER_HANDOVER: IdentifiedAt.LAND_BORDER, ReturnMode.DIPLOMATIC_MISSION: IdentifiedAt.ABROAD,
        }.get(ReturnMode(story.return_mode), IdentifiedAt.INLAND)
        home = self.units.get(spec.home) if spec.home else None
        commune = home if home is not None and home.level == UnitLevel.COMMUNE else None
        province = home.province() if home is not None else None
        accompanies = self.cases[story.accompanies].code if story.accompanies else ""
        return Registration(
            full_name=spec.full_name, other_names=spec.other_names, sex=story.sex, category=story.category,
            received_on=spec.received_on.isoformat(), reception_place=place, return_mode=story.return_mode,
            date_of_birth=spec.date_of_birth, birth_year=spec.birth_year, id_number=spec.id_number,
            phone=spec.phone, address=self._address(spec.address_village, home), family_contacts=spec.family_contacts,
            notes=spec.notes, ethnicity=story.ethnicity, nationality=story.nationality,
            home_province=province.code if province else "", home_commune=commune.code if commune else "",
            languages=spec.languages, reception_unit=reception_unit,
            identified_at=identified_at if story.category != Category.RELATIVE else "",
            exploitation_types=list(story.exploitation), destination_country=story.destination,
            means_of_control=spec.means_of_control, accompanies=accompanies,
        )

    def _address(self, village: str, home: AdminUnit | None) -> str:
        if home is None:
            return ""
        parts = [village] if home.level == UnitLevel.COMMUNE else []
        unit: AdminUnit | None = home
        while unit is not None:
            parts.append(unit.name)
            unit = unit.parent
        return ", ".join(parts)

    def _walk(self, access: CaseAccess, spec: PersonSpec) -> None:
        story, final = spec.story, spec.story.final
        opts: dict[str, Any] = {"access": access, "channel": CHANNEL}
        if is_victim_path(story):
            case_start_verification(**opts)
            self.serial += 1
            authority, abbr = _AUTHORITY.get(story.owner.split(".")[0], _AUTHORITY["police"])
            case_identify(**opts, identified_on=spec.identified_on, authority=authority,
                          document=f"{self.serial:02d}/QĐ-XĐNN-{abbr}")
            if final in (S.SUPPORT, S.REINTEGRATION, S.CLOSED):
                case_start_support(**opts)
            if final in (S.REINTEGRATION, S.CLOSED):
                case_start_reintegration(**opts)
            if final == S.CLOSED:
                case_close(**opts, reason=_CLOSURE[S.REINTEGRATION], closed_on=spec.closed_on)
        elif story.category == Category.UNDER_IDENTIFICATION:
            if final in (S.VERIFICATION, S.NOT_VICTIM) or story.via == "not_victim":
                case_start_verification(**opts)
            if final == S.NOT_VICTIM or story.via == "not_victim":
                case_mark_not_victim(**opts, reason=_NOT_VICTIM_REASON)
            if final == S.CLOSED:
                via = S.NOT_VICTIM if story.via == "not_victim" else S.RECEPTION
                case_close(**opts, reason=_CLOSURE[via], closed_on=spec.closed_on)
        elif final != S.RECEPTION:  # accompanying minors and relatives are supported, then followed up
            case_start_support(**opts)
            if final == S.REINTEGRATION or (final == S.CLOSED and story.category == Category.ACCOMPANYING_MINOR):
                case_start_reintegration(**opts)
            if final == S.CLOSED:
                case_close(**opts, reason=_CLOSURE[S.REINTEGRATION], closed_on=spec.closed_on)

    # --- consent ----------------------------------------------------------------------------
    def _consent(self, access: CaseAccess, spec: PersonSpec, purpose: str, decision: str,
                 agency_kind: str = "", on: dt.date | None = None) -> None:
        day = on or spec.received_on
        allowed = required_given_by(access, day)
        given_by = next(g for g in (GivenBy.PERSON, GivenBy.PERSON_AND_GUARDIAN, GivenBy.GUARDIAN) if g in allowed)
        # People who speak no Vietnamese consent orally through an interpreter, who witnesses it.
        verbal = given_by == GivenBy.PERSON and "vi" not in spec.languages
        consent_record(
            access=access, purpose=purpose, decision=decision, agency_kind=agency_kind, given_by=given_by,
            method=Method.VERBAL_WITNESSED if verbal else Method.SIGNED_FORM,
            guardian_name="" if given_by == GivenBy.PERSON else spec.guardian,
            witness_name=spec.witness if verbal else "", effective_on=day, channel=CHANNEL,
        )

    def _first_consents(self, access: CaseAccess, spec: PersonSpec) -> None:
        key = spec.story.key
        self._consent(access, spec, Purpose.SERVICES, Decision.REFUSED if key in SERVICES_REFUSED else Decision.GIVEN)
        self._consent(access, spec, Purpose.STATISTICS,
                      Decision.REFUSED if key in STATISTICS_REFUSED else Decision.GIVEN)
        for story_key, agency_key, _ in REFERRALS:
            if story_key == key:
                self._consent(access, spec, Purpose.SHARING, Decision.GIVEN, self.agencies[agency_key].kind)
        for story_key, purpose, decision in CONSENTS:
            if story_key == key:
                self._consent(access, spec, purpose, decision)

    def withdrawals(self) -> None:
        for key, purpose, agency_kind in WITHDRAWALS:
            spec, case = self.specs[key], self.cases[key]
            access = access_case(self.users[spec.story.owner], case_id=case.pk, need=Need.EDIT)
            later = min(self.today, spec.received_on + dt.timedelta(days=30))
            self._consent(access, spec, purpose, Decision.WITHDRAWN, agency_kind, on=later)

    # --- referrals, sign-offs, break glass ------------------------------------------------------
    def referrals(self) -> None:
        for key, agency_key, outcome in REFERRALS:
            case, spec = self.cases[key], self.specs[key]
            access = access_case(self.users[spec.story.owner], case_id=case.pk, need=Need.EDIT)
            purpose, items = _REFERRAL_PURPOSE[agency_key]
            referral = referral_send(
                access=access, to_agency_id=self.agencies[agency_key].pk, purpose=purpose, items=items,
                due_on=self.today + dt.timedelta(days=3), channel=CHANNEL,
            )
            responder = self._supervisor_of(agency_key)
            if outcome == ReferralStatus.ACCEPTED:
                referral_accept(acting_user=responder, referral_id=referral.pk, channel=CHANNEL)
            elif outcome == ReferralStatus.DECLINED:
                referral_decline(acting_user=responder, referral_id=referral.pk, reason=_DECLINE_NOTE, channel=CHANNEL)

    def _supervisor_of(self, agency_key: str) -> User:
        agency = self.agencies[agency_key]
        people = [u for u in self.users.values() if u.agency_id == agency.pk]
        return next((u for u in people if u.role == "supervisor"), people[0])

    def signoffs(self) -> None:
        signers = (("police.supervisor", POLICE_PENDING), ("health.supervisor", HEALTH_PENDING))
        for username, pending in signers:
            signer = self.users[username]
            for key, case in self.cases.items():
                if key in pending or not is_victim_path(self.specs[key].story):
                    continue
                for signoff in signoffs_for_agency(signer).filter(case=case):
                    objection = POLICE_OBJECTS.get(key) if username.startswith("police") else None
                    signoff_sign(
                        acting_user=signer, signoff_id=signoff.pk,
                        decision=Signoff.Decision.OBJECTED if objection else Signoff.Decision.APPROVED,
                        note=objection or "", channel=CHANNEL,
                    )

    def break_glass(self) -> None:
        username, key, reason = BREAK_GLASS
        break_glass_open(acting_user=self.users[username], code=self.cases[key].code, reason=reason, channel=CHANNEL)

    def first_reads(self) -> None:
        """A few reads by referred agencies, so "who has seen this record" has something to show."""
        for key, username in (("b01", "swc.worker"), ("b01", "legalaid.worker"), ("p01", "legalaid.worker")):
            access = access_case(self.users[username], case_id=self.cases[key].pk)
            read_identity(access, channel=CHANNEL)


def demo_logins() -> list[dict[str, Any]]:
    """Username, role and agency of every demo user that exists in the database."""
    from haven.core.demo.org import DEMO_USERNAMES

    rows = []
    for user in User.objects.filter(username__in=DEMO_USERNAMES).select_related("agency").order_by("id"):
        rows.append({"username": user.username, "role": user.get_role_display(),
                     "agency": user.agency.name if user.agency else "—"})
    return rows

"""The person (identity sealed apart from everything else) and the case (one episode of return)."""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from haven.core.fields import EncryptedTextField


class Sex(models.TextChoices):
    FEMALE = "female", _("Female")
    MALE = "male", _("Male")
    OTHER = "other", _("Other")
    UNKNOWN = "unknown", _("Not known")


class Ethnicity(models.TextChoices):
    KINH = "kinh", _("Kinh")
    HMONG = "hmong", _("Hmong")
    DAO = "dao", _("Dao")
    TAY = "tay", _("Tày")
    GIAY = "giay", _("Giáy")
    NUNG = "nung", _("Nùng")
    THAI = "thai", _("Thái")
    MUONG = "muong", _("Mường")
    KHMER = "khmer", _("Khmer")
    HOA = "hoa", _("Hoa")
    PHU_LA = "phu_la", _("Phù Lá")
    HA_NHI = "ha_nhi", _("Hà Nhì")
    OTHER = "other", _("Other ethnic minority")
    FOREIGN = "foreign", _("Not Vietnamese")
    UNKNOWN = "unknown", _("Not known")


class Language(models.TextChoices):
    VI = "vi", pgettext_lazy("language", "Vietnamese")
    HMONG = "hmn", pgettext_lazy("language", "Hmong")
    DAO = "dao", pgettext_lazy("language", "Dao (Iu Mien)")
    TAY = "tay", pgettext_lazy("language", "Tày")
    NUNG = "nut", pgettext_lazy("language", "Nùng")
    GIAY = "giay", pgettext_lazy("language", "Giáy")
    THAI = "tha", pgettext_lazy("language", "Thái")
    ZH = "zh", pgettext_lazy("language", "Chinese")
    KM = "km", pgettext_lazy("language", "Khmer")
    LO = "lo", pgettext_lazy("language", "Lao")
    EN = "en", pgettext_lazy("language", "English")
    OTHER = "other", pgettext_lazy("language", "Other")


class Category(models.TextChoices):
    UNDER_IDENTIFICATION = "under_identification", _("Person under identification")
    VICTIM = "victim", _("Victim")
    ACCOMPANYING_MINOR = "accompanying_minor", _("Accompanying minor")
    RELATIVE = "relative", _("Relative")


class Status(models.TextChoices):
    RECEPTION = "reception", _("Reception")
    VERIFICATION = "verification", _("Verification")
    IDENTIFIED = "identified", _("Identified as a victim")
    NOT_VICTIM = "not_victim", _("Not a victim")
    SUPPORT = "support", _("Support")
    REINTEGRATION = "reintegration", _("Reintegration follow-up")
    CLOSED = "closed", _("Closed")


class ReturnMode(models.TextChoices):
    BORDER_HANDOVER = "border_handover", _("Handed over at the border")
    RESCUED = "rescued", _("Rescued")
    SELF_RETURNED = "self_returned", _("Returned on their own")
    DIPLOMATIC_MISSION = "diplomatic_mission", _("Through a diplomatic mission")


class IdentifiedAt(models.TextChoices):
    LAND_BORDER = "land_border", _("Land border")
    SEA = "sea", _("Sea")
    AIRPORT = "airport", _("Airport")
    INLAND = "inland", _("Inland")
    ABROAD = "abroad", _("Abroad")


class Exploitation(models.TextChoices):
    """The HTCDS types of exploitation, plus forced marriage and forced criminality."""

    SEXUAL = "sexual_exploitation", _("Sexual exploitation")
    FORCED_LABOUR = "forced_labour", _("Forced labour")
    FORCED_MARRIAGE = "forced_marriage", _("Forced marriage")
    FORCED_CRIMINALITY = "forced_criminality", _("Forced criminality")
    SLAVERY = "slavery", _("Slavery and similar practices")
    ORGAN_REMOVAL = "organ_removal", _("Removal of organs")
    ILLEGAL_ADOPTION = "illegal_adoption", _("Illegal adoption")
    BEGGING = "begging", _("Forced begging")
    OTHER = "other", _("Other")


class MeansOfControl(models.TextChoices):
    DEBT = "debt_bondage", _("Debt bondage")
    TAKES_EARNINGS = "takes_earnings", _("Takes earnings")
    THREATS = "threats", _("Threats")
    THREATS_FAMILY = "threats_family", _("Threats to family")
    PHYSICAL_ABUSE = "physical_abuse", _("Physical abuse")
    SEXUAL_ABUSE = "sexual_abuse", _("Sexual abuse")
    PSYCHOLOGICAL_ABUSE = "psychological_abuse", _("Psychological abuse")
    FALSE_PROMISES = "false_promises", _("False promises")
    DRUGS_ALCOHOL = "drugs_alcohol", _("Drugs or alcohol")
    DENIED_FOOD = "denied_food", _("Denied food, sleep or care")
    DOCUMENTS = "withholds_documents", _("Withholds documents")
    RESTRICTED_MOVEMENT = "restricted_movement", _("Restricted movement")
    EXCESSIVE_HOURS = "excessive_hours", _("Excessive working hours")
    OTHER = "other", _("Other")


class Person(models.Model):
    """Non-identifying attributes in clear; identity lives in `PersonIdentity`, sealed."""

    sex = models.CharField(_("sex"), max_length=16, choices=Sex.choices)
    birth_year = models.PositiveSmallIntegerField(_("year of birth"), null=True, blank=True)
    ethnicity = models.CharField(_("ethnicity"), max_length=16, choices=Ethnicity.choices, default=Ethnicity.UNKNOWN)
    nationality = models.CharField(_("nationality"), max_length=20, default="VN")
    home_province = models.ForeignKey(
        "geo.AdminUnit", null=True, blank=True, on_delete=models.PROTECT, related_name="+",
        verbose_name=_("home province"),
    )
    home_commune = models.ForeignKey(
        "geo.AdminUnit", null=True, blank=True, on_delete=models.PROTECT, related_name="+",
        verbose_name=_("home commune"),
    )
    languages = models.JSONField(_("languages spoken"), default=list, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.CheckConstraint(condition=Q(sex__in=Sex.values), name="person_sex_valid"),
            models.CheckConstraint(condition=Q(ethnicity__in=Ethnicity.values), name="person_ethnicity_valid"),
        ]

    def __str__(self) -> str:
        return f"person {self.pk}"

    def age_band_on(self, day: dt.date) -> int | None:
        return None if self.birth_year is None else day.year - self.birth_year


class PersonIdentity(models.Model):
    """Identity fields, each sealed with AES-GCM. Reached only through access helpers."""

    person = models.OneToOneField(Person, on_delete=models.CASCADE, related_name="identity")
    full_name = EncryptedTextField()
    other_names = EncryptedTextField(blank=True, default="")
    date_of_birth = EncryptedTextField(blank=True, default="")
    id_number = EncryptedTextField(blank=True, default="")
    phone = EncryptedTextField(blank=True, default="")
    address = EncryptedTextField(blank=True, default="")
    family_contacts = EncryptedTextField(blank=True, default="")
    notes = EncryptedTextField(blank=True, default="")
    # Keyed blind indexes: equality lookups without storing the values.
    id_number_bidx = models.CharField(max_length=64, blank=True, db_index=True)
    name_bidx = models.CharField(max_length=64, db_index=True)
    name_dob_bidx = models.CharField(max_length=64, blank=True, db_index=True)

    def __str__(self) -> str:
        return f"identity of person {self.person_id}"


class NameToken(models.Model):
    """One blind index per word of a person's names, so any whole word finds them, accents or not."""

    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="name_tokens")
    token_bidx = models.CharField(max_length=64, db_index=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["person", "token_bidx"], name="nametoken_unique")]
        # One word's persons in person order, off the index alone: a search starts from its rarest word.
        indexes = [models.Index(fields=["token_bidx", "person"], name="nametoken_token_person_idx")]

    def __str__(self) -> str:
        return f"name token of person {self.person_id}"


class Case(models.Model):
    code = models.CharField(_("case code"), max_length=20, unique=True)
    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="cases")
    category = models.CharField(_("category"), max_length=32, choices=Category.choices)
    status = models.CharField(_("status"), max_length=20, choices=Status.choices, default=Status.RECEPTION)
    owner_agency = models.ForeignKey(
        "accounts.Agency", on_delete=models.PROTECT, related_name="owned_cases", verbose_name=_("owner agency")
    )
    assigned_worker = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="assigned_cases",
        verbose_name=_("assigned worker"),
    )
    received_on = models.DateField(_("date of reception"))
    reception_place = models.CharField(_("place of reception"), max_length=200)
    reception_unit = models.ForeignKey(
        "geo.AdminUnit", null=True, blank=True, on_delete=models.PROTECT, related_name="+",
        verbose_name=_("administrative unit of reception"),
    )
    receiving_agency = models.ForeignKey(
        "accounts.Agency", on_delete=models.PROTECT, related_name="received_cases",
        verbose_name=_("receiving agency"),
    )
    return_mode = models.CharField(_("how the person came back"), max_length=32, choices=ReturnMode.choices)
    identified_at = models.CharField(
        _("where identified"), max_length=16, choices=IdentifiedAt.choices, blank=True
    )
    age_at_reception = models.PositiveSmallIntegerField(_("age at reception"), null=True, blank=True)
    exploitation_types = models.JSONField(_("types of exploitation"), default=list, blank=True)
    destination_country = models.CharField(_("destination country"), max_length=2, blank=True)
    means_of_control = models.JSONField(_("means of control"), default=list, blank=True)
    accompanies = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="accompanying_minors",
        verbose_name=_("accompanies the victim of case"),
    )
    identified_on = models.DateField(_("date of identification"), null=True, blank=True)
    identification_authority = models.CharField(_("competent authority"), max_length=200, blank=True)
    identification_document = models.CharField(_("decision document number"), max_length=100, blank=True)
    not_victim_reason = EncryptedTextField(blank=True, default="")
    closed_on = models.DateField(null=True, blank=True)
    closure_reason = EncryptedTextField(blank=True, default="")
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-received_on", "-id"]
        constraints = [
            models.CheckConstraint(condition=Q(category__in=Category.values), name="case_category_valid"),
            models.CheckConstraint(condition=Q(status__in=Status.values), name="case_status_valid"),
            models.CheckConstraint(condition=Q(return_mode__in=ReturnMode.values), name="case_return_mode_valid"),
            models.CheckConstraint(
                condition=~Q(status__in=["identified", "support", "reintegration"], category="victim")
                | Q(identified_on__isnull=False),
                name="case_identified_has_date",
            ),
        ]
        indexes = [
            models.Index(fields=["owner_agency", "status"]), models.Index(fields=["assigned_worker"]),
            # The case list's order (walked backwards to the first page) and the statistics' period filter.
            models.Index(fields=["received_on", "id"], name="case_received_id_idx"),
            # The same order within one agency's caseload and one worker's cases: a page is read off the index,
            # with the person for the name-word probes of a search (PostgreSQL: without touching the table).
            models.Index(fields=["owner_agency", "received_on", "id"], include=["person"],
                         name="case_owner_received_idx"),
            models.Index(fields=["assigned_worker", "owner_agency", "received_on", "id"], include=["person"],
                         name="case_worker_received_idx"),
            models.Index(fields=["category", "identified_on"], name="case_category_identified_idx"),
        ]

    def __str__(self) -> str:
        return self.code


class SignoffRule(models.Model):
    """An agency kind whose sign-off an identification needs, and how many days it has."""

    agency_kind = models.CharField(max_length=32, unique=True)
    due_days = models.PositiveSmallIntegerField(default=5)

    def __str__(self) -> str:
        return self.agency_kind


class Signoff(models.Model):
    class Decision(models.TextChoices):
        PENDING = "pending", _("Pending")
        APPROVED = "approved", _("Approved")
        OBJECTED = "objected", _("Objected")

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="signoffs")
    agency_kind = models.CharField(max_length=32)
    due_on = models.DateField()
    decision = models.CharField(max_length=16, choices=Decision.choices, default=Decision.PENDING)
    agency = models.ForeignKey("accounts.Agency", null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    signed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    signed_at = models.DateTimeField(null=True, blank=True)
    note = EncryptedTextField(blank=True, default="")

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["case", "agency_kind"], name="signoff_unique_kind"),
            models.CheckConstraint(condition=Q(decision__in=["pending", "approved", "objected"]), name="signoff_decision_valid"),
        ]

    def __str__(self) -> str:
        return f"{self.agency_kind} sign-off on case {self.case_id}: {self.decision}"

    def is_overdue(self, today: dt.date | None = None) -> bool:
        return self.decision == self.Decision.PENDING and self.due_on < (today or timezone.localdate())


class BreakGlass(models.Model):
    """Emergency access to a case the user may not otherwise see: reasoned, time-limited, reviewed."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="break_glass")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="break_glass")
    reason = EncryptedTextField()
    granted_at = models.DateTimeField(auto_now_add=True)
    expires_at = models.DateTimeField()
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    reviewed_at = models.DateTimeField(null=True, blank=True)
    review_note = EncryptedTextField(blank=True, default="")

    class Meta:
        ordering = ["-granted_at"]

    def __str__(self) -> str:
        return f"break glass on case {self.case_id} by user {self.user_id}"

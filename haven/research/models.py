"""Studies, participants, interviews, the codebook, coded segments, memos and the framework matrix.

Every free text that may carry what a person said (transcripts, notes, memos, cell summaries) is sealed
at rest. Participants are known by pseudonym only; a victim participant links to a case so that the
research consent recorded on the case decides whether their material may be analysed.
A study's rights scorecards (values computed from Haven's records, ratings stored) attach to it by foreign key.
"""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from haven.core.fields import EncryptedTextField


class MemberRole(models.TextChoices):
    LEAD = "lead", _("Study lead")
    RESEARCHER = "researcher", _("Researcher")


class ParticipantKind(models.TextChoices):
    OFFICIAL = "official", _("Official")
    VICTIM = "victim", _("Victim")


class ParticipantSex(models.TextChoices):
    FEMALE = "female", _("Female")
    MALE = "male", _("Male")
    UNKNOWN = "unknown", _("Not stated")


class ParticipantAgeGroup(models.TextChoices):
    CHILD = "under_18", _("Under 18")
    YOUNG = "18_24", _("18–24")
    ADULT = "25_39", _("25–39")
    OLDER = "40_plus", _("40 and over")
    UNKNOWN = "unknown", _("Not stated")


class ParticipantEthnicity(models.TextChoices):
    KINH = "kinh", _("Kinh")
    MINORITY = "minority", _("Ethnic minority")
    UNKNOWN = "unknown", _("Not stated")


class OfficialConsent(models.TextChoices):
    NONE = "", _("Not applicable")
    GIVEN = "given", _("Given")
    WITHDRAWN = "withdrawn", _("Withdrawn")


class InterviewKind(models.TextChoices):
    TRANSCRIPT = "transcript", _("Transcript")
    NOTES = "notes", _("Interview notes")


class Study(models.Model):
    title = models.CharField(_("title"), max_length=200)
    purpose = models.TextField(_("purpose"), max_length=2000, blank=True)
    period_start = models.DateField(_("period from"))
    period_end = models.DateField(_("period to"))
    lead_agency = models.ForeignKey("accounts.Agency", on_delete=models.PROTECT, related_name="+",
                                    verbose_name=_("lead agency"))
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    guid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)

    class Meta:
        ordering = ["-period_end", "-id"]
        constraints = [
            models.CheckConstraint(condition=Q(period_end__gte=models.F("period_start")),
                                   name="research_study_period_order"),
        ]

    def __str__(self) -> str:
        return self.title


class StudyMember(models.Model):
    study = models.ForeignKey(Study, on_delete=models.CASCADE, related_name="members")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="research_memberships")
    role = models.CharField(_("role"), max_length=16, choices=MemberRole.choices)
    added_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    added_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["role", "id"]
        constraints = [
            models.UniqueConstraint(fields=["study", "user"], name="research_member_once"),
            models.CheckConstraint(condition=Q(role__in=MemberRole.values), name="research_member_role_valid"),
        ]

    def __str__(self) -> str:
        return f"{self.study_id}:{self.user_id} {self.role}"


class Participant(models.Model):
    study = models.ForeignKey(Study, on_delete=models.CASCADE, related_name="participants")
    pseudonym = models.CharField(_("pseudonym"), max_length=60)
    kind = models.CharField(_("role in the study"), max_length=16, choices=ParticipantKind.choices)
    # Victims only: the case whose research consent decides. Never shown to study members.
    case = models.ForeignKey("cases.Case", null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    agency_kind = models.CharField(_("agency kind"), max_length=32, blank=True)
    sex = models.CharField(_("sex"), max_length=16, choices=ParticipantSex.choices, default=ParticipantSex.UNKNOWN)
    age_group = models.CharField(_("age group"), max_length=16, choices=ParticipantAgeGroup.choices, default=ParticipantAgeGroup.UNKNOWN)
    ethnicity = models.CharField(_("ethnicity"), max_length=16, choices=ParticipantEthnicity.choices, default=ParticipantEthnicity.UNKNOWN)
    recordings_refused = models.BooleanField(_("refused audio recording"), default=False)
    # Officials: their own consent to take part, recorded in the study (victims: the case's consent record).
    official_consent = models.CharField(max_length=16, choices=OfficialConsent.choices, blank=True, default="")
    official_consent_on = models.DateField(null=True, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    guid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)

    class Meta:
        ordering = ["kind", "pseudonym"]
        constraints = [
            models.UniqueConstraint(fields=["study", "pseudonym"], name="research_pseudonym_unique_in_study"),
            models.UniqueConstraint(fields=["study", "case"], condition=Q(case__isnull=False),
                                    name="research_case_once_per_study"),
            models.CheckConstraint(condition=Q(kind__in=ParticipantKind.values), name="research_participant_kind"),
            models.CheckConstraint(condition=Q(sex__in=ParticipantSex.values), name="research_participant_sex"),
            models.CheckConstraint(condition=Q(age_group__in=ParticipantAgeGroup.values), name="research_participant_age"),
            models.CheckConstraint(condition=Q(ethnicity__in=ParticipantEthnicity.values), name="research_participant_ethnicity"),
            models.CheckConstraint(
                condition=(Q(kind="victim", case__isnull=False, official_consent="")
                           | Q(kind="official", case__isnull=True, official_consent__in=["given", "withdrawn"])),
                name="research_participant_consent_source",
            ),
        ]

    def __str__(self) -> str:
        return self.pseudonym


class Interview(models.Model):
    participant = models.ForeignKey(Participant, on_delete=models.CASCADE, related_name="interviews")
    held_on = models.DateField(_("date"))
    kind = models.CharField(_("kind"), max_length=16, choices=InterviewKind.choices)
    text = EncryptedTextField(_("transcript or notes"))
    # Haven stores no audio. This records only whether an outside recording was made, which the
    # service refuses when the person refused recordings.
    recorded = models.BooleanField(_("audio recorded"), default=False)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    guid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)

    class Meta:
        ordering = ["held_on", "id"]
        constraints = [
            models.CheckConstraint(condition=Q(kind__in=InterviewKind.values), name="research_interview_kind"),
        ]

    def __str__(self) -> str:
        return f"interview {self.pk}"


class Theme(models.Model):
    """A code of the codebook; themes nest under a parent."""

    study = models.ForeignKey(Study, on_delete=models.CASCADE, related_name="themes")
    parent = models.ForeignKey("self", null=True, blank=True, on_delete=models.CASCADE, related_name="children")
    name = models.CharField(_("name"), max_length=200)
    description = models.TextField(_("description"), max_length=2000, blank=True)
    color = models.CharField(_("colour"), max_length=7, blank=True)
    guid = models.UUIDField(default=uuid.uuid4, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["id"]
        constraints = [
            models.UniqueConstraint(fields=["study", "parent", "name"], condition=Q(parent__isnull=False),
                                    name="research_theme_name_unique_under_parent"),
            models.UniqueConstraint(fields=["study", "name"], condition=Q(parent__isnull=True),
                                    name="research_theme_name_unique_at_top"),
            models.UniqueConstraint(fields=["study", "guid"], name="research_theme_guid_unique_in_study"),
        ]

    def __str__(self) -> str:
        return self.name


class CodedSegment(models.Model):
    """A span of an interview's text coded with a theme. The quotation is read from the text, never stored twice."""

    interview = models.ForeignKey(Interview, on_delete=models.CASCADE, related_name="segments")
    theme = models.ForeignKey(Theme, on_delete=models.CASCADE, related_name="segments")
    start = models.PositiveIntegerField()
    end = models.PositiveIntegerField()
    # Chosen by a study member as a quotation for the evaluation report (shown under the pseudonym only).
    quoted_in_report = models.BooleanField(_("quote in the report"), default=False)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    guid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)

    class Meta:
        ordering = ["interview_id", "start", "id"]
        constraints = [
            models.CheckConstraint(condition=Q(end__gt=models.F("start")), name="research_segment_not_empty"),
        ]

    def __str__(self) -> str:
        return f"segment {self.pk}"


class Memo(models.Model):
    study = models.ForeignKey(Study, on_delete=models.CASCADE, related_name="memos")
    text = EncryptedTextField(_("memo"))
    theme = models.ForeignKey(Theme, null=True, blank=True, on_delete=models.CASCADE, related_name="memos")
    participant = models.ForeignKey(Participant, null=True, blank=True, on_delete=models.CASCADE,
                                    related_name="memos")
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    guid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)

    class Meta:
        ordering = ["created_at", "id"]

    def __str__(self) -> str:
        return f"memo {self.pk}"


class MatrixCell(models.Model):
    """One cell of the framework matrix: the analyst's summary of what a participant said on a theme."""

    study = models.ForeignKey(Study, on_delete=models.CASCADE, related_name="cells")
    participant = models.ForeignKey(Participant, on_delete=models.CASCADE, related_name="cells")
    theme = models.ForeignKey(Theme, on_delete=models.CASCADE, related_name="cells")
    summary = EncryptedTextField(_("summary"))
    segments = models.ManyToManyField(CodedSegment, blank=True, related_name="cells")
    updated_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    updated_at = models.DateTimeField(auto_now=True)
    guid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)

    class Meta:
        ordering = ["participant_id", "theme_id"]
        constraints = [
            models.UniqueConstraint(fields=["participant", "theme"], name="research_one_cell_per_participant_theme"),
        ]

    def __str__(self) -> str:
        return f"cell {self.participant_id}×{self.theme_id}"


class Duty(models.TextChoices):
    """The state's three duties towards a right (the seed study's rights-based approach)."""

    RESPECT = "respect", _("Respect")
    PROTECT = "protect", _("Protect")
    FULFIL = "fulfil", _("Fulfil")


class IndicatorKind(models.TextChoices):
    STRUCTURAL = "structural", _("Structural: is there a rule")
    PROCESS = "process", _("Process: is it applied")
    OUTCOME = "outcome", _("Outcome: what happened to people")


class Rating(models.TextChoices):
    MET = "met", _("Met")
    PARTLY = "partly", _("Partly met")
    NOT_MET = "not_met", _("Not met")
    CANNOT_TELL = "cannot_tell", _("Cannot tell")


class Scorecard(models.Model):
    """The rights scorecard of a study for a period and a place (a province, or the whole country).

    Values are computed from Haven's records when shown (aggregated, with disclosure control); only the
    evaluator's ratings and notes are stored."""

    study = models.ForeignKey(Study, on_delete=models.CASCADE, related_name="scorecards")
    title = models.CharField(_("title"), max_length=200)
    period_start = models.DateField(_("period from"))
    period_end = models.DateField(_("period to"))
    province = models.ForeignKey("geo.AdminUnit", null=True, blank=True, on_delete=models.PROTECT,
                                 related_name="+", verbose_name=_("province"))
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    guid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)

    class Meta:
        ordering = ["-period_end", "-id"]
        constraints = [
            models.CheckConstraint(condition=Q(period_end__gte=models.F("period_start")),
                                   name="research_scorecard_period_order"),
        ]

    def __str__(self) -> str:
        return self.title


class ScorecardRating(models.Model):
    """The evaluator's rating of one indicator of a scorecard, with a sealed note. One per indicator;
    a new rating replaces the old one and both are in the audit trail."""

    scorecard = models.ForeignKey(Scorecard, on_delete=models.CASCADE, related_name="ratings")
    indicator = models.CharField(_("indicator"), max_length=64)
    rating = models.CharField(_("rating"), max_length=16, choices=Rating.choices)
    note = EncryptedTextField(_("evaluator's note"), blank=True)
    rated_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    rated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["scorecard_id", "indicator"]
        constraints = [
            models.UniqueConstraint(fields=["scorecard", "indicator"], name="research_rating_once_per_indicator"),
            models.CheckConstraint(condition=Q(rating__in=Rating.values), name="research_rating_valid"),
        ]

    def __str__(self) -> str:
        return f"{self.scorecard_id}:{self.indicator} {self.rating}"

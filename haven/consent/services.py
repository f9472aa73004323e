"""Recording and withdrawing consent. Withdrawal takes effect at once; the history stays."""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from haven.accounts.models import AgencyKind
from haven.audit.models import AuditAction
from haven.audit.services import audit_record
from haven.cases import validation as v
from haven.cases.selectors import CaseAccess
from haven.consent.models import ConsentRecord, Decision, GivenBy, Method, Purpose
from haven.core.errors import HavenError, NotFound

# A child aged 7 or more consents together with the guardian; a younger child through the guardian.
CHILD_OWN_VOICE_AGE = 7
ADULT_AGE = 18


def required_given_by(access: CaseAccess, on: Any) -> set[str]:
    """Who may give consent on this date: a child through the guardian, from age 7 together with the child.

    Age comes from the year of birth, so a year difference of N means the person is N or N-1 years old;
    at each boundary both forms are accepted, and an unknown age is treated as a child's.
    """
    age = access.case.person.age_band_on(on)
    if age is None:
        return {GivenBy.PERSON_AND_GUARDIAN, GivenBy.GUARDIAN}
    if age > ADULT_AGE:
        return {GivenBy.PERSON}
    if age == ADULT_AGE:
        return {GivenBy.PERSON, GivenBy.PERSON_AND_GUARDIAN}
    if age > CHILD_OWN_VOICE_AGE:
        return {GivenBy.PERSON_AND_GUARDIAN}
    if age == CHILD_OWN_VOICE_AGE:
        return {GivenBy.PERSON_AND_GUARDIAN, GivenBy.GUARDIAN}
    return {GivenBy.GUARDIAN}


@transaction.atomic
def consent_record(
    *, access: CaseAccess, purpose: str, decision: str, given_by: str, method: str,
    agency_kind: str = "", guardian_name: str = "", witness_name: str = "", effective_on: Any = None,
    note: str = "", channel: str = "web",
) -> ConsentRecord:
    """Record a decision on one purpose. The latest record for a purpose is the one in force."""
    if not access.can_edit:
        raise NotFound()
    purpose = v.choice(purpose, "purpose", Purpose.values)
    decision = v.choice(decision, "decision", Decision.values)
    given_by = v.choice(given_by, "given_by", GivenBy.values)
    method = v.choice(method, "method", Method.values)
    if purpose == Purpose.SHARING:
        agency_kind = v.choice(agency_kind, "agency_kind", AgencyKind.values)
    elif agency_kind:
        raise HavenError(_("An agency kind is chosen only for sharing."), field="agency_kind")
    day = v.date(effective_on, "effective_on") or timezone.localdate()
    if given_by not in required_given_by(access, day):
        raise HavenError(
            _("For a child, consent is given by the guardian, together with the child from the age of 7."),
            field="given_by",
        )
    guardian_name = v.text(guardian_name, "guardian_name")
    if given_by != GivenBy.PERSON and not guardian_name:
        raise HavenError(_("Enter the guardian's name."), field="guardian_name")
    witness_name = v.text(witness_name, "witness_name")
    if method == Method.VERBAL_WITNESSED and not witness_name:
        raise HavenError(_("Verbal consent needs the name of a witness."), field="witness_name")
    record = ConsentRecord.objects.create(
        person_id=access.case.person_id, purpose=purpose, agency_kind=agency_kind, decision=decision,
        given_by=given_by, method=method, guardian_name=guardian_name, witness_name=witness_name,
        note=v.text(note, "note", max_length=2000), recorded_by=access.user, effective_on=day,
    )
    audit_record(
        actor=access.user, action=AuditAction.CONSENT, object_type="consent", object_id=record.pk,
        case_id=access.case.pk,
        changes={"purpose": purpose, "agency_kind": agency_kind, "decision": decision, "given_by": given_by,
                 "method": method},
        fields=[f for f, val in (("guardian_name", guardian_name), ("witness_name", witness_name)) if val],
        channel=channel,
    )
    return record


@transaction.atomic
def consent_withdraw(*, access: CaseAccess, purpose: str, agency_kind: str = "", given_by: str,
                     method: str, guardian_name: str = "", witness_name: str = "", channel: str = "web") -> ConsentRecord:
    return consent_record(
        access=access, purpose=purpose, decision=Decision.WITHDRAWN, agency_kind=agency_kind, given_by=given_by,
        method=method, guardian_name=guardian_name, witness_name=witness_name, channel=channel,
    )

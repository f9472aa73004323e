"""Page tests: the Vietnamese catalogue compiled, the personas logged in, and form data builders."""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

import pytest
from django.core.management import call_command
from django.test import Client
from django.utils import timezone

from haven.accounts.models import AgencyKind
from haven.cases.selectors import Need
from haven.consent.services import consent_record
from haven.referrals.models import Referral, ReferralStatus
from tests.factories import World, access


@pytest.fixture(scope="session", autouse=True)
def compiled_translations() -> None:
    from django.utils import translation
    from django.utils.translation import trans_real

    call_command("compiletranslations", verbosity=0)
    # A catalogue read before the compilation (while collecting tests) must not linger.
    trans_real._translations = {}
    trans_real._default = None
    translation.deactivate()


_CSRF = re.compile(rb'(name="csrfmiddlewaretoken" value="|"X-CSRFToken": ")[^"]+"')


def without_csrf(content: bytes) -> bytes:
    """Pages differ only by their per-response CSRF token mask; compare them without it."""
    return _CSRF.sub(rb"\1-", content)


def text(response: Any) -> str:
    return response.content.decode()


@pytest.fixture
def owner(world: World, as_user) -> Client:  # noqa: ANN001
    return as_user(world.owner_caseworker)


@pytest.fixture
def supervisor(world: World, as_user) -> Client:  # noqa: ANN001
    return as_user(world.supervisor)


@pytest.fixture
def outsider(world: World, as_user) -> Client:  # noqa: ANN001
    return as_user(world.other_caseworker)


def registration_form(**overrides: Any) -> dict[str, Any]:
    """What a browser sends from the registration page for a plausible synthetic person."""
    data: dict[str, Any] = {
        "received_on": "2026-03-02", "reception_place": "Cửa khẩu quốc tế Lào Cai", "reception_unit": "",
        "return_mode": "border_handover", "identified_at": "land_border", "category": "under_identification",
        "accompanies": "", "full_name": "Hoàng Thị Mỷ", "other_names": "", "date_of_birth": "2004-08-09",
        "id_number": "001304009876", "phone": "0987 654 321", "address": "Thôn Sín Chải, xã Y Tý",
        "family_contacts": "", "notes": "", "sex": "female", "birth_year": "", "ethnicity": "hmong",
        "nationality": "VN", "home_province": "", "home_commune": "", "languages": ["vi", "hmn"],
        "exploitation_types": ["forced_marriage"], "destination_country": "CN", "means_of_control": ["threats"],
    }
    data.update(overrides)
    return {k: v for k, v in data.items() if v is not None}


def share_with_other_agency(world: World, fields: list[str] | None = None) -> Referral:
    """An accepted referral to the other agency plus the person's consent to share with its kind."""
    referral = Referral.objects.create(
        case=world.case, from_agency=world.owner_agency, to_agency=world.other_agency, purpose="Hỗ trợ tâm lý",
        fields_shared=fields if fields is not None else ["full_name", "phone", "address", "id_number", "notes"],
        status=ReferralStatus.ACCEPTED, due_on=timezone.localdate() + dt.timedelta(days=5),
        sent_by=world.owner_caseworker,
    )
    consent_record(
        access=access(world.owner_caseworker, world.case, Need.EDIT), purpose="sharing",
        agency_kind=AgencyKind.SOCIAL_PROTECTION, decision="given", given_by="person", method="signed_form",
    )
    return referral



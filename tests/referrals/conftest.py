"""Referral tests: the shared personas, plus an agency in another province (for transfers) and
helpers that give consent and send referrals through the real services."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.core.management import call_command
from django.test import Client

from haven.accounts.models import Agency, AgencyKind, Role, User
from haven.cases.selectors import Need
from haven.consent.services import consent_record
from haven.referrals.items import default_due_on
from haven.referrals.models import Referral
from haven.referrals.services import referral_accept, referral_send
from tests.factories import World, access, agency, province, user


@pytest.fixture(scope="session", autouse=True)
def compiled_translations() -> None:
    from django.utils import translation
    from django.utils.translation import trans_real

    call_command("compiletranslations", verbosity=0)
    trans_real._translations = {}
    trans_real._default = None
    translation.deactivate()


def consent(world: World, decision: str = "given", kind: str = AgencyKind.SOCIAL_PROTECTION) -> None:
    consent_record(access=access(world.owner_caseworker, world.case, Need.EDIT), purpose="sharing",
                   agency_kind=kind, decision=decision, given_by="person", method="signed_form")


def send(world: World, *, sender: User | None = None, to: Agency | None = None, **overrides: Any) -> Referral:
    values: dict[str, Any] = {"to_agency_id": (to or world.other_agency).pk, "purpose": "Tiếp nhận, hỗ trợ tâm lý",
                              "items": ["psychological", "essential_needs"], "due_on": default_due_on()}
    values.update(overrides)
    return referral_send(access=access(sender or world.owner_caseworker, world.case, Need.EDIT), **values)


def sent_and_accepted(world: World) -> Referral:
    consent(world)
    referral = send(world)
    return referral_accept(acting_user=world.other_caseworker, referral_id=referral.pk)


def past_due(referral: Referral, days: int = 2) -> Referral:
    """Pretend the response date has passed (a date in the past cannot be chosen when sending)."""
    Referral.objects.filter(pk=referral.pk).update(due_on=dt.date.today() - dt.timedelta(days=days))
    referral.refresh_from_db()
    return referral


class Far:
    """An agency in another province, with a supervisor and a caseworker: the other end of a transfer."""

    def __init__(self) -> None:
        self.agency = agency(AgencyKind.SOCIAL_PROTECTION, "Trung tâm Công tác xã hội tỉnh Nghệ An",
                             jurisdiction=province("nghe-an", "Nghệ An"))
        self.supervisor = user(self.agency, Role.SUPERVISOR, "far_sup")
        self.caseworker = user(self.agency, Role.CASEWORKER, "far_cw")


@pytest.fixture
def far(world: World) -> Far:
    return Far()


@pytest.fixture
def owner(world: World, as_user) -> Client:  # noqa: ANN001
    return as_user(world.owner_caseworker)


@pytest.fixture
def supervisor(world: World, as_user) -> Client:  # noqa: ANN001
    return as_user(world.supervisor)


@pytest.fixture
def receiver(world: World, as_user) -> Client:  # noqa: ANN001
    return as_user(world.other_caseworker)


# The API persona clients (every response checked against the OpenAPI schema).
from tests.api.conftest import api, openapi_schema, schema_checker  # noqa: E402, F401

"""Creating user accounts (used by `haven users create` and the demo).

Kept apart from services.py only because another engineer owns that file; it follows the same
rules: keyword-only, atomic, validated, audited, one error type.
"""

from __future__ import annotations

from typing import Any

from django.contrib.auth.password_validation import validate_password
from django.contrib.auth.validators import UnicodeUsernameValidator
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext_lazy as _

from haven.accounts.models import Agency, Role, User
from haven.audit.models import AuditAction
from haven.audit.services import audit_record
from haven.cases import validation as v
from haven.core.errors import HavenError

# Every role but the system administrator works for an agency: access follows the agency.
ROLES_WITHOUT_AGENCY = frozenset({Role.SYSTEM_ADMIN})


@transaction.atomic
def user_create(
    *, acting_user: Any | None, username: str, role: str, agency_id: Any = None, password: str = "",
    password_hash: str | None = None, channel: str = "web",
) -> User:
    """Create an active user with a role in an agency. A system administrator also gets Django admin.

    `acting_user` is None when an operator creates the first accounts from the command line.
    `password_hash` (from make_password) replaces `password` where many accounts share one known
    password, as in the demo: Argon2 is slow on purpose, so it is hashed once.
    """
    username = v.text(username, "username", required=True, max_length=150)
    try:
        UnicodeUsernameValidator()(username)
    except ValidationError:
        raise HavenError(_("A username has letters, digits and @ . + - _ only."), field="username") from None
    if User.objects.filter(username__iexact=username).exists():
        raise HavenError(_("This username is taken."), field="username")
    role = v.choice(role, "role", Role.values)
    agency = None
    if agency_id not in (None, ""):
        agency = Agency.objects.filter(pk=int(agency_id), is_active=True).first() if str(agency_id).isdigit() else None
        if agency is None:
            raise HavenError(_("No active agency with this id."), field="agency")
    elif role not in ROLES_WITHOUT_AGENCY:
        raise HavenError(_("This role works for an agency: choose one."), field="agency")
    user = User(username=username, role=role, agency=agency)
    if role == Role.SYSTEM_ADMIN:
        user.is_staff = user.is_superuser = True
    if password_hash:
        user.password = password_hash
    else:
        try:
            validate_password(password, user)
        except ValidationError as exc:
            raise HavenError(" ".join(exc.messages), field="password") from None
        user.set_password(password)
    user.save()
    audit_record(
        actor=acting_user, action=AuditAction.ADMIN, object_type="user", object_id=user.pk, reason="created",
        changes={"role": role, "agency": agency.pk if agency else None}, channel=channel,
    )
    return user

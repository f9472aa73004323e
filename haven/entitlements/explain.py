"""`haven entitlements explain CASE_CODE`: the engine's answer for a registered case."""

from __future__ import annotations

import datetime as dt
from typing import Any

from haven.accounts.models import User
from haven.cases.selectors import access_case, access_case_as_operator
from haven.core.errors import HavenError, NotFound
from haven.entitlements.services import case_entitlements


class ExplainError(Exception):
    pass


def explain_case(code: str, *, on: dt.date, username: str | None = None) -> dict[str, Any]:
    """As a named user (their permissions) or, without one, as the server operator (audited, no user)."""
    try:
        if username:
            user = User.objects.filter(username=username, is_active=True).first()
            if user is None:
                raise ExplainError(f"no active user {username!r}")
            access = access_case(user, code=code)
        else:
            access = access_case_as_operator(code)
        return case_entitlements(access, on=on, channel="cli")
    except NotFound:
        who = f" open to {username}" if username else ""
        raise ExplainError(f"no case {code!r}{who}") from None
    except HavenError as exc:
        raise ExplainError(str(exc.message)) from None

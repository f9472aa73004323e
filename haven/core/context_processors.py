from __future__ import annotations

from typing import Any

from django.conf import settings
from django.http import HttpRequest


def haven(request: HttpRequest) -> dict[str, Any]:
    return {
        "two_factor_enforced": settings.HAVEN_REQUIRE_2FA,
        "environment_label": settings.HAVEN_ENVIRONMENT_LABEL,
    }

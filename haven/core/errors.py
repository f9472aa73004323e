"""The one error type services raise; views and the API turn it into a translated message."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext_lazy as _


class HavenError(Exception):
    """A rejected request: nothing was changed. `message` is already translated (lazy)."""

    status_code = 400

    def __init__(self, message: Any, *, field: str | None = None, code: str = "invalid") -> None:
        super().__init__(str(message))
        self.message = message
        self.field = field
        self.code = code


class NotFound(HavenError):
    """Missing and forbidden look the same, so a guessed identifier reveals nothing."""

    status_code = 404

    def __init__(self, message: Any = None) -> None:
        super().__init__(message or _("Not found."), code="not_found")


class PermissionDenied(HavenError):
    """For actions on an object the user can already see but may not change."""

    status_code = 403

    def __init__(self, message: Any = None) -> None:
        super().__init__(message or _("You do not have permission to do this."), code="forbidden")

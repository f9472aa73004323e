"""`haven research` subcommands of the scorecard; wired in by the research command."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

# name → handler(command, user, options); add_arguments(sub) adds their parsers.
HANDLERS: dict[str, Callable[[Any, Any, dict[str, Any]], None]] = {}


def add_arguments(sub: Any) -> None:
    pass

"""Shared by the `haven` commands: who is acting, and turning a rejected request into a clear error.

Commands act as a named user (`--as USERNAME`) and are held to that user's permissions; every read
and change is audited with the channel "cli". Whoever can run commands on the server already holds
the database settings and the keys, so the command line is trusted with the choice of user.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

from django.core.management.base import CommandError

from haven.accounts.models import User
from haven.core.errors import HavenError

CHANNEL = "cli"


def cli_user(username: str | None) -> User:
    """The active user named on the command line, or a clear error."""
    if not username:
        raise CommandError("name the user to act as with --as USERNAME")
    user = User.objects.select_related("agency").filter(username=username).first()
    if user is None or not user.is_active:
        raise CommandError(f"no active user named {username!r}")
    return user


def cli_error(exc: HavenError) -> CommandError:
    """A service's refusal as a command error: the field (if any) and the message, no traceback."""
    message = str(exc.message)
    return CommandError(f"{exc.field}: {message}" if exc.field else message)


def read_json(path: str) -> Any:
    """The JSON document in `path` ('-' for standard input), or a CommandError saying what is wrong."""
    try:
        text = sys.stdin.read() if path == "-" else Path(path).read_text(encoding="utf-8")
    except OSError as exc:
        raise CommandError(f"cannot read {path}: {exc.strerror}") from None
    try:
        return json.loads(text)
    except json.JSONDecodeError as exc:
        raise CommandError(f"{path} is not valid JSON: {exc.msg} at line {exc.lineno} column {exc.colno}") from None

"""API of the scorecard; mounted by haven/api.py."""

from __future__ import annotations

from ninja import Router

from haven.core.api_auth import ANY_AUTH

router = Router(auth=ANY_AUTH)

"""API routes of this app (issue 4)."""

from ninja import Router

router = Router()

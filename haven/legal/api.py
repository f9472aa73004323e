"""API routes of this app (issue 5)."""

from ninja import Router

router = Router()

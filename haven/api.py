"""The JSON API root: every app adds its router here."""

from __future__ import annotations

from ninja import NinjaAPI

api = NinjaAPI(
    title="Haven API",
    version="1",
    description="Confidential case records for returned victims of trafficking. Same permissions as the pages.",
    urls_namespace="api",
)

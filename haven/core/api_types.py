"""Field types shared by the API schemas.

Every string the API accepts has a maximum length and refuses NUL characters (PostgreSQL cannot
store them, and they have no place in a record); pydantic itself refuses lone surrogates. Numbers
that reach the database are bounded so an out-of-range value is a 422, never a database error.
"""

from __future__ import annotations

from typing import Annotated, Any

from ninja import Field, Path, Query, Schema
from pydantic import StringConstraints

NO_NUL = r"^[^\x00]*$"
# A case code as generated (HV-26-ABC234); older or imported codes may differ, so only the
# character set is fixed here. Anything else is malformed before any lookup happens.
CASE_CODE = r"^[A-Za-z0-9][A-Za-z0-9-]{0,31}$"
MAX_DB_ID = 2**63 - 1


def text(max_length: int, *, min_length: int = 0) -> Any:
    """A string of at most `max_length` characters, without NUL."""
    return Annotated[str, StringConstraints(max_length=max_length, min_length=min_length, pattern=NO_NUL)]


CaseCode = Annotated[str, StringConstraints(max_length=32, pattern=CASE_CODE)]
CasePath = Annotated[str, Path(..., max_length=32, pattern=CASE_CODE, description="Case code, e.g. HV-26-ABC234")]
IdPath = Annotated[int, Path(..., ge=1, le=MAX_DB_ID)]
Limit = Annotated[int, Query(25, ge=1, le=100, description="Page size (1 to 100)")]
Offset = Annotated[int, Query(0, ge=0, le=1_000_000, description="Items to skip")]


class ErrorOut(Schema):
    """The one error shape of the whole API."""

    detail: str = Field(..., description="What went wrong, translated")
    code: str = Field(..., description="Stable machine-readable code, e.g. not_found, invalid")
    field: str | None = Field(None, description="The input field at fault, when there is one")


class Page(Schema):
    total: int
    limit: int
    offset: int


# The errors every authenticated operation may answer with, documented in the schema.
ERRORS = frozenset({400, 401, 403, 404, 422})


def reply(status: int, body: Any) -> Any:
    """A response with a status other than 200 (ninja 1.7 wants Status(...); older ninja a tuple)."""
    try:
        from ninja import Status
    except ImportError:  # django-ninja < 1.7
        return status, body
    return Status(status, body)

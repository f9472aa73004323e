"""One error shape for the whole API: {"detail": <translated message>, "code": ..., "field": ...}.

Exception handlers are registered on the NinjaAPI in `haven.api`. No exception text reaches a
client: it may hold input values, and input values may be identity data.
"""

from __future__ import annotations

import functools
import logging
from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.core.exceptions import SuspiciousOperation
from django.http import Http404, HttpRequest, HttpResponse
from django.utils import translation
from django.utils.translation import gettext as _
from ninja import NinjaAPI
from ninja.errors import AuthenticationError, HttpError, ValidationError

from haven.core.crypto import KeyError_
from haven.core.errors import HavenError, NotFound

logger = logging.getLogger("haven.api")

LANGUAGE_PARAM = "lang"

# pydantic error type -> message. The msgids are shared with haven.cases.validation where they
# mean the same thing, so one translation serves the pages, the services and the API.
_MESSAGES: dict[str, Callable[[dict[str, Any]], str]] = {
    "missing": lambda ctx: _("This field is required."),
    "string_too_long": lambda ctx: _("Too long: at most %(n)d characters.") % {"n": ctx.get("max_length", 0)},
    "string_too_short": lambda ctx: _("This field is required."),
    "string_pattern_mismatch": lambda ctx: _("The text contains a character that is not allowed."),
    "string_type": lambda ctx: _("Enter text."),
    "string_unicode": lambda ctx: _("The text contains a character that is not allowed."),
    "enum": lambda ctx: _("Choose one of the listed options."),
    "literal_error": lambda ctx: _("Choose one of the listed options."),
    "union_tag_invalid": lambda ctx: _("Choose one of the listed options."),
    "union_tag_not_found": lambda ctx: _("This field is required."),
    "date_parsing": lambda ctx: _("Enter a date as YYYY-MM-DD."),
    "date_from_datetime_parsing": lambda ctx: _("Enter a date as YYYY-MM-DD."),
    "date_from_datetime_inexact": lambda ctx: _("Enter a date as YYYY-MM-DD."),
    "date_type": lambda ctx: _("Enter a date as YYYY-MM-DD."),
    "int_parsing": lambda ctx: _("Enter a whole number."),
    "int_type": lambda ctx: _("Enter a whole number."),
    "int_from_float": lambda ctx: _("Enter a whole number."),
    "int_parsing_size": lambda ctx: _("The number is out of range."),
    "greater_than": lambda ctx: _("The number is out of range."),
    "greater_than_equal": lambda ctx: _("The number is out of range."),
    "less_than": lambda ctx: _("The number is out of range."),
    "less_than_equal": lambda ctx: _("The number is out of range."),
    "finite_number": lambda ctx: _("The number is out of range."),
    "bool_parsing": lambda ctx: _("Enter true or false."),
    "bool_type": lambda ctx: _("Enter true or false."),
    "list_type": lambda ctx: _("Send a list."),
    "too_long": lambda ctx: _("Too many items: at most %(n)d.") % {"n": ctx.get("max_length", 0)},
    "model_type": lambda ctx: _("Send a JSON object."),
    "model_attributes_type": lambda ctx: _("Send a JSON object."),
    "dict_type": lambda ctx: _("Send a JSON object."),
    "extra_forbidden": lambda ctx: _("This field is not known."),
}
_SOURCES = {"body", "query", "path", "header", "cookie", "form", "file", "payload"}


def error_body(detail: Any, code: str, field: str | None = None) -> dict[str, Any]:
    return {"detail": str(detail), "code": code, "field": field}


def _field_name(loc: tuple[Any, ...]) -> str | None:
    """("body", "payload", "languages", 2) -> "languages"; the parameter wrapper names are dropped."""
    names = [str(part) for part in loc if isinstance(part, str) and part not in _SOURCES]
    # Discriminated unions add the tag value (e.g. "identify") as a level: keep the leaf only.
    return names[-1] if names else None


def validation_error_body(errors: list[dict[str, Any]]) -> dict[str, Any]:
    first: dict[str, Any] = errors[0] if errors else {"type": "invalid", "loc": ()}
    kind: str = str(first.get("type", ""))
    context: dict[str, Any] = first.get("ctx") or {}
    field = _field_name(tuple(first.get("loc", ())))
    if kind.startswith("union_tag"):
        field = str(context.get("discriminator", "")).strip("'\"") or field
    message_for = _MESSAGES.get(kind, lambda ctx: _("This value is not valid."))
    message = message_for(context)
    if field:
        message = _("%(field)s: %(message)s") % {"field": field, "message": message}
    return error_body(message, "invalid", field)


def install_error_handlers(api: NinjaAPI) -> None:
    def respond(request: HttpRequest, body: dict[str, Any], status: int) -> HttpResponse:
        return api.create_response(request, body, status=status)

    @api.exception_handler(HavenError)
    def haven_error(request: HttpRequest, exc: HavenError) -> HttpResponse:
        return respond(request, error_body(exc.message, exc.code, exc.field), exc.status_code)

    @api.exception_handler(ValidationError)
    def validation_error(request: HttpRequest, exc: ValidationError) -> HttpResponse:
        return respond(request, validation_error_body(exc.errors), 422)

    @api.exception_handler(Http404)
    def not_found(request: HttpRequest, exc: Http404) -> HttpResponse:
        # Identical to the NotFound of access_case: a guessed identifier learns nothing.
        return respond(request, not_found_body(), 404)

    @api.exception_handler(HttpError)
    def http_error(request: HttpRequest, exc: HttpError) -> HttpResponse:
        if isinstance(exc, AuthenticationError) or exc.status_code == 401:
            body = error_body(_("Log in, or send a valid API token."), "not_authenticated")
        elif exc.status_code == 400:
            # Ninja's only 400 is an unparseable body; its message may quote the input.
            body = error_body(_("The request body is not valid JSON."), "bad_request")
        elif exc.status_code == 429:
            body = error_body(_("Too many requests. Try again later."), "throttled")
        else:
            body = error_body(_("The request was refused."), "refused")
        return respond(request, body, exc.status_code)

    @api.exception_handler(SuspiciousOperation)
    def suspicious(request: HttpRequest, exc: SuspiciousOperation) -> HttpResponse:
        return respond(request, error_body(_("The request was refused."), "bad_request"), 400)

    @api.exception_handler(KeyError_)
    def key_error(request: HttpRequest, exc: KeyError_) -> HttpResponse:
        # A wrong or missing key: never ciphertext, never the key id to the client.
        logger.error("encryption key problem in the API: %s", exc)
        return respond(request, error_body(_("The server cannot read this record now."), "key_error"), 500)

    @api.exception_handler(Exception)
    def unexpected(request: HttpRequest, exc: Exception) -> HttpResponse:
        logger.exception("unexpected error in the API")
        return respond(request, error_body(_("Something went wrong on the server."), "server_error"), 500)


def not_found_body() -> dict[str, Any]:
    exc = NotFound()
    return error_body(exc.message, exc.code, exc.field)


def _requested_language(request: HttpRequest) -> str | None:
    wanted = request.GET.get(LANGUAGE_PARAM, "")
    codes = {code for code, _name in settings.LANGUAGES}
    return wanted if wanted in codes else None


def with_request_language(run: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """`?lang=en` chooses the language of one API request (messages, agency names).

    Without it the language is what LocaleMiddleware chose: the language cookie, else Haven's
    default. The browser's Accept-Language is not used (DefaultLanguageMiddleware replaces it).
    """

    @functools.wraps(run)
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        language = _requested_language(request)
        if language is None:
            return run(request, *args, **kwargs)
        with translation.override(language):
            response = run(request, *args, **kwargs)
        response["Content-Language"] = language
        return response

    return wrapper

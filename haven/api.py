"""The JSON API root: authentication, the one error shape, and every app's router.

Docs: /api/docs (Swagger UI from ninja's bundled static files, nothing from a CDN) and the schema
at /api/openapi.json.
"""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest, HttpResponse, JsonResponse
from django.urls import URLPattern, URLResolver, re_path
from ninja import NinjaAPI
from ninja.openapi.docs import Swagger

from haven.core.api_auth import ANY_AUTH
from haven.core.api_errors import error_body, install_error_handlers, not_found_body, with_request_language

DESCRIPTION = """Confidential case records for returned victims of trafficking. Same permissions as the pages.

* **Authentication**: `Authorization: Bearer hvn_…` (make a token with `POST /api/auth/tokens` from a
  logged-in browser session), or the session cookie itself with the `X-CSRFToken` header on unsafe methods.
* **Errors** always have the shape `{"detail": "...", "code": "...", "field": null}`. A record that does
  not exist and a record you may not see give the same 404.
* **Language**: messages follow the language cookie, else Vietnamese; add `?lang=en` to any request for English.
* **Identity data** is returned only by the `/identity` endpoints, the `name` in case lists and the name on
  the rights statement PDF, each read audited. Prefer `POST /api/cases/search` to `GET /api/cases?q=` so
  names and ID numbers stay out of URLs and server logs.
"""


class HavenAPI(NinjaAPI):
    def create_response(self, request: HttpRequest, data: Any, *, status: int | None = None,
                        temporal_response: HttpResponse | None = None) -> HttpResponse:
        response = super().create_response(request, data, status=status, temporal_response=temporal_response)
        # API answers may hold identity data: never kept by a browser or a proxy.
        response["Cache-Control"] = "no-store"
        return response

    def _get_urls(self) -> list[URLPattern | URLResolver]:
        urls = [_json_method_errors(u) for u in super()._get_urls()]
        for url in urls:
            if isinstance(url, URLPattern) and url.name == "api-root":
                url.callback = _index  # type: ignore[misc]
        # Unknown paths under /api/ answer in the API's error shape too.
        urls.append(re_path(r"^.*$", _unknown_path, name="api-unknown"))
        return urls


def _index(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
    if request.method not in ("GET", "HEAD"):
        from django.utils.translation import gettext as _

        return _json(error_body(_("This method is not allowed here."), "method_not_allowed"), 405)
    return _json({"title": "Haven API", "docs": request.path + "docs", "openapi": request.path + "openapi.json"}, 200)


def _unknown_path(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
    return _json(not_found_body(), 404)


def _json(body: dict[str, Any], status: int) -> HttpResponse:
    response = JsonResponse(body, status=status)
    response["Cache-Control"] = "no-store"
    return response


def _json_method_errors(pattern: URLPattern | URLResolver) -> URLPattern | URLResolver:
    """Ninja answers a wrong method with a plain-text 405; give it the error shape."""
    if not isinstance(pattern, URLPattern):
        return pattern
    view = pattern.callback

    def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        response = view(request, *args, **kwargs)
        if response.status_code == 405 and not response.get("Content-Type", "").startswith("application/json"):
            from django.utils.translation import gettext as _

            replaced = _json(error_body(_("This method is not allowed here."), "method_not_allowed"), 405)
            replaced["Allow"] = response.get("Allow", "")
            return replaced
        return response

    wrapped.csrf_exempt = getattr(view, "csrf_exempt", False)  # type: ignore[attr-defined]
    pattern.callback = wrapped  # type: ignore[misc]
    return pattern


api = HavenAPI(
    title="Haven API",
    version="1",
    description=DESCRIPTION,
    urls_namespace="api",
    auth=ANY_AUTH,
    # Swagger UI from ninja's own static files ("ninja" is in INSTALLED_APPS); the validator badge
    # would fetch from validator.swagger.io, so it is off.
    docs=Swagger(settings={"validatorUrl": None, "persistAuthorization": False}),
)
install_error_handlers(api)
api.add_decorator(with_request_language, mode="view")


def _mount() -> None:
    from haven.accounts.api import router as accounts_router
    from haven.audit.api import router as audit_router
    from haven.budgets.api import router as budgets_router
    from haven.cases.api import router as cases_router
    from haven.consent.api import router as consent_router
    from haven.directory.api import router as directory_router
    from haven.entitlements.api import router as entitlements_router
    from haven.exchange.api import router as exchange_router
    from haven.followup.api import router as followup_router
    from haven.legal.api import router as legal_router
    from haven.protection.api import router as protection_router
    from haven.referrals.api import router as referrals_router
    from haven.reports.api import router as reports_router
    from haven.research.api import router as research_router
    from haven.research.report_api import router as evaluation_report_router
    from haven.research.scorecard_api import router as scorecard_router
    from haven.support.api import router as support_router

    api.add_router("/auth", accounts_router, tags=["auth"])
    api.add_router("", cases_router, tags=["cases"])
    api.add_router("", consent_router, tags=["consent"])
    api.add_router("", audit_router, tags=["audit"])
    api.add_router("", entitlements_router, tags=["entitlements"])
    api.add_router("", directory_router, tags=["directory"])
    api.add_router("", referrals_router, tags=["referrals"])
    api.add_router("", support_router, tags=["support"])
    api.add_router("", budgets_router, tags=["budgets"])
    api.add_router("", protection_router, tags=["protection"])
    api.add_router("", followup_router, tags=["followup"])
    api.add_router("", legal_router, tags=["legal"])
    api.add_router("", reports_router, tags=["reports"])
    api.add_router("", exchange_router, tags=["exchange"])
    api.add_router("", research_router, tags=["research"])
    api.add_router("", scorecard_router, tags=["scorecard"])
    api.add_router("", evaluation_report_router, tags=["evaluation-report"])


_mount()

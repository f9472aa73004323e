"""The rights statement: what a person is owed, has received, is waiting for, and why anything was refused."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

from django.template.loader import render_to_string
from django.utils import timezone, translation

from haven.accounts.models import IdentityField
from haven.audit.models import AuditAction
from haven.audit.services import audit_record
from haven.cases.selectors import CaseAccess, read_identity
from haven.entitlements.models import ApplicationStatus, SupportApplication
from haven.entitlements.services import case_entitlements

FONT_DIR = Path(__file__).with_name("fonts")
GROUPS = ("entitled", "pending", "refused")
# The national anti-trafficking hotline (Decree 162/2025/ND-CP).
HOTLINE = "111"


def _group(status: str) -> str:
    if status in ("entitled", "amount_not_set"):
        return "entitled"
    if status == "needs_information":
        return "pending"
    return "refused"


def statement_context(access: CaseAccess, *, language: str, on: dt.date | None = None,
                      channel: str = "web") -> dict[str, Any]:
    """Everything the statement shows, in one language. The name appears only if the user may see it."""
    on = on or timezone.localdate()
    result = case_entitlements(access, on=on, channel=channel)
    lang = "en" if language == "en" else "vi"
    items: dict[str, list[dict[str, Any]]] = {g: [] for g in GROUPS}
    for item in result["items"]:
        items[_group(item["status"])].append({
            "name": item["name"][lang], "status": item["status"], "amount_vnd": item["amount_vnd"],
            "deadlines": item["deadlines"], "reasons": [r[lang] for r in item["reasons"]],
        })
    applications = list(SupportApplication.objects.filter(case=access.case).prefetch_related("steps"))
    received = [a for a in applications if a.status == ApplicationStatus.APPROVED]
    waiting = []
    for application in applications:
        if application.status != ApplicationStatus.IN_PROGRESS:
            continue
        step = next((s for s in application.steps.all() if s.completed_on is None), None)
        waiting.append({"application": application, "step": step,
                        "body": (step.body_en if lang == "en" else step.body_vi) if step else ""})
    refused = [a for a in applications if a.status == ApplicationStatus.REJECTED]
    name = ""
    if IdentityField.FULL_NAME in access.identity_fields:
        name = read_identity(access, fields=frozenset({IdentityField.FULL_NAME}), channel=channel)["full_name"]
    return {
        "lang": lang, "on": on, "case": access.case, "name": name, "result": result, "items": items,
        "reasons": [r[lang] for r in result.get("reasons", [])],
        "not_applicable": (result.get("not_applicable") or {}).get(lang, ""),
        "received": received, "waiting": waiting, "refused_applications": refused,
        "agency": access.case.owner_agency.display_name(lang), "hotline": HOTLINE,
    }


def statement_html(access: CaseAccess, *, language: str, channel: str = "web") -> str:
    context = statement_context(access, language=language, channel=channel)
    with translation.override(context["lang"]):
        return render_to_string("entitlements/statement.html", {**context, "font_dir": FONT_DIR.as_uri()})


def statement_pdf(access: CaseAccess, *, language: str, channel: str = "web") -> bytes:
    """A PDF for the person. Generating it is logged, because it carries their name."""
    from weasyprint import HTML

    html = statement_html(access, language=language, channel=channel)
    pdf = HTML(string=html, base_url=str(FONT_DIR)).write_pdf()
    audit_record(actor=access.user, action=AuditAction.EXPORT, object_type="rights_statement",
                 object_id=access.case.pk, case_id=access.case.pk, reason=language, channel=channel)
    return pdf

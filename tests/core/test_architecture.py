"""Architecture rules the linter cannot express."""

import ast
from pathlib import Path

HAVEN = Path(__file__).resolve().parents[2] / "haven"
PROTECTED = {
    "Case", "Person", "PersonIdentity", "ConsentRecord", "BreakGlass", "Referral", "NameToken",
    "CaseTransfer", "ShelterStay", "LedgerEntry", "LedgerApproval",
    "RiskAssessment", "MeasureReview", "ThreatIncident", "ProtectionMeasure",
    "HomeSafetyAssessment", "FollowUpPlan", "FollowUpVisit", "ReceptionLink",
    "Proceeding", "LegalAid", "Verdict", "CompensationPayment", "EnforcementStep",
    "Participant", "Interview", "CodedSegment", "Memo", "MatrixCell",
}
THIN_LAYERS = ("views", "api", "forms")


def _thin_files():
    for path in HAVEN.rglob("*.py"):
        stem = path.stem
        if any(stem == layer or stem.startswith(layer + "_") for layer in THIN_LAYERS) or "management" in path.parts:
            yield path


def test_views_api_and_commands_never_get_protected_models_directly():
    offenders = []
    for path in _thin_files():
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            # Model.objects.get(...) / .filter(...) on a protected model bypasses the access helpers.
            if (isinstance(node, ast.Attribute) and node.attr in {"get", "filter", "all", "get_or_create"}
                    and isinstance(node.value, ast.Attribute) and node.value.attr == "objects"
                    and isinstance(node.value.value, ast.Name) and node.value.value.id in PROTECTED):
                offenders.append(f"{path.relative_to(HAVEN)}:{node.lineno} {node.value.value.id}.objects.{node.attr}")
    allowed = {"core/management/commands/demo.py"}  # the demo loader builds and wipes synthetic data
    offenders = [o for o in offenders if o.split(":")[0] not in allowed]
    assert offenders == []


def test_no_template_or_static_file_loads_from_the_internet():
    offenders = []
    for path in list(HAVEN.rglob("*.html")) + list(HAVEN.rglob("*.css")):
        text = path.read_text(encoding="utf-8")
        for marker in ("http://", "https://", "//cdn", "fonts.googleapis"):
            if marker in text and "xmlns" not in text[max(0, text.find(marker) - 10):text.find(marker)]:
                offenders.append(f"{path.relative_to(HAVEN)} contains {marker}")
    assert offenders == []

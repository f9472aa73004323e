"""`haven directory`: search, gaps, list, add, deactivate; contact only for roles that may see it, audited."""

from __future__ import annotations

import io
import json

import pytest
from django.core.management import CommandError, call_command

from haven.audit.models import AuditEvent
from haven.directory.models import ServiceOffering
from tests.directory.conftest import ADDRESS, PHONE

pytestmark = pytest.mark.django_db


def run(*args: str) -> str:
    out = io.StringIO()
    call_command("directory", *args, stdout=out, stderr=io.StringIO())
    return out.getvalue()


def test_search_by_need_as_a_table(directory):
    out = run("search", "--item", "shelter", "--sex", "female", "--age", "15", "--province", "lao-cai")
    assert "Nhà an toàn Sương Sớm — Nhà tạm lánh" in out
    assert "places free 10/10" in out
    assert "1 service(s)." in out
    assert ADDRESS not in out


def test_search_as_json(directory):
    rows = json.loads(run("search", "--language", "hmn", "--format", "json"))
    # Agencies in Vietnamese order: "Nhà an toàn Sương Sớm" before "Trung tâm Công tác xã hội…".
    assert [r["name"] for r in rows] == ["Nhà tạm lánh", "Tư vấn tâm lý"]
    assert all("address" not in r for r in rows)


def test_contact_is_shown_to_a_caseworker_and_audited(directory):
    before = AuditEvent.objects.filter(object_type="service_offering", action="view_identity", channel="cli").count()
    rows = json.loads(run("search", "--item", "shelter", "--as", "owner_cw", "--contact", "--format", "json"))
    assert (rows[0]["address"], rows[0]["phone"]) == (ADDRESS, PHONE)
    after = AuditEvent.objects.filter(object_type="service_offering", action="view_identity", channel="cli").count()
    assert after == before + 1


@pytest.mark.parametrize("username", ["stats", "auditor", "sysadmin"])
def test_contact_is_refused_to_other_roles(directory, username):
    with pytest.raises(CommandError, match="may not see addresses"):
        run("list", "--as", username, "--contact")
    assert not AuditEvent.objects.filter(object_type="service_offering", action="view_identity").exists()


def test_contact_needs_a_named_user(directory):
    with pytest.raises(CommandError, match="--as"):
        run("search", "--contact")


def test_gaps_state_the_adult_men_gap(directory):
    out = run("gaps", "--province", "lao-cai")
    assert "- No service in Lào Cai accepts adult men for shelter." in out
    data = json.loads(run("gaps", "--province", "lao-cai", "--format", "json"))
    assert data["matrix"]["shelter"]["adult_men"] == 0


def test_gaps_in_vietnamese_name_the_need_in_vietnamese(directory):
    assert "nơi ở tạm thời" in run("gaps", "--province", "lao-cai", "--lang", "vi")


def test_an_unknown_province_is_a_clear_error(directory):
    with pytest.raises(CommandError, match="province: There is no province with this code."):
        run("gaps", "--province", "atlantis")


def test_list_shows_inactive_services(directory):
    run("deactivate", str(directory.women_shelter.pk), "--as", "shelter_admin")
    out = run("list")
    assert "Nhà tạm lánh  [inactive]" in out
    assert "Nhà tạm lánh" not in run("search", "--item", "shelter")


def test_add_from_a_file(directory, tmp_path):
    path = tmp_path / "offering.json"
    path.write_text(json.dumps({"agency_id": directory.shelter.pk, "name": "Nhà cho nam", "items": ["shelter"],
                                "sexes": ["male"], "languages": ["vie"], "min_age": 18, "capacity": 4,
                                "address": "Nơi bí mật"}), encoding="utf-8")
    out = run("add", "--as", "shelter_admin", "--file", str(path))
    offering = ServiceOffering.objects.get(name="Nhà cho nam")
    assert out.strip() == f"Added service {offering.pk}: Nhà cho nam"
    assert "- No service in Lào Cai accepts adult men for shelter." not in run("gaps", "--province", "lao-cai")
    event = AuditEvent.objects.filter(object_type="service_offering", action="create", channel="cli").get()
    assert "Nơi bí mật" not in str(event.changes)


@pytest.mark.parametrize("content, message", [
    ("{not json", "is not valid JSON"),
    ("[]", "one JSON object"),
    ('{"name": "x"}', "agency_id: this field is required"),
    ('{"agency_id": 1, "name": "x", "items": ["food"], "sexes": ["male"], "languages": ["vie"], "colour": 1}',
     "unknown field(s): colour"),
])
def test_add_refuses_a_bad_file_and_changes_nothing(directory, tmp_path, content, message):
    path = tmp_path / "bad.json"
    path.write_text(content, encoding="utf-8")
    before = ServiceOffering.objects.count()
    with pytest.raises(CommandError, match=message.replace("(", r"\(").replace(")", r"\)")):
        run("add", "--as", "shelter_admin", "--file", str(path))
    assert ServiceOffering.objects.count() == before


def test_add_refuses_bad_values_with_the_field(directory, tmp_path):
    path = tmp_path / "bad.json"
    path.write_text(json.dumps({"agency_id": directory.shelter.pk, "name": "Sai", "items": ["psychological"],
                                "sexes": ["female"], "languages": ["vie"], "min_age": 30, "max_age": 20}))
    with pytest.raises(CommandError, match="max_age: The maximum age is below the minimum age."):
        run("add", "--as", "shelter_admin", "--file", str(path))


def test_add_for_another_agency_is_refused(directory, tmp_path):
    path = tmp_path / "other.json"
    path.write_text(json.dumps({"agency_id": directory.shelter.pk, "name": "Không", "items": ["food"],
                                "sexes": ["male"], "languages": ["vie"]}))
    with pytest.raises(CommandError, match="own agency"):
        run("add", "--as", "border_admin", "--file", str(path))


def test_deactivate_needs_the_right_user(directory):
    with pytest.raises(CommandError, match="own agency"):
        run("deactivate", str(directory.women_shelter.pk), "--as", "border_admin")
    with pytest.raises(CommandError, match="no active user"):
        run("deactivate", str(directory.women_shelter.pk), "--as", "nobody")
    with pytest.raises(CommandError, match="no such service"):
        run("deactivate", "999999", "--as", "sysadmin")
    assert ServiceOffering.objects.get(pk=directory.women_shelter.pk).is_active
    assert run("deactivate", str(directory.women_shelter.pk), "--as", "sysadmin").strip().endswith("is inactive.")


def test_a_caseworker_may_not_add(directory, tmp_path):
    path = tmp_path / "x.json"
    path.write_text(json.dumps({"agency_id": directory.shelter.pk, "name": "X", "items": ["food"],
                                "sexes": ["male"], "languages": ["vie"]}))
    with pytest.raises(CommandError, match="You do not have permission"):
        run("add", "--as", "owner_cw", "--file", str(path))

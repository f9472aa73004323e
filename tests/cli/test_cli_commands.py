"""The `haven` commands: thin, held to the acting user's permissions, audited, clear on bad input."""

from __future__ import annotations

import io
import json

import pytest
from django.core.management import CommandError, call_command

from haven.accounts.models import Role, User
from haven.accounts.services import token_user
from haven.audit.models import AuditAction, AuditEvent
from haven.cases.models import Case
from haven.consent.models import ConsentRecord


def run(*args: str) -> str:
    out = io.StringIO()
    call_command(*args, stdout=out, stderr=io.StringIO())
    return out.getvalue()


@pytest.fixture
def password_file(tmp_path):  # noqa: ANN001, ANN201
    path = tmp_path / "password"
    path.write_text("a-long-enough-passphrase-42\n", encoding="utf-8")
    return str(path)


@pytest.fixture
def person_file(tmp_path):  # noqa: ANN001, ANN201
    def _write(**overrides) -> str:  # noqa: ANN003
        data = {
            "full_name": "Sùng Thị Pàng", "sex": "female", "category": "under_identification",
            "received_on": "2026-03-02", "reception_place": "Cửa khẩu Quốc tế Lào Cai",
            "return_mode": "border_handover", "id_number": "099306111222", "ethnicity": "hmong",
            "languages": ["hmn"], "birth_year": 2006,
        }
        data.update(overrides)
        path = tmp_path / "person.json"
        path.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
        return str(path)

    return _write


# --- users ---------------------------------------------------------------------------------------
def test_users_create_makes_an_account_with_the_role_and_agency(world, password_file):
    run("users", "create", "--username", "new.worker", "--role", "caseworker",
        "--agency-id", str(world.owner_agency.pk), "--password-file", password_file)
    user = User.objects.get(username="new.worker")
    assert user.role == Role.CASEWORKER and user.agency == world.owner_agency
    assert user.check_password("a-long-enough-passphrase-42")


def test_users_create_is_audited(world, password_file):
    run("users", "create", "--username", "new.worker", "--role", "caseworker",
        "--agency-id", str(world.owner_agency.pk), "--password-file", password_file)
    event = AuditEvent.objects.get(object_type="user", reason="created")
    assert event.channel == "cli" and "a-long" not in json.dumps(event.changes)


def test_a_system_administrator_gets_the_admin_site(db, password_file):
    run("users", "create", "--username", "root.admin", "--role", "system_admin", "--password-file", password_file)
    admin = User.objects.get(username="root.admin")
    assert admin.is_staff and admin.is_superuser and admin.agency is None


@pytest.mark.parametrize(
    ("extra", "message"),
    [
        (["--username", "owner_cw", "--role", "caseworker"], "taken"),
        (["--username", "x y", "--role", "caseworker"], "username"),
        (["--username", "nobody", "--role", "caseworker", "--agency-id", "999999"], "No active agency"),
        (["--username", "nobody", "--role", "supervisor"], "works for an agency"),
        (["--username", "nobody", "--role", "emperor"], "invalid choice"),
    ],
)
def test_users_create_rejects_bad_input(world, password_file, extra, message):
    if "--agency-id" not in extra and "supervisor" not in extra and "emperor" not in extra:
        extra = [*extra, "--agency-id", str(world.owner_agency.pk)]
    with pytest.raises(CommandError, match=message):
        run("users", "create", *extra, "--password-file", password_file)


def test_users_create_rejects_a_weak_password(world, tmp_path):
    weak = tmp_path / "weak"
    weak.write_text("12345\n", encoding="utf-8")
    with pytest.raises(CommandError, match="password"):
        run("users", "create", "--username", "nobody", "--role", "caseworker",
            "--agency-id", str(world.owner_agency.pk), "--password-file", str(weak))
    assert not User.objects.filter(username="nobody").exists()


def test_users_create_without_a_password_file_or_terminal_is_a_command_error(world, monkeypatch):
    monkeypatch.setattr("sys.stdin", io.StringIO(""))
    with pytest.raises(CommandError, match="password-file"):
        run("users", "create", "--username", "nobody", "--role", "caseworker", "--agency-id", str(world.owner_agency.pk))


def test_users_create_reports_an_unreadable_password_file(world):
    with pytest.raises(CommandError, match="cannot read"):
        run("users", "create", "--username", "nobody", "--role", "caseworker",
            "--agency-id", str(world.owner_agency.pk), "--password-file", "/nonexistent/pw")


def test_users_list_shows_role_and_agency(world):
    output = run("users", "list")
    assert "owner_cw" in output and "Caseworker" in output and world.owner_agency.name in output


def test_users_list_filters_by_agency(world):
    output = run("users", "list", "--agency-id", str(world.other_agency.pk))
    assert "other_cw" in output and "owner_cw" not in output


def test_users_agencies_lists_ids(world):
    assert f"{world.owner_agency.pk}  {world.owner_agency.name}" in run("users", "agencies")


# --- tokens --------------------------------------------------------------------------------------
def test_token_create_prints_a_working_token_once(world):
    plain = run("token", "create", "owner_cw", "--name", "script").strip()
    assert token_user(plain) == world.owner_caseworker
    assert world.owner_caseworker.api_tokens.get().digest != plain


def test_token_create_for_an_unknown_user_is_a_command_error(db):
    with pytest.raises(CommandError, match="no active user"):
        run("token", "create", "ghost", "--name", "x")


def test_token_create_needs_a_name(world):
    with pytest.raises(CommandError, match="name"):
        run("token", "create", "owner_cw", "--name", "")


# --- cases ---------------------------------------------------------------------------------------
def test_cases_list_shows_the_name_to_the_assigned_worker(world):
    output = run("cases", "list", "--as", "owner_cw")
    assert world.case.code in output and "Đặng Thị Ngọc" in output


def test_cases_list_finds_a_name_without_accents(world):
    assert world.case.code in run("cases", "list", "--as", "owner_cw", "--q", "dang thi ngoc")


def test_cases_list_filters_by_status(world):
    assert world.case.code not in run("cases", "list", "--as", "owner_cw", "--status", "closed")
    assert world.case.code in run("cases", "list", "--as", "owner_cw", "--status", "reception", "--status", "closed")


def test_cases_list_audits_each_name_shown_as_cli(world):
    run("cases", "list", "--as", "owner_cw")
    event = AuditEvent.objects.get(action=AuditAction.VIEW_IDENTITY)
    assert event.channel == "cli" and event.fields == ["full_name"] and event.case_id == world.case.pk


def test_cases_list_shows_nothing_of_another_agency(world):
    output = run("cases", "list", "--as", "other_cw")
    assert world.case.code not in output and "Đặng" not in output


def test_cases_list_shows_a_statistician_no_cases(world):
    output = run("cases", "list", "--as", "stats")
    assert "sees no case records" in output and world.case.code not in output


def test_cases_list_as_an_unknown_user_is_a_command_error(db):
    with pytest.raises(CommandError, match="no active user"):
        run("cases", "list", "--as", "ghost")


def test_cases_list_with_a_bad_status_is_a_command_error(world):
    with pytest.raises(CommandError, match="invalid choice"):
        run("cases", "list", "--as", "owner_cw", "--status", "lost")


def test_cases_show_without_identity_reads_no_identity(world):
    output = run("cases", "show", world.case.code, "--as", "owner_cw")
    assert "Hmong" in output and "Đặng Thị Ngọc" not in output
    assert not AuditEvent.objects.filter(action=AuditAction.VIEW_IDENTITY).exists()


def test_cases_show_identity_decrypts_and_audits(world):
    output = run("cases", "show", world.case.code, "--as", "owner_cw", "--identity")
    assert "Đặng Thị Ngọc" in output
    event = AuditEvent.objects.get(action=AuditAction.VIEW_IDENTITY)
    assert event.channel == "cli" and "full_name" in event.fields and "Đặng" not in json.dumps(event.changes)


def test_cases_show_gives_the_same_error_for_missing_and_forbidden(world):
    with pytest.raises(CommandError) as forbidden:
        run("cases", "show", world.case.code, "--as", "other_cw")
    with pytest.raises(CommandError) as missing:
        run("cases", "show", "HV-00-AAAAAA", "--as", "other_cw")
    assert str(forbidden.value).replace(world.case.code, "X") == str(missing.value).replace("HV-00-AAAAAA", "X")


def test_cases_show_to_an_auditor_is_not_found(world):
    with pytest.raises(CommandError, match="may see"):
        run("cases", "show", world.case.code, "--as", "auditor", "--identity")


def test_cases_register_from_a_json_file(world, person_file):
    output = run("cases", "register", "--as", "owner_cw", "--file", person_file())
    code = output.split("Registered case ")[1].split()[0]
    case = Case.objects.get(code=code)
    assert case.owner_agency == world.owner_agency and case.person.identity.full_name == "Sùng Thị Pàng"
    assert AuditEvent.objects.get(action=AuditAction.CREATE, case_id=case.pk).channel == "cli"


def test_cases_register_warns_of_a_duplicate_and_changes_nothing(world, person_file):
    path = person_file(full_name="Dang Thi Ngoc", date_of_birth="2003-05-17", birth_year=2003)
    before = Case.objects.count()
    with pytest.raises(CommandError, match="possible duplicate.*--confirm-duplicate"):
        run("cases", "register", "--as", "owner_cw", "--file", path)
    assert Case.objects.count() == before
    run("cases", "register", "--as", "owner_cw", "--file", path, "--confirm-duplicate")
    assert Case.objects.count() == before + 1


def test_cases_register_does_not_name_cases_the_user_cannot_open(world, person_file):
    path = person_file(full_name="Dang Thi Ngoc", date_of_birth="2003-05-17", birth_year=2003)
    with pytest.raises(CommandError) as error:
        run("cases", "register", "--as", "other_cw", "--file", path)
    assert world.case.code not in str(error.value) and "cannot open" in str(error.value)


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"received_on": "2999-01-01"}, "received_on: "),
        ({"sex": "dragon"}, "sex: "),
        ({"home_commune": "atlantis"}, "home_commune: "),
        ({"colour": "blue"}, "unknown field"),
        ({"full_name": ""}, "full_name: "),
    ],
)
def test_cases_register_rejects_bad_input_with_the_field(world, person_file, overrides, message):
    before = Case.objects.count()
    with pytest.raises(CommandError, match=message):
        run("cases", "register", "--as", "owner_cw", "--file", person_file(**overrides))
    assert Case.objects.count() == before


def test_cases_register_rejects_a_file_that_is_not_a_json_object(world, tmp_path):
    path = tmp_path / "list.json"
    path.write_text("[1, 2]", encoding="utf-8")
    with pytest.raises(CommandError, match="one JSON object"):
        run("cases", "register", "--as", "owner_cw", "--file", str(path))
    path.write_text("{not json", encoding="utf-8")
    with pytest.raises(CommandError, match="not valid JSON"):
        run("cases", "register", "--as", "owner_cw", "--file", str(path))


def test_cases_register_reports_missing_fields(world, tmp_path):
    path = tmp_path / "p.json"
    path.write_text('{"full_name": "Lò Thị Sinh"}', encoding="utf-8")
    with pytest.raises(CommandError, match="missing required field.*received_on"):
        run("cases", "register", "--as", "owner_cw", "--file", str(path))


def test_a_statistician_cannot_register(world, person_file):
    with pytest.raises(CommandError, match="Only caseworkers and supervisors"):
        run("cases", "register", "--as", "stats", "--file", person_file())


# --- consent -------------------------------------------------------------------------------------
def test_consent_record_writes_the_decision(world):
    output = run("consent", "record", world.case.code, "--as", "owner_cw", "--purpose", "sharing",
                 "--agency-kind", "social_protection", "--decision", "given", "--given-by", "person",
                 "--method", "signed_form", "--date", "2026-03-03")
    record = ConsentRecord.objects.get()
    assert (record.purpose, record.agency_kind, record.decision) == ("sharing", "social_protection", "given")
    assert "Recorded" in output
    assert AuditEvent.objects.get(action=AuditAction.CONSENT).channel == "cli"


def test_consent_withdrawal_is_in_force_at_once(world):
    base = ("consent", "record", world.case.code, "--as", "owner_cw", "--purpose", "research",
            "--given-by", "person", "--method", "signed_form")
    run(*base, "--decision", "given")
    run(*base, "--decision", "withdrawn")
    assert "research: withdrawn" in run("consent", "show", world.case.code, "--as", "owner_cw")


def test_verbal_consent_without_a_witness_is_a_command_error(world):
    with pytest.raises(CommandError, match="witness_name"):
        run("consent", "record", world.case.code, "--as", "owner_cw", "--purpose", "services",
            "--decision", "given", "--given-by", "person", "--method", "verbal_witnessed")
    assert not ConsentRecord.objects.exists()


def test_consent_by_another_agency_is_not_found(world):
    with pytest.raises(CommandError, match="may change"):
        run("consent", "record", world.case.code, "--as", "other_cw", "--purpose", "services",
            "--decision", "given", "--given-by", "person", "--method", "signed_form")


def test_consent_with_a_bad_purpose_is_a_command_error(world):
    with pytest.raises(CommandError, match="invalid choice"):
        run("consent", "record", world.case.code, "--as", "owner_cw", "--purpose", "gossip",
            "--decision", "given", "--given-by", "person", "--method", "signed_form")


def test_consent_with_a_bad_date_is_a_command_error(world):
    with pytest.raises(CommandError, match="effective_on"):
        run("consent", "record", world.case.code, "--as", "owner_cw", "--purpose", "services",
            "--decision", "given", "--given-by", "person", "--method", "signed_form", "--date", "03/03/2026")


def test_token_create_keeps_to_the_longest_token_life(world, settings):
    settings.HAVEN_API_TOKEN_DAYS = 30
    with pytest.raises(CommandError, match="between 1 and 30"):
        run("token", "create", "owner_cw", "--name", "x", "--days", "31")

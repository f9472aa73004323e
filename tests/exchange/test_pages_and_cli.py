"""The pages (upload, progress polled by htmx, cancel, download) and the commands."""

from __future__ import annotations

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from django.test import Client

from haven.cases.models import Case
from haven.exchange.models import Job, JobStatus
from tests.conftest import login
from tests.exchange.conftest import csv_bytes, row

pytestmark = pytest.mark.django_db


def _client(user, language: str = "en") -> Client:  # noqa: ANN001
    client = Client()
    client.cookies["django_language"] = language
    return login(client, user)


def test_uploading_a_file_on_the_page_imports_it_and_shows_the_result(world):
    client = _client(world.supervisor)
    upload = SimpleUploadedFile("lc.csv", csv_bytes([row(1), row(2)]), content_type="text/csv")
    response = client.post("/exchange/imports/", {"file": upload})
    assert response.status_code == 302
    job = Job.objects.get(owner=world.supervisor)
    page = client.get(response["Location"])
    assert page.status_code == 200 and "2 cases created" in page.content.decode()
    assert job.status == JobStatus.SUCCEEDED


def test_the_rejected_rows_report_is_shown_in_vietnamese(world):
    world.supervisor.preferred_language = "vi"
    world.supervisor.save()
    client = _client(world.supervisor, "vi")
    upload = SimpleUploadedFile("lc.csv", csv_bytes([row(1, sex="robot")]), content_type="text/csv")
    page = client.get(client.post("/exchange/imports/", {"file": upload})["Location"]).content.decode()
    assert "dòng bị từ chối" in page or "row rejected" in page  # the catalogue is merged by the lead
    assert 'data-row="2"' in page


def test_a_running_job_polls_for_progress_and_offers_cancel(world):
    job = Job.objects.create(kind="export_ctdc", owner=world.supervisor, status=JobStatus.RUNNING, total=10, done=3)
    client = _client(world.supervisor)
    page = client.get(f"/exchange/jobs/{job.pk}/").content.decode()
    assert 'hx-trigger="every 1s"' in page and 'value="30"' in page and "Cancel" in page
    partial = client.get(f"/exchange/jobs/{job.pk}/", headers={"HX-Request": "true"}).content.decode()
    assert partial.lstrip().startswith('<div id="job-progress"')
    client.post(f"/exchange/jobs/{job.pk}/cancel/")
    job.refresh_from_db()
    assert job.cancel_requested


def test_a_finished_job_stops_polling_and_offers_the_download(world):
    client = _client(world.statistician)
    response = client.post("/exchange/exports/ctdc/", {"k": "2"})
    page = client.get(response["Location"]).content.decode()
    assert "every 1s" not in page and "Download the result" in page
    job = Job.objects.get(owner=world.statistician)
    download = client.get(f"/exchange/jobs/{job.pk}/download/")
    assert download["Content-Type"] == "text/csv" and download["Cache-Control"] == "no-store"
    assert download.content.startswith(b"yearOfRegistration,gender,ageBroad")


def test_the_identity_form_refuses_a_short_password(world):
    client = _client(world.supervisor)
    response = client.post("/exchange/exports/identity/", {"password": "ngắn", "password_again": "ngắn",
                                                           "reason": "Chuyển hồ sơ cho Sở Y tế theo công văn"})
    assert response.status_code == 200 and "at least 12 characters" in response.content.decode()
    assert not Job.objects.exists()


def test_the_import_command_imports_and_prints_the_summary(world, tmp_path):
    path = tmp_path / "lc.csv"
    path.write_bytes(csv_bytes([row(1), row(2), row(3)]))
    out, err = io.StringIO(), io.StringIO()
    call_command("import", "cases", str(path), "--as", world.supervisor.username, stdout=out, stderr=err)
    assert "succeeded" in out.getvalue() and "'created': 3" in out.getvalue()
    assert "100%" in err.getvalue()  # the progress bar
    assert Case.objects.filter(import_source__isnull=False).count() == 3


def test_the_import_command_lists_rejected_rows_and_fails(world, tmp_path):
    path = tmp_path / "lc.csv"
    path.write_bytes(csv_bytes([row(1), row(2, received_on="2019-02-30")]))
    out = io.StringIO()
    with pytest.raises(CommandError):
        call_command("import", "cases", str(path), "--as", world.supervisor.username, stdout=out,
                     stderr=io.StringIO())
    assert "row 3: received_on" in out.getvalue()


def test_the_export_command_writes_the_file(world, tmp_path):
    target = tmp_path / "out.csv"
    call_command("export", "htcds", "--as", world.statistician.username, "--k", "2", "--out", str(target),
                 stdout=io.StringIO(), stderr=io.StringIO())
    assert target.read_text().startswith("cas_Status,yearOfRegistration")
    assert oct(target.stat().st_mode)[-3:] == "600"


def test_jobs_cancel_from_the_command_line(world):
    job = Job.objects.create(kind="export_ctdc", owner=world.statistician)
    out = io.StringIO()
    call_command("jobs", "cancel", str(job.pk), "--as", world.statistician.username, stdout=out)
    job.refresh_from_db()
    assert job.status == JobStatus.CANCELLED
    with pytest.raises(CommandError):
        call_command("jobs", "cancel", str(job.pk), "--as", world.supervisor.username, stdout=io.StringIO())

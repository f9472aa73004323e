"""The rights scorecard: each kind of indicator on a small known data set, disclosure control, the rules in
force, ratings and their audit trail, the pages' table, the CLI and the API's errors."""

from __future__ import annotations

import datetime as dt
import io
import json

import pytest
from django.core.management import CommandError, call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from openpyxl import load_workbook

from haven.audit.models import AuditEvent
from haven.audit.services import audit_record
from haven.cases.models import Signoff
from haven.core.errors import HavenError
from haven.legal.models import CompensationPayment, Proceeding, Verdict
from haven.protection.models import RiskAssessment
from haven.referrals.models import Referral
from haven.research import scorecard as sc
from haven.research.models import ScorecardRating
from haven.research.selectors import access_study
from haven.research.services import study_create
from tests.factories import agency, province
from tests.research.scorecard_data import IDENTIFIED, given, persons, scorecard, value

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def english():
    from django.utils import translation

    with translation.override("en"):
        yield


@pytest.fixture
def lead(world):
    study = study_create(acting_user=world.owner_caseworker, title="Đánh giá dựa trên quyền", period_start="2025-01-01",
                         period_end="2025-12-31")
    return access_study(world.owner_caseworker, study.pk)


def _build(lead, **kwargs):
    return sc.build(scorecard(lead, **kwargs), lead.user)


# --- process indicators: numbers on a known data set --------------------------------------------------------


def test_entitled_persons_who_received_an_item_are_counted(world, lead):
    cases = persons(world, 12)
    given(world, cases[:7], "travel")
    figure = value(_build(lead), "support.travel.received").figure
    assert (figure.numerator, figure.denominator, figure.suppressed) == (7, 12, False)
    assert figure.display.startswith("7") and "12" in figure.display


def test_persons_of_another_period_or_province_are_not_counted(world, lead):
    given(world, persons(world, 12)[:7], "travel")
    persons(world, 6, on=dt.date(2024, 5, 1), prefix="OLD")
    elsewhere = agency(jurisdiction=province("ha-giang", "Hà Giang"))
    persons(world, 6, prefix="HG", agency=elsewhere)
    figure = value(_build(lead), "support.travel.received").figure
    assert (figure.numerator, figure.denominator) == (7, 12)


def test_the_whole_country_counts_every_province(world, lead):
    given(world, persons(world, 12)[:7], "travel")
    persons(world, 6, prefix="HG", agency=agency(jurisdiction=province("ha-giang", "Hà Giang")))
    figure = value(_build(lead, lao_cai=False), "support.travel.received").figure
    assert (figure.numerator, figure.denominator) == (7, 18)


def test_risk_assessments_at_reception(world, lead, settings):
    settings.HAVEN_DISCLOSURE_K = 1
    cases = persons(world, 6)
    RiskAssessment.objects.bulk_create([RiskAssessment(
        case=c, agency=world.owner_agency, occasion=occasion, assessed_on=IDENTIFIED, traffickers="low",
        family_community="low", retrafficking="low", health="low", stigma="low", computed_level="low", level="low",
        assessed_by=world.owner_caseworker) for c, occasion in zip(cases[:4], ["reception"] * 3 + ["follow_up"],
                                                                    strict=True)])
    figure = value(_build(lead), "protection.risk.reception").figure
    assert (figure.numerator, figure.denominator) == (3, 6)


def test_referrals_sent_without_consent_count_against(world, lead, settings):
    settings.HAVEN_DISCLOSURE_K = 1
    cases = persons(world, 3)
    referrals = Referral.objects.bulk_create([Referral(
        case=c, from_agency=world.owner_agency, to_agency=world.other_agency, purpose="(tổng hợp)",
        due_on=IDENTIFIED, sent_by=world.owner_caseworker) for c in cases])
    audit_record(actor=world.supervisor, action="create", object_type="referral", object_id=referrals[0].pk,
                 case_id=cases[0].pk, reason="consent override")
    figure = value(_build(lead), "protection.confidentiality.consent").figure
    assert (figure.numerator, figure.denominator) == (2, 3)


def test_signoffs_given_by_their_due_date(world, lead, settings):
    settings.HAVEN_DISCLOSURE_K = 1
    cases = persons(world, 3)
    due = dt.date(2025, 3, 20)
    on_time = dt.datetime(2025, 3, 18, 9, tzinfo=dt.UTC)
    late = dt.datetime(2025, 3, 25, 9, tzinfo=dt.UTC)
    Signoff.objects.bulk_create([
        Signoff(case=cases[0], agency_kind="police", due_on=due, decision="approved", signed_at=on_time),
        Signoff(case=cases[1], agency_kind="police", due_on=due, decision="approved", signed_at=late),
        Signoff(case=cases[2], agency_kind="police", due_on=due),  # pending and overdue
    ])
    figure = value(_build(lead), "reception.signoffs.on_time").figure
    assert (figure.numerator, figure.denominator) == (1, 3)


def test_compensation_awards_paid_in_full_in_part_and_not_at_all(world, lead, settings):
    settings.HAVEN_DISCLOSURE_K = 1
    cases = persons(world, 4)
    proceedings = Proceeding.objects.bulk_create([Proceeding(case=c, kind="criminal", person_role="victim",
                                                             recorded_by=world.owner_caseworker) for c in cases])
    awards = Verdict.objects.bulk_create([Verdict(
        proceeding=p, decided_on=IDENTIFIED, court_level="first_instance", outcome="convicted",
        compensation_awarded=10_000_000, recorded_by=world.owner_caseworker) for p in proceedings])
    for award, amount in ((awards[0], 10_000_000), (awards[1], 4_000_000), (awards[2], 2_000_000)):
        CompensationPayment.objects.create(award=award, received_on=IDENTIFIED, amount=amount, method="cash",
                                           evidence_ref="BL-1", recorded_by=world.owner_caseworker)
    wrong = CompensationPayment.objects.get(award=awards[2])
    CompensationPayment.objects.create(award=awards[2], received_on=IDENTIFIED, amount=-2_000_000, method="cash",
                                       evidence_ref="BL-2", reverses=wrong, recorded_by=world.owner_caseworker)
    view = _build(lead)
    shares = {code: (value(view, code).figure.numerator, value(view, code).figure.denominator)
              for code in ("compensation.awards.paid_full", "compensation.awards.paid_part",
                           "compensation.awards.unpaid")}
    assert shares == {"compensation.awards.paid_full": (1, 4), "compensation.awards.paid_part": (1, 4),
                      "compensation.awards.unpaid": (2, 4)}
    assert (value(view, "compensation.legal_aid").figure.denominator) == 4


def test_an_empty_scorecard_says_no_records(world, lead):
    figure = value(_build(lead), "information.statement").figure
    assert (figure.numerator, figure.denominator, figure.suppressed) == (0, 0, False)


# --- disclosure control ---------------------------------------------------------------------------------------


def test_a_small_yes_is_suppressed(world, lead):
    given(world, persons(world, 12)[:2], "travel")
    figure = value(_build(lead), "support.travel.received").figure
    assert figure.suppressed and figure.numerator is None and figure.denominator is None
    assert "2" not in figure.display


def test_a_small_no_is_suppressed_too(world, lead):
    given(world, persons(world, 12)[:10], "travel")
    figure = value(_build(lead), "support.travel.received").figure
    assert figure.suppressed and figure.numerator is None


def test_fewer_than_k_people_are_never_shown(world, lead):
    given(world, persons(world, 4), "travel")
    assert value(_build(lead), "support.travel.received").figure.suppressed


def test_a_small_group_is_hidden_with_its_complement(world, lead):
    """8 women (7 received travel) and 4 men (none): the men are fewer than k, so the women cannot be shown
    either — their figure and the total would give the men's away."""
    cases = persons(world, 12, sex=["female"] * 8 + ["male"] * 4)
    given(world, cases[:7], "travel")
    item = value(_build(lead), "support.travel.received")
    assert item.figure.numerator == 7
    assert "sex" not in item.breakdowns
    assert "sex" in item.breakdown_notes
    assert [(label, f.numerator, f.denominator) for label, f in item.breakdowns["age"]] == [("Adult", 7, 12)]


def test_a_published_breakdown_never_shows_a_group_below_k(world, lead):
    cases = persons(world, 10, sex=["female"] * 5 + ["male"] * 5) + persons(world, 10, prefix="M", ethnicity="hmong")
    given(world, cases[:5] + cases[10:15], "travel")
    item = value(_build(lead), "support.travel.received")
    for figures in item.breakdowns.values():
        shown = [f for _label, f in figures if not f.suppressed]
        assert len([f for _label, f in figures if f.suppressed]) != 1  # never a single hidden group
        for f in shown:
            assert f.denominator >= 5 and f.numerator not in range(1, 5)
            assert f.denominator - f.numerator not in range(1, 5)
    assert [(label, f.numerator) for label, f in item.breakdowns["ethnicity"]] == [("Kinh", 5), ("Ethnic minority", 5)]


# --- structural indicators ------------------------------------------------------------------------------------


def test_an_unverified_amount_shows_unverified_and_no_number(world, lead):
    rule = value(_build(lead, start="2025-07-01", end="2025-12-31", lao_cai=False), "support.hardship.rule")
    assert rule.figure.confidence == "unverified"
    assert "unverified" in rule.figure.display
    assert "đồng" not in rule.figure.display and "1.000.000" not in rule.figure.display


def test_a_reported_provincial_amount_is_shown_with_its_confidence(world, lead):
    rule = value(_build(lead), "support.hardship.rule")  # Lào Cai, first half of 2025: the old regime
    assert "1.000.000" in rule.figure.display and "Reported" in rule.figure.display


def test_no_right_to_information_before_law_53_2024(world, lead):
    rule = value(_build(lead, start="2024-01-01", end="2024-12-31"), "information.rule").figure
    assert rule.reason == "No rule" and "2025-07-01" in rule.display
    later = value(_build(lead, start="2025-07-01", end="2025-12-31"), "information.rule").figure
    assert later.reason == "" and "Law 53/2024" in later.display


def test_each_protection_measure_is_shown_with_its_decree_and_confidence(world, lead):
    view = _build(lead, start="2024-01-01", end="2024-12-31")
    measures = [v for v in view.values() if v.indicator.code.startswith("protection.measure.")]
    assert len(measures) == 8
    assert all("Decree 62/2012" in v.figure.display and v.figure.confidence == "confirmed" for v in measures)
    assert "cl. 8" in value(view, "protection.measure.closed_trial").figure.display


# --- ratings, audit, queries ----------------------------------------------------------------------------------


def test_a_rating_change_is_audited_without_the_note(world, lead):
    card = scorecard(lead)
    sc.rating_set(access=lead, scorecard=card, indicator="information.rule", rating="partly", note="Bí mật A")
    sc.rating_set(access=lead, scorecard=card, indicator="information.rule", rating="not_met", note="Bí mật B")
    event = AuditEvent.objects.filter(object_type="research_scorecard_rating").order_by("-seq").first()
    assert event.changes["old"] == "partly" and event.changes["new"] == "not_met"
    assert "Bí mật" not in json.dumps(event.changes, ensure_ascii=False) + event.reason
    assert ScorecardRating.objects.get().note == "Bí mật B"


def test_reading_a_note_is_an_audited_read(world, lead):
    card = scorecard(lead)
    rating = sc.rating_set(access=lead, scorecard=card, indicator="information.rule", rating="met", note="Ghi chú")
    before = AuditEvent.objects.filter(action="view_identity", object_type="research_scorecard_rating").count()
    view = sc.build(card, lead.user)
    assert value(view, "information.rule").note == "Ghi chú"
    read = AuditEvent.objects.filter(action="view_identity", object_type="research_scorecard_rating")
    assert read.count() == before + 1 and read.last().object_id == str(rating.pk) and read.last().fields == ["note"]


def test_bad_ratings_are_refused_and_nothing_is_saved(world, lead):
    card = scorecard(lead)
    for indicator, rating in (("no.such.indicator", "met"), ("information.rule", "excellent")):
        with pytest.raises(HavenError):
            sc.rating_set(access=lead, scorecard=card, indicator=indicator, rating=rating)
    assert not ScorecardRating.objects.exists()


def test_a_period_that_ends_before_it_starts_is_refused(world, lead):
    with pytest.raises(HavenError):
        sc.scorecard_create(access=lead, title="X", period_start="2025-12-31", period_end="2025-01-01")


def test_the_number_of_queries_does_not_grow_with_the_number_of_persons(world, lead):
    card = scorecard(lead)
    given(world, persons(world, 6), "travel")
    with CaptureQueriesContext(connection) as few:
        sc.build(card, lead.user)
    given(world, persons(world, 30, prefix="MORE", on=dt.date(2025, 4, 2)), "food")
    with CaptureQueriesContext(connection) as many:
        sc.build(card, lead.user)
    assert len(many) == len(few)


def test_the_pdf_table_has_no_forms_and_no_details(world, lead):
    from django.template.loader import render_to_string

    given(world, persons(world, 12)[:7], "travel")
    html = render_to_string("research/_scorecard_table.html", {"view": _build(lead), "for_pdf": True})
    assert "<form" not in html and "<details" not in html and "<script" not in html
    assert "7 of 12" in html or "7 trên 12" in html


def test_the_xlsx_holds_the_values_as_shown_and_is_audited(world, lead):
    given(world, persons(world, 12)[:2], "travel")  # suppressed
    card = scorecard(lead)
    sc.rating_set(access=lead, scorecard=card, indicator="support.travel.received", rating="cannot_tell", note="N")
    content = sc.scorecard_xlsx(sc.build(card, lead.user), lead)
    rows = list(load_workbook(io.BytesIO(content)).active.iter_rows(values_only=True))
    travel = next(r for r in rows if r[2] == "support.travel.received")
    assert travel[7] is None and travel[8] is None and travel[14] == "N"
    assert AuditEvent.objects.filter(action="export", object_type="research_scorecard").exists()


# --- command line and API -------------------------------------------------------------------------------------


def test_the_cli_prints_the_scorecard_as_json_and_as_a_table(world, lead):
    given(world, persons(world, 12)[:7], "travel")
    card = scorecard(lead)
    out = io.StringIO()
    call_command("research", "scorecard", str(lead.study.pk), str(card.pk), "--as", "owner_cw", stdout=out)
    data = json.loads(out.getvalue())
    travel = next(i for i in data["indicators"] if i["code"] == "support.travel.received")
    assert (travel["figure"]["numerator"], travel["figure"]["denominator"]) == (7, 12)
    out = io.StringIO()
    call_command("research", "scorecard", str(lead.study.pk), str(card.pk), "--format", "table", "--as", "owner_cw",
                 stdout=out)
    assert "support.travel.received" in out.getvalue() and "7 of 12" in out.getvalue()


def test_the_cli_creates_lists_and_rates(world, lead):
    out = io.StringIO()
    call_command("research", "scorecard-new", str(lead.study.pk), "--title", "Toàn quốc", "--from", "2025-01-01",
                 "--to", "2025-12-31", "--as", "owner_cw", stdout=out)
    card = sc.Scorecard.objects.get()
    assert card.province is None and "created" in out.getvalue()
    call_command("research", "scorecard-rate", str(lead.study.pk), str(card.pk), "--indicator", "information.rule",
                 "--rating", "partly", "--note", "Ghi chú", "--as", "owner_cw", stdout=io.StringIO())
    out = io.StringIO()
    call_command("research", "scorecards", str(lead.study.pk), "--as", "owner_cw", stdout=out)
    assert json.loads(out.getvalue())[0]["id"] == card.pk
    assert ScorecardRating.objects.get().rating == "partly"


def test_the_cli_refuses_a_bad_indicator_clearly(world, lead):
    card = scorecard(lead)
    with pytest.raises(CommandError, match="indicator"):
        call_command("research", "scorecard-rate", str(lead.study.pk), str(card.pk), "--indicator", "nope",
                     "--rating", "met", "--as", "owner_cw")


def test_api_errors_have_the_standard_shape(world, lead, api):
    card = scorecard(lead)
    client = api(world.owner_caseworker)
    base = f"/api/research/studies/{lead.study.pk}/scorecards"
    bad = client.request("PUT", f"{base}/{card.pk}/ratings", {"indicator": "nope", "rating": "met"})
    assert bad.status_code == 400 and set(bad.json()) == {"detail", "code", "field"} and bad.json()["field"] == "indicator"
    invalid = client.request("PUT", f"{base}/{card.pk}/ratings", {"indicator": "information.rule", "rating": "great"})
    assert invalid.status_code == 422 and {"detail", "code"} <= set(invalid.json())
    period = client.request("POST", base, {"title": "X", "period_start": "2025-12-31", "period_end": "2025-01-01"})
    assert period.status_code == 400 and period.json()["field"] == "period_end"
    missing = client.request("GET", f"{base}/999999")
    assert missing.status_code == 404 and missing.json()["code"] == "not_found"


def test_the_api_returns_values_and_saves_ratings(world, lead, api):
    given(world, persons(world, 12)[:7], "travel")
    client = api(world.owner_caseworker)
    base = f"/api/research/studies/{lead.study.pk}/scorecards"
    created = client.request("POST", base, {"title": "Lào Cai", "period_start": "2025-01-01",
                                            "period_end": "2025-06-30", "province": "lao-cai"})
    assert created.status_code == 201 and created.json()["province"] == "lao-cai"
    card = created.json()["id"]
    rated = client.request("POST", f"{base}/{card}/ratings", {"indicator": "support.travel.received",
                                                              "rating": "partly", "note": "Thiếu"})
    assert rated.status_code == 200 and rated.json()["rating"] == "partly"
    detail = client.request("GET", f"{base}/{card}").json()
    travel = next(i for i in detail["indicators"] if i["code"] == "support.travel.received")
    assert travel["figure"]["numerator"] == 7 and travel["rating"] == "partly" and travel["note"] == "Thiếu"
    assert len(detail["indicators"]) == len(sc.INDICATORS)

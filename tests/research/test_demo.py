"""From a fresh demo: the Lào Cai study, with one victim's consent withdrawn and her material excluded."""

from __future__ import annotations

import io
import zipfile

import pytest
from django.db import transaction

from haven.accounts.models import User
from haven.core.demo.build import demo_load
from haven.research import refi, selectors
from haven.research.models import Study


@pytest.fixture(scope="module")
def demo(django_db_setup, django_db_blocker):  # noqa: ANN001, ANN201
    with django_db_blocker.unblock():
        with transaction.atomic():
            yield demo_load()
            transaction.set_rollback(True)


def _access(username: str):  # noqa: ANN202
    study = Study.objects.get(title="Đánh giá quyền của nạn nhân trở về tại Lào Cai")
    return selectors.access_study(User.objects.get(username=username), study.pk)


def test_the_demo_study_has_seven_participants_and_one_withdrawn(demo, db):
    access = _access("legalaid.worker")
    assert selectors.all_participants(access.study).count() == 7
    shown = [p.pseudonym for p in selectors.matrix(access).participants]
    assert len(shown) == 6 and "NN-03" not in shown


def test_the_demo_study_exports_a_valid_qdpx_without_the_withdrawn_victim(demo, db):
    access = _access("women.worker")
    with zipfile.ZipFile(io.BytesIO(refi.qdpx_bytes(access))) as archive:
        qde = archive.read("project.qde").decode("utf-8")
    refi.project_schema().validate(qde)
    assert "NN-01" in qde and "NN-03" not in qde and "đòi bồi thường" not in qde


def test_the_demo_study_is_invisible_to_the_statistician(demo, db):
    assert not selectors.studies_of(User.objects.get(username="health.statistician")).exists()


def test_the_demo_scorecard_of_lao_cai_has_the_evaluators_ratings_and_computed_values(demo, db):
    from haven.research import scorecard as sc

    access = _access("legalaid.worker")
    (card,) = sc.scorecards_of(access)
    assert card.province is not None and card.province.code == "lao-cai-2025"
    view = sc.build(card, access.user)
    values = {v.indicator.code: v for _r, _c, _t, vals in view.rows for v in vals}
    assert len(values) == len(sc.INDICATORS)
    assert values["information.rule"].rating == "not_met"
    assert "NN-02" in values["information.rule"].note
    assert {code for code, v in values.items() if v.rating} == {
        "information.rule", "support.travel.received", "protection.minors.safety", "compensation.awards.unpaid"}
    # The demo has a few dozen identified persons in Lào Cai: shares are computed, small ones suppressed.
    identified = [v.figure for v in values.values() if v.figure.denominator]
    assert identified, "no share was computed from the demo's records"


def test_the_demo_report_quotes_five_segments_and_leaves_out_the_withdrawn_victims(demo, db):
    from haven.research import report
    from haven.research import scorecard as sc

    access = _access("women.worker")
    assert report.quoted_segments(access).count() == 5  # six were chosen; NN-03 withdrew
    (card,) = sc.scorecards_of(access)
    options = report.report_options(access, language="en", scorecard_id=card.pk)
    _html, content = report.report_html(access, options)
    assert content.quotation_count == 5
    assert content.participants == 6

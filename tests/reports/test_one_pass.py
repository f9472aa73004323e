"""All the count tables come from one pass over the identified persons (`compute_many`): the same numbers
as each table asked for alone, and the edge cases of that pass (first referral, main exploitation type)."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from haven.cases.models import Case
from haven.referrals.models import Referral, ReferralStatus
from haven.reports import publication
from haven.reports.services import Request, statistics_run
from haven.reports.statistics import COUNT_TABLES, TABLES, Period, compute, compute_many

pytestmark = pytest.mark.django_db
YEAR = Period.year(2020)


def _totals(table):
    return {code: sum(row) for (code, _l), row in zip(table.rows.categories, table.cells, strict=True)}


def _refer(built, case, key, *, status=ReferralStatus.ACCEPTED, sent_at=None):
    referral = Referral.objects.create(case=case, from_agency=built.agencies["border"], to_agency=built.agencies[key],
                                       purpose="(tổng hợp)", status=status, due_on=dt.date(2020, 12, 31),
                                       sent_by=built.user)
    if sent_at is not None:
        Referral.objects.filter(pk=referral.pk).update(sent_at=sent_at)
    return referral


def test_every_table_at_once_equals_each_table_alone(figures2020):
    together = compute_many(list(TABLES), YEAR)
    assert [t.code for t in together] == list(TABLES)
    for table in together:
        alone = compute(table.code, YEAR)
        assert (table.cells, table.rows.categories, table.contributors) == (alone.cells, alone.rows.categories,
                                                                            alone.contributors)
    assert sum(sum(r) for r in together[COUNT_TABLES.index("sex_age")].cells) == 121


def test_a_subset_of_tables_comes_back_in_the_order_asked(figures2020):
    codes = ["services_sex", "year_sex", "referred_age"]
    assert [t.code for t in compute_many(codes, YEAR)] == codes
    with pytest.raises(KeyError):
        compute_many(["year_sex", "no_such_table"], YEAR)


def test_the_first_live_referral_decides_and_cancelled_or_later_ones_do_not(figures2020):
    before = _totals(compute("referred_age", YEAR))
    unreferred = figures2020.cases[-1]  # the last persons of the fixture are not referred
    assert not Referral.objects.filter(case=unreferred).exists()
    referred = Referral.objects.filter(to_agency=figures2020.agencies["police"]).first()
    first_sent = referred.sent_at
    # Before the police referral: a cancelled one to an NGO (ignored). After it: one to the Women's Union.
    _refer(figures2020, referred.case, "ngo", status=ReferralStatus.CANCELLED, sent_at=first_sent - dt.timedelta(days=9))
    _refer(figures2020, referred.case, "womens_union", sent_at=first_sent + dt.timedelta(days=3))
    # Sent in the same second as the police referral: the lower id (the police one) comes first.
    _refer(figures2020, referred.case, "social_protection", sent_at=first_sent)
    # A person never referred before gets only a cancelled referral: still "not referred".
    _refer(figures2020, unreferred, "ngo", status=ReferralStatus.CANCELLED)
    assert _totals(compute("referred_age", YEAR)) == before

    # Now a live referral for that person: counted under the NGO, no longer "not referred".
    _refer(figures2020, unreferred, "ngo", sent_at=timezone.now())
    after = _totals(compute("referred_age", YEAR))
    assert after["ngo"] == before["ngo"] + 1 and after["none"] == before["none"] - 1
    assert sum(after.values()) == 121


def test_a_case_without_a_recorded_exploitation_type_counts_as_not_known(figures2020):
    before = compute("identified_at_exploitation", YEAR)
    Case.objects.filter(pk=figures2020.cases[0].pk).update(exploitation_types=[])
    Case.objects.filter(pk=figures2020.cases[1].pk).update(exploitation_types=["not_a_listed_type", "begging"])
    after = compute("identified_at_exploitation", YEAR)
    unknown = [c for c, _l in after.cols.categories].index("unknown")
    assert sum(r[unknown] for r in after.cells) == sum(r[unknown] for r in before.cells) + 2
    assert after.total() == before.total() == 121


def test_a_public_run_of_every_table_publishes_what_each_table_alone_would(figures2020, world):
    request = Request(list(TABLES), YEAR, None, publication.THRESHOLD, 5, None)
    published = statistics_run(acting_user=world.statistician, request=request, channel="web")
    assert [p["code"] for p in published] == list(TABLES)
    for table in published:
        alone = publication.threshold(compute(table["code"], YEAR), YEAR, None, 5)
        assert table["rows"] == alone["rows"] and table["totals"] == alone["totals"]

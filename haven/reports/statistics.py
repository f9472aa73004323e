"""The annual statistics: fixed public categories, counted in the database (GROUP BY), exact.

Public API (kept small on purpose; haven.exchange may call it for large aggregate exports):

    TABLES                       the table codes, in display order
    Period(date_from, date_to)   inclusive dates of identification
    compute(code, period, province=None) -> Table     exact counts (no disclosure control!)
    compute_many(codes, period, province=None)        several tables; the count tables in one pass

The result is exact and must pass through `haven.reports.publication` before anyone without the
official permission sees it.

Who is counted: a person identified as a victim (category "victim", a date of identification) in the
period, once — at their first identification in the period — so that every person falls in exactly
one cell of each count table (this is what makes the margins add up, and what gives the
differentially private counts a sensitivity of 1). A case belongs to a province when its unit of
reception lies in it or in a province merged into it (2025 reform); without a unit, the owning
agency's jurisdiction decides.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from django.db import connection, transaction
from django.db.models import (
    BooleanField,
    CharField,
    Count,
    Exists,
    F,
    FilteredRelation,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Sum,
    Value,
    When,
)
from django.db.models import Case as When_
from django.db.models.fields.json import KT
from django.db.models.functions import ExtractMonth, ExtractYear
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from haven.accounts.models import AgencyKind
from haven.cases.models import Case, Category, Exploitation, IdentifiedAt, Sex
from haven.geo.models import AdminUnit
from haven.referrals.models import Referral, ReferralStatus
from haven.support.models import FundingKind, LedgerEntry, ShelterStay

UNKNOWN = "unknown"


@dataclass(frozen=True)
class Period:
    date_from: dt.date
    date_to: dt.date

    @classmethod
    def year(cls, year: int) -> Period:
        return cls(dt.date(year, 1, 1), dt.date(year, 12, 31))

    def years(self) -> list[int]:
        return list(range(self.date_from.year, self.date_to.year + 1))

    def label(self) -> str:
        if (self.date_from.month, self.date_from.day, self.date_to.month, self.date_to.day) == (1, 1, 12, 31):
            years = self.years()
            return str(years[0]) if len(years) == 1 else f"{years[0]}–{years[-1]}"
        return f"{self.date_from.isoformat()} – {self.date_to.isoformat()}"


@dataclass(frozen=True)
class Dimension:
    code: str
    title: Any
    categories: list[tuple[str, Any]]  # fixed public categories, "unknown" included where it can occur
    expression: Callable[[], Any] | None = None  # an annotation on the case queryset
    # How a value of the expression maps to a category code, where that is done in Python.
    decode: Callable[[Any], str] = str


@dataclass
class Table:
    code: str
    title: Any
    rows: Dimension
    cols: Dimension
    cells: list[list[int]]
    measure: str = "persons"  # or "dong"
    additive: bool = True  # False: a person may fall in several rows, so no totals are published
    # For sums of money: the distinct persons behind each cell, with margins (same shape as the table
    # with margins: the last row and column are the totals).
    contributors: list[list[int]] | None = None
    notes: list[Any] = field(default_factory=list)

    def row_totals(self) -> list[int]:
        return [sum(r) for r in self.cells]

    def col_totals(self) -> list[int]:
        return [sum(r[j] for r in self.cells) for j in range(len(self.cols.categories))]

    def total(self) -> int:
        return sum(self.row_totals())


def _case_when(pairs: list[tuple[Q, str]], default: str) -> Any:
    return When_(*[When(q, then=Value(v)) for q, v in pairs], default=Value(default), output_field=CharField())


def _sex() -> Any:
    return _case_when([(Q(person__sex=Sex.FEMALE), "female"), (Q(person__sex=Sex.MALE), "male"),
                       (Q(person__sex=Sex.OTHER), "other")], UNKNOWN)


def _age() -> Any:
    # Trafficking law: a child is under 18 (Law 66/2011 Art. 3; Law 53/2024). Age at reception first,
    # else the year of birth against the year of identification.
    return _case_when([
        (Q(age_at_reception__lt=18), "child"), (Q(age_at_reception__gte=18), "adult"),
        (Q(person__birth_year__isnull=True), UNKNOWN),
        (Q(person__birth_year__gt=ExtractYear("identified_on") - 18), "child"),
    ], "adult")


def _nationality() -> Any:
    return _case_when([(Q(person__nationality="VN"), "vn"), (Q(person__nationality__in=["", "XX", "unknown"]), UNKNOWN)],
                      "foreign")


def _ethnicity() -> Any:
    return _case_when([(Q(person__ethnicity="kinh"), "kinh"), (Q(person__ethnicity=UNKNOWN), UNKNOWN),
                       (Q(person__ethnicity="foreign"), "foreign")], "minority")


def _exploitation() -> Any:
    # The first type recorded is the main one; a person is counted once. The first type as text, mapped
    # to a category by `_exploitation_code`: a CASE would extract it from the JSON once per branch.
    return KT("exploitation_types__0")


_EXPLOITATION_CODES = frozenset(Exploitation.values)  # `.values` builds a new list on every access


def _exploitation_code(value: Any) -> str:
    return value if value in _EXPLOITATION_CODES else UNKNOWN


def _identified_at() -> Any:
    return _case_when([(Q(identified_at=value), value) for value in IdentifiedAt.values], UNKNOWN)


def _year() -> Any:
    return ExtractYear("identified_on")


REFERRAL_GROUPS: dict[str, str] = {
    AgencyKind.SOCIAL_PROTECTION: "social_protection", AgencyKind.SOCIAL_AFFAIRS: "social_protection",
    AgencyKind.POLICE: "police", AgencyKind.BORDER_GUARD: "police", AgencyKind.COAST_GUARD: "police",
    AgencyKind.NGO_SHELTER: "ngo", AgencyKind.WOMENS_UNION: "womens_union",
}


def _services() -> Any:
    return _case_when([(Q(has_service=True), "yes")], "no")


SEX = Dimension("sex", _("Sex"), [("female", _("Female")), ("male", _("Male")), ("other", _("Other")),
                                   (UNKNOWN, _("Not known"))], _sex)
AGE = Dimension("age", _("Child or adult"), [("child", _("Child (under 18)")), ("adult", _("Adult")),
                                              (UNKNOWN, _("Not known"))], _age)
NATIONALITY = Dimension("nationality", _("Nationality"), [("vn", _("Vietnamese")), ("foreign", _("Foreign")),
                                                           (UNKNOWN, _("Not known"))], _nationality)
ETHNICITY = Dimension("ethnicity", _("Ethnicity"), [("kinh", _("Kinh")), ("minority", _("Ethnic minority")),
                                                     ("foreign", _("Not Vietnamese")), (UNKNOWN, _("Not known"))],
                      _ethnicity)
EXPLOITATION = Dimension("exploitation", _("Main type of exploitation"),
                         [*Exploitation.choices, (UNKNOWN, _("Not known"))], _exploitation, _exploitation_code)
IDENTIFIED_AT = Dimension("identified_at", _("Where identified"), [*IdentifiedAt.choices, (UNKNOWN, _("Not known"))],
                          _identified_at)
REFERRED_TO = Dimension("referred_to", _("Kind of agency first referred to"), [
    ("social_protection", _("Social protection centre")), ("police", _("Police or border guard")),
    ("ngo", _("NGO")), ("womens_union", _("Women's Union")), ("other", _("Other agency")),
    ("none", _("Not referred")),
], lambda: F("first_referral__to_agency__kind"), lambda kind: _referral_group(kind))
SERVICES = Dimension("services", _("Received services"), [("yes", _("Received services")),
                                                          ("no", _("No service recorded"))], _services)
PERSONS = Dimension("persons", _("Persons"), [("persons", _("Persons"))], lambda: Value("persons"))
ITEM = Dimension("item", _("Support item"), [])
FUNDING = Dimension("funding", _("Funding source"), [*FundingKind.choices])


def _year_dimension(period: Period) -> Dimension:
    return Dimension("year", _("Year"), [(str(y), str(y)) for y in period.years()], _year)


def _month_dimension() -> Dimension:
    return Dimension("month", pgettext_lazy("calendar", "Month"), [(str(m), f"{m:02d}") for m in range(1, 13)],
                     lambda: ExtractMonth("identified_on"))


# --- which cases -----------------------------------------------------------------------------------


def province_units(province: AdminUnit) -> list[int]:
    """The province, the provinces merged into it, and every unit inside any of them."""
    ids, frontier = {province.pk}, [province.pk]
    while frontier:
        found = list(AdminUnit.objects.filter(Q(successor_id__in=frontier) | Q(parent_id__in=frontier))
                     .exclude(pk__in=ids).values_list("pk", flat=True))
        ids.update(found)
        frontier = found
    return sorted(ids)


def identified(period: Period, province: AdminUnit | None = None) -> QuerySet[Case]:
    """Each person identified as a victim in the period, once (at their first identification in it)."""
    cases = Case.objects.filter(category=Category.VICTIM, identified_on__gte=period.date_from,
                                identified_on__lte=period.date_to)
    if province is not None:
        units = province_units(province)
        cases = cases.filter(Q(reception_unit__in=units) | Q(reception_unit__isnull=True,
                                                            owner_agency__jurisdiction__in=units))
    earlier = Case.objects.filter(
        person=OuterRef("person"), category=Category.VICTIM, identified_on__gte=period.date_from,
    ).filter(Q(identified_on__lt=OuterRef("identified_on")) | Q(identified_on=OuterRef("identified_on"),
                                                                pk__lt=OuterRef("pk")))
    return cases.exclude(Exists(earlier))


def _referral_group(kind: str | None) -> str:
    return "none" if kind is None else REFERRAL_GROUPS.get(kind, "other")


def _with_first_referral(cases: QuerySet[Case]) -> QuerySet[Case]:
    """Join each case to its first referral (cancelled ones aside), if any, as `first_referral`.

    A join rather than a subquery per case: the first referrals are found once, by an anti-join over
    the referrals (none sent earlier for the same case; the same second: the lower id), which
    PostgreSQL runs in parallel with the rest of the query."""
    live = Referral.objects.exclude(status=ReferralStatus.CANCELLED)
    earlier = live.filter(case=OuterRef("case")).filter(
        Q(sent_at__lt=OuterRef("sent_at")) | Q(sent_at=OuterRef("sent_at"), pk__lt=OuterRef("pk")))
    firsts = live.exclude(Exists(earlier)).order_by().values("pk")
    return cases.annotate(first_referral=FilteredRelation("referrals", condition=Q(referrals__pk__in=Subquery(firsts))))


@dataclass
class _Cube:
    """Persons counted by every combination of the dimensions' categories that occurs."""

    dimensions: list[Dimension]
    counts: list[tuple[tuple[str, ...], int]]

    def table(self, rows: Dimension, cols: Dimension) -> list[list[int]]:
        from collections import Counter

        r, c = self.dimensions.index(rows), self.dimensions.index(cols)
        found: Counter[tuple[str, str]] = Counter()
        for combination, n in self.counts:
            found[(combination[r], combination[c])] += n
        return [[found.get((row, col), 0) for col, _l in cols.categories] for row, _l in rows.categories]


def _cube(cases: QuerySet[Case], dimensions: list[Dimension]) -> _Cube:
    """One GROUP BY over the identified persons on every dimension asked for at once: each person is
    read once for all the tables, which are then added up from these combinations in Python."""
    if REFERRED_TO in dimensions:
        cases = _with_first_referral(cases)
    if SERVICES in dimensions:
        cases = _with_services(cases)
    annotations: dict[str, Any] = {}
    for dimension in dimensions:
        assert dimension.expression is not None
        annotations["d_" + dimension.code] = dimension.expression()
    keys = list(annotations)
    found = cases.annotate(**annotations).order_by().values(*keys).annotate(n=Count("pk")).values_list(*keys, "n")
    decoders = [d.decode for d in dimensions]
    return _Cube(dimensions, [(tuple(decode(v) for decode, v in zip(decoders, values, strict=True)), n)
                              for *values, n in found])


def _with_services(cases: QuerySet[Case]) -> QuerySet[Case]:
    """Mark the cases with a support item given (not reversed) or a shelter stay. Uncorrelated `IN`
    lists, which the database hashes once, rather than two probes per case."""
    given = LedgerEntry.objects.filter(reverses__isnull=True, reversed_by__isnull=True).values("case_id")
    stayed = ShelterStay.objects.values("case_id")
    return cases.annotate(has_service=When_(When(Q(pk__in=given) | Q(pk__in=stayed), then=Value(True)),
                                            default=Value(False), output_field=BooleanField()))


# --- the tables ------------------------------------------------------------------------------------

TABLES: dict[str, Any] = {
    "year_sex": _("Identified persons by year and sex"),
    "sex_age": _("Identified persons by sex and age"),
    "month_age": _("Identified persons by month and age"),
    "nationality_sex": _("Identified persons by nationality and sex"),
    "ethnicity_sex": _("Identified persons by ethnicity and sex"),
    "identified_at_exploitation": _("Identified persons by where identified and main type of exploitation"),
    "referred_age": _("Identified persons by kind of agency first referred to and age"),
    "services_sex": _("Identified persons who received services, by sex"),
    "services_item": _("Identified persons by support item received"),
    "spending": _("Money spent by item and funding source (đồng)"),
}
# Tables where each person falls in exactly one cell: the ones differential privacy may release.
COUNT_TABLES = ("year_sex", "sex_age", "month_age", "nationality_sex", "ethnicity_sex", "identified_at_exploitation",
                "referred_age", "services_sex")


def _pairs(period: Period) -> dict[str, tuple[Dimension, Dimension]]:
    return {
        "year_sex": (_year_dimension(period), SEX), "sex_age": (SEX, AGE), "month_age": (_month_dimension(), AGE),
        "nationality_sex": (NATIONALITY, SEX), "ethnicity_sex": (ETHNICITY, SEX),
        "identified_at_exploitation": (IDENTIFIED_AT, EXPLOITATION),
    }


def _count_pairs(period: Period) -> dict[str, tuple[Dimension, Dimension]]:
    return {**_pairs(period), "referred_age": (REFERRED_TO, AGE), "services_sex": (SERVICES, SEX)}


def shape(code: str, period: Period) -> Table:
    """A count table's fixed categories, without counts (to lay out stored noisy cells)."""
    rows, cols = _count_pairs(period)[code]
    return Table(code, TABLES[code], rows, cols, [])


def compute(code: str, period: Period, province: AdminUnit | None = None) -> Table:
    """The exact table `code` for the period and province. Never show it without the official permission."""
    return compute_many([code], period, province)[0]


def compute_many(codes: list[str], period: Period, province: AdminUnit | None = None) -> list[Table]:
    """The exact tables `codes`, in that order. The count tables share one pass over the identified
    persons (`_cube`), so asking for all of them costs about as much as asking for one."""
    unknown = [code for code in codes if code not in TABLES]
    if unknown:
        raise KeyError(unknown[0])
    with transaction.atomic():
        _tune_session()
        return _compute_many(codes, period, province)


# Memory for each sort or hash of the statistics' query (PostgreSQL's default is 4 MB). Ten years at
# 1,000,000 cases hash 415,000 persons: with 4 MB the joins and the grouping spilled to disk (4.9 s),
# with 64 MB they stay in memory (2.6 s). A run is rare and made by few people; the worst case is a
# few of these per run, per parallel worker.
STATISTICS_WORK_MEM = "64MB"


def _tune_session() -> None:
    """Settings for this transaction only (SET LOCAL), on PostgreSQL.

    JIT off: the statistics' estimated costs are above `jit_optimize_above_cost`, and at 1,000,000
    cases compiling the plan took longer (5–9 s of CPU across the workers) than running it (under
    2 s). `work_mem`: see STATISTICS_WORK_MEM."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SET LOCAL jit = off")
            cursor.execute("SELECT set_config('work_mem', %s, true)", [STATISTICS_WORK_MEM])


def _compute_many(codes: list[str], period: Period, province: AdminUnit | None) -> list[Table]:
    cases = identified(period, province)
    pairs = _count_pairs(period)
    dimensions: list[Dimension] = []
    for code in codes:
        for dimension in pairs.get(code, ()):
            if dimension not in dimensions:
                dimensions.append(dimension)
    cube = _cube(cases, dimensions) if dimensions else _Cube([], [])
    tables = []
    for code in codes:
        if code in pairs:
            rows, cols = pairs[code]
            tables.append(Table(code, TABLES[code], rows, cols, cube.table(rows, cols)))
        elif code == "services_item":
            tables.append(_services_by_item(cases, period))
        else:
            tables.append(_spending(period, province))
    return tables


def _item_label(code: str) -> Any:
    from haven.entitlements.labels import item_label

    return item_label(code)


def _services_by_item(cases: QuerySet[Case], period: Period) -> Table:
    found = (LedgerEntry.objects.filter(case__in=cases.values("pk"), reverses__isnull=True, reversed_by__isnull=True)
             .order_by().values("item").annotate(n=Count("case__person", distinct=True)).values_list("item", "n"))
    counts = dict(found)
    items = sorted(counts)
    rows = Dimension(ITEM.code, ITEM.title, [(i, _item_label(i)) for i in items])
    return Table("services_item", TABLES["services_item"], rows, PERSONS, [[counts[i]] for i in items],
                 additive=False, notes=[_("A person who received several items is counted under each: the rows do not "
                                          "add up to a total, and none is published.")])


def _spending(period: Period, province: AdminUnit | None) -> Table:
    """Approved spending (reversals of approved entries included) by the date given or paid."""
    entries = LedgerEntry.objects.filter(provided_on__gte=period.date_from, provided_on__lte=period.date_to).filter(
        Q(approval__approved=True) | Q(reverses__approval__approved=True))
    if province is not None:
        units = province_units(province)
        entries = entries.filter(Q(case__reception_unit__in=units) | Q(case__reception_unit__isnull=True,
                                                                      case__owner_agency__jurisdiction__in=units))
    found = (entries.order_by().values("item", funding_kind=F("funding_source__kind"))
             .annotate(amount=Sum("amount"), people=Count("case__person", distinct=True))
             .values_list("item", "funding_kind", "amount", "people"))
    sums = {(i, k): (a, p) for i, k, a, p in found}
    items = sorted({i for i, _k in sums})
    rows = Dimension(ITEM.code, ITEM.title, [(i, _item_label(i)) for i in items])
    kinds = [k for k, _l in FUNDING.categories]
    cells = [[int(sums.get((i, k), (0, 0))[0]) for k in kinds] for i in items]
    people = [[sums.get((i, k), (0, 0))[1] for k in kinds] for i in items]
    by_item = dict(entries.order_by().values("item").annotate(p=Count("case__person", distinct=True)).values_list("item", "p"))
    by_kind = dict(entries.order_by().values(funding_kind=F("funding_source__kind"))
                   .annotate(p=Count("case__person", distinct=True)).values_list("funding_kind", "p"))
    people = [row + [by_item.get(i, 0)] for row, i in zip(people, items, strict=True)]
    people.append([by_kind.get(k, 0) for k in kinds] + [entries.values("case__person").distinct().count()])
    return Table("spending", TABLES["spending"], rows, FUNDING, cells, measure="dong", contributors=people,
                 notes=[_("Approved entries by the date given or paid; reversals included.")])

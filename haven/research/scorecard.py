"""The rights scorecard: rights and their criteria (rows) × the state's duties and indicator kinds (columns).

Contract used by the pages, the API, the CLI and the evaluation report (`haven.research.report`):

    INDICATORS                        the catalogue, in display order (rights → criteria → indicators)
    build(scorecard, user) -> ScorecardView
                                      every indicator computed from Haven's records for the scorecard's
                                      period and province, through the reports' disclosure control, with
                                      the evaluator's rating and note (the note is a sealed read: audited)

Values are never stored; only ratings and notes are (`ScorecardRating`).

Disclosure control (k = `haven.reports.publication.default_k()`): a share n of d is published only when no
small group can be learnt from it — not when d < k, nor when n or d − n is 1 to k − 1 (a small "yes" or a small
"no" both single people out). A breakdown by sex, child/adult or Kinh/minority is a table groups × (yes, no)
with margins through `core.disclosure.suppress_table` (threshold, then complements, then the attacker's linear
programme), so a hidden group cannot be recovered by subtracting the others from the total. When the table
would have to hide its own totals, which the headline already shows, the whole breakdown is withheld instead.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from haven.audit.models import AuditAction
from haven.cases import validation as v
from haven.core.disclosure import SHOWN, suppress_table
from haven.core.errors import HavenError, NotFound
from haven.geo.models import AdminUnit, UnitLevel
from haven.reports.statistics import identified
from haven.research import indicators as catalogue
from haven.research.models import Duty, IndicatorKind, Rating, Scorecard, ScorecardRating
from haven.research.selectors import StudyAccess, access_study, audit_reads
from haven.research.services import _audit


@dataclass(frozen=True)
class Indicator:
    code: str  # stable, e.g. "support.hardship.decided_in_time"
    right: str  # "protection" | "support" | "reception" | "compensation" | "information"
    criterion: str  # the criterion's code within the right, e.g. "hardship_allowance"
    duty: str  # Duty value
    kind: str  # IndicatorKind value
    title: Any  # lazy translated text
    citation: str = ""


@dataclass
class Figure:
    """One published number: a share (numerator of denominator), a count, or a structural answer."""

    numerator: int | None = None
    denominator: int | None = None
    display: str = ""  # what the page prints: "12 of 40 (30 %)", "suppressed", "Yes, amount not set"
    suppressed: bool = False
    reason: str = ""  # why suppressed / why no value (translated)
    confidence: str = ""  # structural: confirmed / reported / unverified


@dataclass
class IndicatorValue:
    indicator: Indicator
    figure: Figure
    data_note: str  # the data behind it, in words (translated)
    breakdowns: dict[str, list[tuple[str, Figure]]] = field(default_factory=dict)  # "sex" → [(label, figure)]
    rating: str = ""  # Rating value or ""
    rating_label: str = ""
    note: str = ""  # evaluator's note (decrypted; audited read)
    # Added for the pages: labels, and why a breakdown is not shown ("sex" → "too few people to show by sex").
    duty_label: str = ""
    kind_label: str = ""
    breakdown_titles: dict[str, str] = field(default_factory=dict)
    breakdown_notes: dict[str, str] = field(default_factory=dict)
    rated_by: str = ""
    rated_at: dt.datetime | None = None
    confidence_label: str = ""


@dataclass
class ScorecardView:
    scorecard: Scorecard
    period_label: str
    place_label: str
    k: int
    rows: list[tuple[str, str, str, list[IndicatorValue]]]  # (right, criterion code, criterion title, values)
    computed_at: dt.datetime | None = None
    right_titles: dict[str, str] = field(default_factory=dict)

    def values(self) -> list[IndicatorValue]:
        return [value for _r, _c, _t, values in self.rows for value in values]

    def by_right(self) -> list[tuple[str, str, list[tuple[str, str, dict[str, list[IndicatorValue]]]]]]:
        """For the table: right → criteria → the criterion's indicators by duty (respect, protect, fulfil)."""
        out: list[tuple[str, str, list[tuple[str, str, dict[str, list[IndicatorValue]]]]]] = []
        for right, code, title, values in self.rows:
            if not out or out[-1][0] != right:
                out.append((right, self.right_titles.get(right, right), []))
            duties: dict[str, list[IndicatorValue]] = {d: [] for d in Duty.values}
            for value in values:
                duties[value.indicator.duty].append(value)
            out[-1][2].append((code, title, duties))
        return out


INDICATORS: list[Indicator] = [
    Indicator(spec.code, spec.right, spec.criterion, spec.duty, spec.kind, spec.title, spec.citation)
    for spec, _compute in catalogue.SPECS
]
BY_CODE = {indicator.code: indicator for indicator in INDICATORS}
_SPECS = {spec.code: (spec, compute) for spec, compute in catalogue.SPECS}
MAX_NOTE = 5000


def _k() -> int:
    from haven.reports.publication import default_k

    return default_k()


# --- disclosure control --------------------------------------------------------------------------------------


def _percent(n: int, d: int) -> str:
    return f"{round(100 * n / d)}" if d else "0"


def share_figure(yes: int, total: int, k: int) -> Figure:
    """A share, or why it is not shown. See the module docstring for the rule."""
    if total == 0:
        return Figure(0, 0, gettext("No records"), reason=gettext("Nobody to count in the period and place."))
    if total < k or 0 < yes < k or 0 < total - yes < k:
        return Figure(None, None, gettext("Suppressed"), suppressed=True,
                      reason=gettext("Not shown: fewer than %(k)s people on one side could be singled out.") % {"k": k})
    return Figure(yes, total, gettext("%(n)s of %(d)s (%(pct)s %%)") % {"n": yes, "d": total, "pct": _percent(yes, total)})


def breakdowns(tally: catalogue.Tally, headline: Figure, k: int) -> tuple[dict[str, list[tuple[str, Figure]]],
                                                                           dict[str, str]]:
    """Each dimension as a groups × (yes, no) table with margins, through `suppress_table`."""
    shown: dict[str, list[tuple[str, Figure]]] = {}
    notes: dict[str, str] = {}
    for index, (dim, title, groups) in enumerate(catalogue.DIMENSIONS):
        too_few = gettext("Too few people to show by %(dimension)s.") % {"dimension": str(title).lower()}
        if not headline.suppressed and not headline.denominator:
            continue  # nobody to count: nothing to break down
        if headline.suppressed:
            notes[dim] = too_few
            continue
        by = tally.by(index)
        cells = [list(by.get(code, [0, 0])) for code, _label in groups]
        table = suppress_table(cells, k)
        status, values = table.status, table.values
        bottom = len(groups)
        if any(s != SHOWN for s in status[bottom]):  # the totals the headline shows would be hidden
            notes[dim] = too_few
            continue
        figures: list[tuple[str, Figure]] = []
        for i, (_code, label) in enumerate(groups):
            yes, total = values[i][0], values[i][2]
            if total == 0:
                continue
            if status[i][0] != SHOWN or status[i][1] != SHOWN or status[i][2] != SHOWN:
                figures.append((str(label), Figure(None, None, gettext("Suppressed"), suppressed=True,
                                                   reason=gettext("Not shown: a small group."))))
            else:
                figures.append((str(label), Figure(yes, total, gettext("%(n)s of %(d)s (%(pct)s %%)") % {
                    "n": yes, "d": total, "pct": _percent(yes, total)})))
        if not figures or all(f.suppressed for _l, f in figures):
            notes[dim] = too_few
            continue
        shown[dim] = figures
    return shown, notes


# --- computing a scorecard -----------------------------------------------------------------------------------


def place_label(scorecard: Scorecard) -> str:
    return scorecard.province.name if scorecard.province is not None else gettext("Whole country")


def period_label(scorecard: Scorecard) -> str:
    return f"{scorecard.period_start.isoformat()} – {scorecard.period_end.isoformat()}"


def _context(scorecard: Scorecard) -> catalogue.Context:
    period = catalogue.Period(scorecard.period_start, scorecard.period_end)
    province = scorecard.province if scorecard.province_id else None
    return catalogue.Context(period, province, timezone.localdate(), identified(period, province))


def _value(indicator: Indicator, ctx: catalogue.Context, k: int, place: str) -> IndicatorValue:
    spec, compute = _SPECS[indicator.code]
    raw = compute(ctx)
    labels = {"duty_label": str(Duty(indicator.duty).label), "kind_label": str(IndicatorKind(indicator.kind).label),
              "breakdown_titles": {dim: str(title) for dim, title, _g_ in catalogue.DIMENSIONS}}
    if isinstance(raw, catalogue.Structural):
        figure = Figure(display=raw.display, confidence=raw.confidence,
                        reason="" if raw.rule_exists else gettext("No rule"))
        labels["confidence_label"] = _confidence_label(raw.confidence)
        note = gettext("The rule in force in the period, from Haven's dated legal data; citation: %(citation)s.") % {
            "citation": raw.citation or indicator.citation or "—"}
        return IndicatorValue(indicator, figure, note, **labels)  # type: ignore[arg-type]
    yes, total = raw.total()
    headline = share_figure(yes, total, k)
    shown, notes = breakdowns(raw, headline, k)
    note = gettext("Unit: %(unit)s of persons identified as victims from %(start)s to %(end)s (%(place)s), whenever "
              "recorded. Shares are shown only when no group smaller than %(k)s can be singled out.") % {
        "unit": spec.unit, "start": ctx.period.date_from.isoformat(), "end": ctx.period.date_to.isoformat(),
        "place": place, "k": k}
    if raw.note:
        note += " " + str(raw.note)
    return IndicatorValue(indicator, headline, note, shown, breakdown_notes=notes, **labels)  # type: ignore[arg-type]


def _confidence_label(value: str) -> str:
    from haven.entitlements.models import Confidence

    return str(Confidence(value).label) if value in Confidence.values else value


def _check_member(scorecard: Scorecard, user: Any) -> StudyAccess:
    return access_study(user, scorecard.study_id)


def build(scorecard: Scorecard, user: Any, *, channel: str = "web") -> ScorecardView:
    """Every indicator of the catalogue for the scorecard, with ratings; the notes shown are audited reads.
    A fixed number of queries: one or two per indicator, the batch engine once per identification date."""
    access = _check_member(scorecard, user)
    ctx = _context(scorecard)
    k = _k()
    place = place_label(scorecard)
    ratings = {r.indicator: r for r in ScorecardRating.objects.filter(scorecard=scorecard).select_related("rated_by")}
    rows: list[tuple[str, str, str, list[IndicatorValue]]] = []
    for indicator in INDICATORS:
        value = _value(indicator, ctx, k, place)
        rating = ratings.get(indicator.code)
        if rating is not None:
            value.rating, value.rating_label, value.note = rating.rating, str(Rating(rating.rating).label), rating.note
            value.rated_by, value.rated_at = rating.rated_by.username, rating.rated_at
        key = (indicator.right, indicator.criterion)
        if not rows or (rows[-1][0], rows[-1][1]) != key:
            rows.append((indicator.right, indicator.criterion, str(catalogue.CRITERIA[indicator.criterion]), []))
        rows[-1][3].append(value)
    audit_reads(access, [("research_scorecard_rating", r.pk, ["note"]) for r in ratings.values() if r.note], channel)
    return ScorecardView(scorecard, period_label(scorecard), place, k, rows, timezone.now(),
                         {code: str(title) for code, title in catalogue.RIGHTS.items()})


# --- reading and writing scorecards and ratings --------------------------------------------------------------


def scorecards_of(access: StudyAccess) -> list[Scorecard]:
    return list(Scorecard.objects.filter(study=access.study).select_related("province", "created_by"))


def scorecard_of(access: StudyAccess, scorecard_id: int) -> Scorecard:
    found = Scorecard.objects.filter(study=access.study, pk=scorecard_id).select_related("province", "study").first()
    if found is None:
        raise NotFound()
    return found


def provinces(on: dt.date | None = None) -> list[AdminUnit]:
    """The provinces to choose from: those valid on the day (today), merged ones included through their successor."""
    return list(AdminUnit.objects.filter(level=UnitLevel.PROVINCE).valid_on(on or timezone.localdate())
                .order_by("name_ascii"))


def _province(value: Any) -> AdminUnit | None:
    if value in (None, "", "national"):
        return None
    text = str(value).strip()
    query = AdminUnit.objects.filter(level=UnitLevel.PROVINCE)
    found = query.filter(pk=int(text)).first() if text.isdigit() and len(text) < 18 else query.filter(code=text).first()
    if found is None:
        raise HavenError(_("Choose a province, or the whole country."), field="province")
    return found


@transaction.atomic
def scorecard_create(*, access: StudyAccess, title: str, period_start: Any, period_end: Any, province: Any = None,
                     channel: str = "web") -> Scorecard:
    """A new scorecard of the study for a period and a province (None: the whole country). Any member may."""
    title = v.text(title, "title", required=True, max_length=200)
    start = v.required_date(period_start, "period_start", not_future=False)
    end = v.required_date(period_end, "period_end", not_future=False)
    if end < start:
        raise HavenError(_("The period ends before it starts."), field="period_end")
    if start < dt.date(2012, 1, 1):
        raise HavenError(_("Haven encodes the rules from 2012 on: choose a later start."), field="period_start")
    unit = _province(province)
    scorecard = Scorecard.objects.create(study=access.study, title=title, period_start=start, period_end=end,
                                         province=unit, created_by=access.user)
    _audit(access.user, AuditAction.CREATE, "research_scorecard", scorecard.pk,
           {"study": access.study.pk, "period_start": start.isoformat(), "period_end": end.isoformat(),
            "province": unit.code if unit else None}, channel=channel)
    return scorecard


@transaction.atomic
def rating_set(*, access: StudyAccess, scorecard: Scorecard, indicator: str, rating: str, note: str = "",
               channel: str = "web") -> ScorecardRating:
    """Rate an indicator (met, partly, not met, cannot tell) with a sealed note. Any member may; a change is
    audited with the old and new rating and whether the note changed — never the note's text."""
    if scorecard.study_id != access.study.pk:
        raise NotFound()
    if indicator not in BY_CODE:
        raise HavenError(_("There is no such indicator on the scorecard."), field="indicator")
    rating = v.choice(rating, "rating", Rating.values)
    note = v.text(note, "note", max_length=MAX_NOTE)
    existing = ScorecardRating.objects.select_for_update().filter(scorecard=scorecard, indicator=indicator).first()
    old_rating = existing.rating if existing else None
    note_changed = (existing.note if existing else "") != note
    if existing is None:
        existing = ScorecardRating(scorecard=scorecard, indicator=indicator)
    existing.rating, existing.note, existing.rated_by = rating, note, access.user
    existing.save()
    _audit(access.user, AuditAction.UPDATE if old_rating else AuditAction.CREATE, "research_scorecard_rating",
           existing.pk, {"study": access.study.pk, "scorecard": scorecard.pk, "indicator": indicator,
                         "old": old_rating, "new": rating, "note_changed": note_changed},
           fields=["note"] if note_changed else [], channel=channel)
    return existing


# --- the XLSX download ---------------------------------------------------------------------------------------


def _safe(value: Any) -> Any:
    if isinstance(value, str) and value[:1] in ("=", "+", "-", "@"):
        return "'" + value
    return value


def scorecard_xlsx(view: ScorecardView, access: StudyAccess, *, channel: str = "web") -> bytes:
    """The scorecard as shown (after suppression) with ratings and notes. An audited export."""
    import io

    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font

    book = Workbook()
    sheet = book.active
    sheet.title = gettext("Scorecard")[:31]
    sheet.append([view.scorecard.title, view.period_label, view.place_label, f"k = {view.k}"])
    header = [gettext("Right"), gettext("Criterion"), gettext("Indicator code"), gettext("Indicator"), gettext("Duty"), gettext("Kind"),
              gettext("Value"), gettext("Numerator"), gettext("Denominator"), gettext("Confidence"), gettext("Why not shown"), gettext("Data"),
              gettext("Breakdowns"), gettext("Rating"), gettext("Evaluator's note")]
    sheet.append(header)
    for cell in sheet[2]:
        cell.font = Font(bold=True)
    for right, _code, criterion, values in view.rows:
        for value in values:
            parts = [f"{value.breakdown_titles.get(d, d)}: " + "; ".join(f"{label} {f.display}" for label, f in figs)
                     for d, figs in value.breakdowns.items()] + list(value.breakdown_notes.values())
            sheet.append([_safe(view.right_titles.get(right, right)), _safe(criterion), value.indicator.code,
                          _safe(str(value.indicator.title)), value.duty_label, value.kind_label,
                          _safe(value.figure.display), value.figure.numerator, value.figure.denominator,
                          value.figure.confidence, _safe(value.figure.reason), _safe(value.data_note),
                          _safe(" | ".join(parts)), value.rating_label, _safe(value.note)])
    for row in sheet.iter_rows(min_row=3):
        for cell in row:
            cell.alignment = Alignment(wrap_text=True, vertical="top")
    buffer = io.BytesIO()
    book.save(buffer)
    _audit(access.user, AuditAction.EXPORT, "research_scorecard", view.scorecard.pk,
           {"study": access.study.pk, "format": "xlsx"}, fields=["note"], channel=channel)
    return buffer.getvalue()

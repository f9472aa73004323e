"""`haven research` subcommands of the scorecard; wired in by the research command.

    haven research scorecards STUDY --as USER
    haven research scorecard-new STUDY --title T --from 2025-01-01 --to 2025-12-31 [--province CODE] --as USER
    haven research scorecard STUDY SCORECARD [--format json|table] --as USER
    haven research scorecard-rate STUDY SCORECARD --indicator CODE --rating met|partly|not_met|cannot_tell
                                  [--note TEXT] --as USER

Values are shown after disclosure control, exactly as on the page; notes printed are audited reads.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

from haven.accounts.cli import CHANNEL
from haven.research import scorecard as sc
from haven.research.models import Rating
from haven.research.selectors import access_study


def _scorecards(command: Any, user: Any, options: dict[str, Any]) -> None:
    from haven.research.scorecard_api import scorecard_out

    access = access_study(user, options["study_id"])
    rows = [scorecard_out(c) for c in sc.scorecards_of(access)]
    command.stdout.write(json.dumps(rows, ensure_ascii=False, indent=2, default=str))


def _scorecard_new(command: Any, user: Any, options: dict[str, Any]) -> None:
    access = access_study(user, options["study_id"])
    card = sc.scorecard_create(access=access, title=options["title"], period_start=options["period_start"],
                               period_end=options["period_end"], province=options.get("province"), channel=CHANNEL)
    command.stdout.write(f"scorecard {card.pk} created: {card.title} ({sc.period_label(card)}, {sc.place_label(card)})")


def _table(view: sc.ScorecardView) -> str:
    lines = [f"{view.scorecard.title} · {view.period_label} · {view.place_label} · k = {view.k}"]
    for right, _code, criterion, values in view.rows:
        lines.append(f"\n[{view.right_titles.get(right, right)}] {criterion}")
        for value in values:
            rating = f" [{value.rating}]" if value.rating else ""
            lines.append(f"  {value.indicator.code:<42} {value.indicator.duty:<8} {value.indicator.kind:<10} "
                         f"{value.figure.display}{rating}")
            for dim, figures in value.breakdowns.items():
                lines.append("      " + f"{dim}: " + "; ".join(f"{label} {f.display}" for label, f in figures))
            if value.note:
                lines.append(f"      note: {value.note}")
    return "\n".join(lines)


def _scorecard(command: Any, user: Any, options: dict[str, Any]) -> None:
    from haven.research.scorecard_api import view_out

    access = access_study(user, options["study_id"])
    view = sc.build(sc.scorecard_of(access, options["scorecard_id"]), user, channel=CHANNEL)
    if options.get("format") == "table":
        command.stdout.write(_table(view))
    else:
        command.stdout.write(json.dumps(view_out(view), ensure_ascii=False, indent=2, default=str))


def _scorecard_rate(command: Any, user: Any, options: dict[str, Any]) -> None:
    access = access_study(user, options["study_id"])
    card = sc.scorecard_of(access, options["scorecard_id"])
    rating = sc.rating_set(access=access, scorecard=card, indicator=options["indicator"], rating=options["rating"],
                           note=options.get("note") or "", channel=CHANNEL)
    command.stdout.write(f"{rating.indicator}: {rating.rating}")


# name → handler(command, user, options); add_arguments(sub) adds their parsers.
HANDLERS: dict[str, Callable[[Any, Any, dict[str, Any]], None]] = {
    "scorecards": _scorecards, "scorecard-new": _scorecard_new, "scorecard": _scorecard,
    "scorecard-rate": _scorecard_rate,
}


def add_arguments(sub: Any) -> None:
    listing = sub.add_parser("scorecards", help="The study's rights scorecards.")
    listing.add_argument("study_id", type=int)
    listing.add_argument("--as", dest="as_user", required=True, metavar="USERNAME")
    new = sub.add_parser("scorecard-new", help="Create a rights scorecard for a period and a province or the country.")
    new.add_argument("study_id", type=int)
    new.add_argument("--title", required=True)
    new.add_argument("--from", dest="period_start", required=True, metavar="YYYY-MM-DD")
    new.add_argument("--to", dest="period_end", required=True, metavar="YYYY-MM-DD")
    new.add_argument("--province", default=None, metavar="CODE", help="a province code; omit for the whole country")
    new.add_argument("--as", dest="as_user", required=True, metavar="USERNAME")
    show = sub.add_parser("scorecard", help="A scorecard with every indicator (after disclosure control).")
    show.add_argument("study_id", type=int)
    show.add_argument("scorecard_id", type=int)
    show.add_argument("--format", choices=["json", "table"], default="json")
    show.add_argument("--as", dest="as_user", required=True, metavar="USERNAME")
    rate = sub.add_parser("scorecard-rate", help="Rate an indicator, with a note (sealed; the change is audited).")
    rate.add_argument("study_id", type=int)
    rate.add_argument("scorecard_id", type=int)
    rate.add_argument("--indicator", required=True)
    rate.add_argument("--rating", required=True, choices=Rating.values)
    rate.add_argument("--note", default="")
    rate.add_argument("--as", dest="as_user", required=True, metavar="USERNAME")

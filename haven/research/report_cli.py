"""`haven research report|quote`: the evaluation report as a PDF file, and choosing a segment as a quotation.

    haven research report STUDY_ID --out PATH [--lang vi|en] [--scorecard ID] [--theme ID ...] [--no-quotations] --as USER
    haven research quote STUDY_ID SEGMENT_ID [--remove] --as USER

The research command opens nothing itself: each handler opens the study as the acting user (a non-member gets
"no study that … may see") and the services' refusals become command errors.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path
from typing import Any

from django.core.management.base import CommandError

from haven.accounts.cli import CHANNEL
from haven.core.errors import NotFound
from haven.research import report, selectors


def _report(command: Any, user: Any, options: dict[str, Any]) -> None:
    access = selectors.access_study(user, options["study_id"])
    chosen = report.report_options(access, language=options["lang"], scorecard_id=options["scorecard"],
                                   theme_ids=options["theme"] or [], quotations=not options["no_quotations"])
    content = report.report_pdf(access, chosen, channel=CHANNEL)
    path = Path(options["out"])
    try:
        # Created with mode 600 from the start: the report holds what people said.
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        with os.fdopen(fd, "wb") as handle:
            handle.write(content)
        path.chmod(0o600)
    except OSError as exc:
        raise CommandError(f"cannot write {path}: {exc.strerror}") from None
    command.stdout.write(f"wrote {path} ({len(content)} bytes)")


def _quote(command: Any, user: Any, options: dict[str, Any]) -> None:
    access = selectors.access_study(user, options["study_id"])
    quoted = not options["remove"]
    try:
        segment = report.segment_quote_set(access=access, segment_id=options["segment_id"], quoted=quoted,
                                           channel=CHANNEL)
    except NotFound:
        raise CommandError(f"no coded segment {options['segment_id']} of a participant in analysis in this study") from None
    state = "quoted in the report" if quoted else "no longer quoted in the report"
    command.stdout.write(f"segment {segment.pk} {state}")


# name → handler(command, user, options); add_arguments(sub) adds their parsers.
HANDLERS: dict[str, Callable[[Any, Any, dict[str, Any]], None]] = {"report": _report, "quote": _quote}


def add_arguments(sub: Any) -> None:
    make = sub.add_parser("report", help="Write the evaluation report (PDF, pseudonymised; an audited export).")
    make.add_argument("study_id", type=int)
    make.add_argument("--out", required=True, metavar="PATH")
    make.add_argument("--lang", choices=report.LANGUAGES, default="vi")
    make.add_argument("--scorecard", type=int, metavar="ID", help="A scorecard of the study (none if absent)")
    make.add_argument("--theme", type=int, nargs="+", metavar="ID", help="Matrix columns (every theme if absent)")
    make.add_argument("--no-quotations", action="store_true", help="Leave the chosen quotations out")
    make.add_argument("--as", dest="as_user", required=True, metavar="USERNAME")
    quote = sub.add_parser("quote", help="Quote a coded segment in the evaluation report (or --remove it).")
    quote.add_argument("study_id", type=int)
    quote.add_argument("segment_id", type=int)
    quote.add_argument("--remove", action="store_true")
    quote.add_argument("--as", dest="as_user", required=True, metavar="USERNAME")

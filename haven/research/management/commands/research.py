"""haven research studies|matrix|export-qdpx|import-qdc, acting as a named member of the study (--as)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser, no_translations

from haven.accounts.cli import CHANNEL, cli_error, cli_user
from haven.core.errors import HavenError, NotFound
from haven.research import refi, report_cli, scorecard_cli, selectors


class Command(BaseCommand):
    help = "Research studies: list mine, print the framework matrix, export a .qdpx, import a .qdc codebook."

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        studies = sub.add_parser("studies", help="The studies you are a member of.")
        studies.add_argument("--as", dest="as_user", required=True, metavar="USERNAME")
        matrix = sub.add_parser("matrix", help="The framework matrix as JSON (summaries are audited reads).")
        matrix.add_argument("study_id", type=int)
        matrix.add_argument("--as", dest="as_user", required=True, metavar="USERNAME")
        export = sub.add_parser("export-qdpx", help="Write the study as a REFI-QDA project (.qdpx).")
        export.add_argument("study_id", type=int)
        export.add_argument("--out", required=True, metavar="PATH")
        export.add_argument("--as", dest="as_user", required=True, metavar="USERNAME")
        imp = sub.add_parser("import-qdc", help="Import a REFI-QDA codebook (.qdc) into the study's codebook.")
        imp.add_argument("study_id", type=int)
        imp.add_argument("path")
        imp.add_argument("--as", dest="as_user", required=True, metavar="USERNAME")
        scorecard_cli.add_arguments(sub)
        report_cli.add_arguments(sub)

    @no_translations  # messages in English, whatever the deployment's default language
    def handle(self, *args: Any, **options: Any) -> None:
        user = cli_user(options["as_user"])
        try:
            handler = {**scorecard_cli.HANDLERS, **report_cli.HANDLERS}.get(options["action"])
            if handler is not None:
                handler(self, user, options)
            else:
                getattr(self, "_" + options["action"].replace("-", "_"))(user, options)
        except NotFound:
            raise CommandError(f"no study that {user.username} may see") from None
        except HavenError as exc:
            raise cli_error(exc) from exc

    def _studies(self, user: Any, options: dict[str, Any]) -> None:
        rows = [{"id": s.pk, "title": s.title, "period_start": s.period_start.isoformat(),
                 "period_end": s.period_end.isoformat()} for s in selectors.studies_of(user)]
        self.stdout.write(json.dumps(rows, ensure_ascii=False, indent=2))

    def _matrix(self, user: Any, options: dict[str, Any]) -> None:
        access = selectors.access_study(user, options["study_id"])
        view = selectors.matrix(access, channel=CHANNEL)
        out = {"themes": [{"id": t.pk, "name": t.name, "depth": d} for t, d in view.themes],
               "rows": [{"pseudonym": p.pseudonym, "kind": p.kind,
                         "cells": {str(t.pk): view.cells[(p.pk, t.pk)].summary
                                   for t, _d in view.themes if (p.pk, t.pk) in view.cells}}
                        for p in view.participants]}
        self.stdout.write(json.dumps(out, ensure_ascii=False, indent=2))

    def _export_qdpx(self, user: Any, options: dict[str, Any]) -> None:
        access = selectors.access_study(user, options["study_id"])
        content = refi.qdpx_bytes(access, channel=CHANNEL)
        path = Path(options["out"])
        try:
            path.write_bytes(content)
            path.chmod(0o600)
        except OSError as exc:
            raise CommandError(f"cannot write {path}: {exc.strerror}") from None
        self.stdout.write(f"wrote {path} ({len(content)} bytes)")

    def _import_qdc(self, user: Any, options: dict[str, Any]) -> None:
        access = selectors.access_study(user, options["study_id"])
        try:
            data = Path(options["path"]).read_bytes()
        except OSError as exc:
            raise CommandError(f"cannot read {options['path']}: {exc.strerror}") from None
        added = refi.codebook_import(access=access, data=data, channel=CHANNEL)
        self.stdout.write(f"{added} themes added")

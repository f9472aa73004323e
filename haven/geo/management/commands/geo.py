"""`haven geo load [--dir DIR]`: load the administrative units from the dated YAML files."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser, no_translations

from haven.geo.loader import DATA_DIR, GeoDataError, geo_load


class Command(BaseCommand):
    help = "Administrative units (province, district, commune) with validity dates."

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True, metavar="load")
        load = sub.add_parser("load", help="Create or update units from haven/geo/data/*.yaml (idempotent).")
        load.add_argument("--dir", default=str(DATA_DIR), help="Directory of *.yaml unit files.")

    @no_translations  # messages in English, whatever the deployment's default language
    def handle(self, *args: Any, **options: Any) -> None:
        directory = Path(options["dir"])
        if not directory.is_dir():
            raise CommandError(f"{directory} is not a directory")
        try:
            result = geo_load(directory)
        except GeoDataError as exc:
            raise CommandError(f"the unit files are not valid: {exc}") from exc
        self.stdout.write(
            f"Administrative units: {result.created} created, {result.updated} updated, "
            f"{result.unchanged} unchanged ({result.total} in {directory})."
        )

"""haven keys init | status | rotate | retire KEY_ID"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser

from haven.core import crypto
from haven.core.keys import key_usage, keys_retire, keys_rotate


class Command(BaseCommand):
    help = "Manage the encryption keys of identity data (see docs/security.md)."

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        init = sub.add_parser("init", help="Create a new key file.")
        init.add_argument("--if-missing", action="store_true", help="Do nothing if the key file exists.")
        init.add_argument("--path", help="Where to write the key file (default: HAVEN_KEY_FILE).")
        sub.add_parser("status", help="Show the active key and how many values each key seals.")
        sub.add_parser("rotate", help="Add a new key, make it active, re-encrypt every value.")
        retire = sub.add_parser("retire", help="Remove a key that no longer seals any value.")
        retire.add_argument("key_id")

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            getattr(self, f"_{options['action']}")(options)
        except (crypto.KeyError_, OSError, ValueError) as exc:
            raise CommandError(str(exc)) from exc

    def _init(self, options: dict) -> None:
        path = Path(options["path"] or settings.HAVEN_KEY_FILE)
        if path.exists():
            if options["if_missing"]:
                self.stdout.write(f"Key file already exists: {path}")
                return
            raise CommandError(f"{path} exists; refusing to overwrite keys (that would lose all data)")
        crypto.write_keyring_document(crypto.new_keyring_document(), path)
        self.stdout.write(self.style.SUCCESS(f"Created key file {path} (mode 600). Back it up apart from the database."))

    def _status(self, options: dict) -> None:
        ring = crypto.keyring()
        usage = key_usage()
        self.stdout.write(f"active key: {ring.active}")
        for kid in sorted(ring.keys):
            self.stdout.write(f"  {kid}: {usage.get(kid, 0)} values")
        unknown = set(usage) - set(ring.keys)
        if unknown:
            raise CommandError(f"values are sealed with keys missing from the keyring: {', '.join(sorted(unknown))}")

    def _rotate(self, options: dict) -> None:
        result = keys_rotate()
        self.stdout.write(self.style.SUCCESS(
            f"Rotated to key {result.new_key_id}: re-encrypted {result.values} values in {result.rows} rows."
        ))

    def _retire(self, options: dict) -> None:
        keys_retire(options["key_id"])
        self.stdout.write(self.style.SUCCESS(f"Retired key {options['key_id']}."))

"""CLI tests build many users through the factories: hash their passwords quickly.

Argon2 is slow on purpose (about half a second per password on a busy machine); the tests of
password handling live in tests/core and keep it. Argon2 stays in the list so that existing
hashes (the demo's) still verify.
"""

from __future__ import annotations




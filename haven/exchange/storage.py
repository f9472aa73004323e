"""Job files on disk (uploaded imports, export results), sealed with the server's active key.

Files live in `<HAVEN_VAR_DIR>/jobs/` (directory mode 0700, files 0600) as `hvf1:<key id>\n` followed by
nonce and AES-GCM ciphertext; the job's id is bound in as associated data, so a file copied onto another
job fails to open. Results are deleted `HAVEN_JOB_RESULT_DAYS` days after they were made (default 7).
"""

from __future__ import annotations

import os
import secrets
from pathlib import Path

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from django.conf import settings

from haven.core import crypto

_MAGIC = b"hvf1:"


def jobs_dir() -> Path:
    path = Path(settings.VAR_DIR) / "jobs"
    path.mkdir(parents=True, exist_ok=True)
    path.chmod(0o700)
    return path


def result_days() -> int:
    return int(getattr(settings, "HAVEN_JOB_RESULT_DAYS", os.environ.get("HAVEN_JOB_RESULT_DAYS", "7")))


def seal_file(data: bytes, *, context: str) -> str:
    """Write `data` sealed; return the file's name inside the jobs directory."""
    ring = crypto.keyring()
    nonce = secrets.token_bytes(12)
    sealed = AESGCM(ring.key(ring.active)).encrypt(nonce, data, context.encode())
    name = secrets.token_hex(16) + ".sealed"
    path = jobs_dir() / name
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "wb") as out:
        out.write(_MAGIC + ring.active.encode() + b"\n" + nonce + sealed)
    return name


def open_file(name: str, *, context: str) -> bytes:
    raw = (jobs_dir() / Path(name).name).read_bytes()
    if not raw.startswith(_MAGIC):
        raise crypto.DecryptionError("not a sealed Haven job file")
    header, _, body = raw.partition(b"\n")
    key_id = header[len(_MAGIC):].decode()
    try:
        return AESGCM(crypto.keyring().key(key_id)).decrypt(body[:12], body[12:], context.encode())
    except InvalidTag as exc:
        raise crypto.DecryptionError("job file failed authentication") from exc


def delete_file(name: str) -> None:
    if name:
        (jobs_dir() / Path(name).name).unlink(missing_ok=True)

"""Encryption at rest of identity fields, and keyed blind indexes for exact lookup.

Values are sealed with AES-256-GCM. The stored text is ``hv1:<key id>:<base64(nonce | ciphertext)>``
so every value names the key that sealed it and keys can be rotated. The field's name is bound in
as associated data, so a value copied into another column fails authentication instead of showing.
Blind indexes are HMAC-SHA256 under a separate index key; they allow equality lookup only.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import os
import secrets
from dataclasses import dataclass
from pathlib import Path

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from django.conf import settings

PREFIX = "hv1"


class KeyError_(Exception):
    """A key is missing, malformed or wrong: never fall back to showing ciphertext."""


class DecryptionError(KeyError_):
    pass


@dataclass(frozen=True)
class Keyring:
    active: str
    keys: dict[str, bytes]
    index_key: bytes
    audit_key: bytes

    def key(self, key_id: str) -> bytes:
        try:
            return self.keys[key_id]
        except KeyError:
            raise DecryptionError(f"encryption key {key_id!r} is not in the keyring") from None


def _b64(data: bytes) -> str:
    return base64.b64encode(data).decode("ascii")


def _unb64(text: str, what: str) -> bytes:
    try:
        raw = base64.b64decode(text, validate=True)
    except (ValueError, TypeError) as exc:
        raise KeyError_(f"{what} is not valid base64") from exc
    if len(raw) != 32:
        raise KeyError_(f"{what} must be 32 bytes")
    return raw


def new_key_material() -> str:
    return _b64(secrets.token_bytes(32))


def new_keyring_document(key_id: str = "k1") -> dict:
    return {
        "active": key_id,
        "keys": {key_id: new_key_material()},
        "index_key": new_key_material(),
        "audit_key": new_key_material(),
    }


def parse_keyring(document: dict) -> Keyring:
    try:
        keys = {kid: _unb64(v, f"key {kid}") for kid, v in document["keys"].items()}
        ring = Keyring(
            active=document["active"],
            keys=keys,
            index_key=_unb64(document["index_key"], "index_key"),
            audit_key=_unb64(document["audit_key"], "audit_key"),
        )
    except (KeyError, TypeError, AttributeError) as exc:
        raise KeyError_(f"the keyring is incomplete: {exc}") from exc
    if ring.active not in ring.keys:
        raise KeyError_(f"the active key {ring.active!r} is not in the keyring")
    if any(":" in kid for kid in ring.keys):
        raise KeyError_("key ids may not contain ':'")
    return ring


def read_keyring_document(path: Path | None = None) -> dict:
    raw = os.environ.get("HAVEN_KEYS")
    if raw and path is None:
        return json.loads(raw)
    key_path = Path(path or settings.HAVEN_KEY_FILE)
    if not key_path.exists():
        raise KeyError_(f"no key file at {key_path}: run 'haven keys init' (see docs/security.md)")
    return json.loads(key_path.read_text(encoding="utf-8"))


def write_keyring_document(document: dict, path: Path | None = None) -> Path:
    key_path = Path(path or settings.HAVEN_KEY_FILE)
    key_path.parent.mkdir(parents=True, exist_ok=True)
    tmp = key_path.with_suffix(".tmp")
    tmp.write_text(json.dumps(document, indent=2), encoding="utf-8")
    tmp.chmod(0o600)
    tmp.replace(key_path)
    reset_keyring()
    return key_path


_keyring: Keyring | None = None


def keyring() -> Keyring:
    global _keyring
    if _keyring is None:
        _keyring = parse_keyring(read_keyring_document())
    return _keyring


def reset_keyring() -> None:
    """Forget the cached keyring (after rotation, or when tests swap keys)."""
    global _keyring
    _keyring = None


def is_sealed(value: str | None) -> bool:
    return isinstance(value, str) and value.startswith(PREFIX + ":")


def sealed_key_id(value: str) -> str:
    return value.split(":", 2)[1]


def encrypt(plaintext: str, *, context: str, ring: Keyring | None = None) -> str:
    ring = ring or keyring()
    nonce = secrets.token_bytes(12)
    sealed = AESGCM(ring.key(ring.active)).encrypt(nonce, plaintext.encode("utf-8"), context.encode("utf-8"))
    return f"{PREFIX}:{ring.active}:{_b64(nonce + sealed)}"


def decrypt(token: str, *, context: str, ring: Keyring | None = None) -> str:
    ring = ring or keyring()
    try:
        prefix, key_id, body = token.split(":", 2)
    except ValueError:
        raise DecryptionError("stored value is not an encrypted Haven value") from None
    if prefix != PREFIX:
        raise DecryptionError("stored value is not an encrypted Haven value")
    try:
        raw = base64.b64decode(body, validate=True)
        return AESGCM(ring.key(key_id)).decrypt(raw[:12], raw[12:], context.encode("utf-8")).decode("utf-8")
    except (InvalidTag, ValueError) as exc:
        raise DecryptionError(f"value sealed with key {key_id!r} failed authentication") from exc


def blind_index(value: str, *, purpose: str, ring: Keyring | None = None) -> str:
    """Equal inputs give equal indexes; the index reveals nothing without the index key."""
    ring = ring or keyring()
    digest = hmac.new(ring.index_key, f"{purpose}\x00{value}".encode(), hashlib.sha256)
    return digest.hexdigest()


def audit_mac(message: bytes, ring: Keyring | None = None) -> str:
    ring = ring or keyring()
    return hmac.new(ring.audit_key, message, hashlib.sha256).hexdigest()

"""Sealed bundles: a byte string (an export bundle) encrypted with a passphrase, for a USB stick between laptops.

Standalone on purpose: the standard library and ``cryptography`` only, of klantreis_tui only the error family, no textual.

File format (version 1)::

    KLANTREIS-SEALED 1\\n
    {"kdf":"scrypt","n":131072,"r":8,"p":1,"salt":"<base64>","nonce":"<base64>","cipher":"AES-256-GCM"}\\n
    <ciphertext followed by the 16-byte GCM tag, binary>

* The first line makes the file recognisable to a person (``head -c 100 file``) and to :func:`is_sealed`.
* The key is derived from the passphrase with scrypt; its cost parameters and the random 16-byte salt are in the
  header so that the cost can be raised later without a new format version. On reading, parameters outside a safe
  range are refused as damaged *before* any key derivation, so a hostile file cannot make us allocate gigabytes.
* The data is encrypted with AES-256-GCM under a random 96-bit nonce. The two header lines (magic line and JSON
  line, both newlines included) are the associated data, so changing any header byte fails authentication.
* The ciphertext is binary, not base64: a bundle can be hundreds of megabytes, and base64 would add a third to the
  file and a second full copy in memory for nothing, since the file is never edited by hand or pasted into text.
  What a person needs to read (what the file is, how it was sealed) is in the two text lines above it.

Every failure is a :class:`SealError` with a machine-readable ``reason``; no exception from ``cryptography`` and
no partial plaintext ever comes out of :func:`unseal`.
"""

from __future__ import annotations

import base64
import binascii
import json
import os
import unicodedata
from collections.abc import Iterable, Iterator
from typing import Any

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.scrypt import Scrypt

from klantreis_tui.errors import KlantreisError

FORMAT_VERSION = 1

MAGIC_PREFIX = b"KLANTREIS-SEALED "
KDF_NAME = "scrypt"
CIPHER_NAME = "AES-256-GCM"

SALT_BYTES = 16
NONCE_BYTES = 12
KEY_BYTES = 32
TAG_BYTES = 16

DEFAULT_N = 2**17
DEFAULT_R = 8
DEFAULT_P = 1

# The safe range for scrypt parameters, for writing and for reading. scrypt needs about 128 * n * r bytes.
MIN_N = 2**10
MAX_N = 2**20
MAX_R = 16
MAX_P = 4
MAX_KDF_MEMORY = 2**30  # 1 GiB: n=2**20 with r=8 at most

# Limits on the header lines, so that a file without newlines is not scanned to the end.
MAX_VERSION_DIGITS = 6
MAX_HEADER_LINE_BYTES = 1024

# AES-GCM in cryptography takes at most 2**31 - 1 bytes in one call.
MAX_PLAINTEXT_BYTES = 2**31 - 1 - TAG_BYTES

REASONS = frozenset({"empty_passphrase", "not_sealed", "damaged", "newer_version", "wrong_passphrase_or_tampered"})

_HEADER_KEYS = ("kdf", "n", "r", "p", "salt", "nonce", "cipher")

_MESSAGES = {
    "empty_passphrase": "the passphrase is empty",
    "not_sealed": "this is not a sealed klantreis file",
    "damaged": "the sealed file is damaged",
    "newer_version": "the sealed file was made by a newer version of klantreis",
    "wrong_passphrase_or_tampered": "wrong passphrase, or the sealed file was changed",
}


class SealError(KlantreisError):
    """Sealing or unsealing failed; ``reason`` says why (one of :data:`REASONS`), ``detail`` adds a little more.

    ``reason`` is stable and meant for the user interface to pick a (translated) message; ``detail`` is English,
    for logs, and never contains the passphrase or any plaintext.
    """

    def __init__(self, reason: str, detail: str = "") -> None:
        if reason not in REASONS:
            raise ValueError(f"unknown SealError reason: {reason!r}")
        message = _MESSAGES[reason]
        super().__init__(reason, f"{message}: {detail}" if detail else message)
        self.detail = detail  # a string here (English, for logs), not the family's mapping


def is_sealed(data: bytes) -> bool:
    """Whether ``data`` starts like a sealed file (of any format version, also one newer than this code reads)."""
    return bytes(data[: len(MAGIC_PREFIX)]) == MAGIC_PREFIX


def seal(plaintext: bytes, passphrase: str, *, n: int = DEFAULT_N, r: int = DEFAULT_R, p: int = DEFAULT_P) -> bytes:
    """Encrypt ``plaintext`` with ``passphrase``; return the sealed file's bytes.

    A fresh random salt and nonce are drawn each time, so sealing the same data twice gives different files.
    Raises :class:`SealError` ``empty_passphrase`` for an empty or whitespace-only passphrase, and ``ValueError``
    for scrypt parameters outside the range that :func:`unseal` accepts (a programming error, not a user's).
    """
    sealing = seal_pieces([plaintext], passphrase, n=n, r=r, p=p)  # checks the passphrase and the parameters
    if len(plaintext) > MAX_PLAINTEXT_BYTES:  # more than unseal can take in one piece
        raise ValueError(f"plaintext too large to seal: {len(plaintext)} bytes")
    return b"".join(sealing)


def unseal(data: bytes, passphrase: str) -> bytes:
    """Decrypt a sealed file made by :func:`seal`; return the plaintext, whole, or raise :class:`SealError`.

    Reasons, checked in this order: ``not_sealed`` (no magic line), ``newer_version`` (a format version above
    :data:`FORMAT_VERSION`), ``damaged`` (the header cannot be parsed, has parameters outside the safe range, or the
    file is too short to hold a tag), ``empty_passphrase``, and ``wrong_passphrase_or_tampered``.

    The last one cannot be split in two: AES-GCM only says that the tag does not match, and a wrong key and a
    changed byte (in the header, the ciphertext or the tag) look exactly alike. The user interface should say
    "wrong passphrase, or the file was changed or damaged".
    """
    data = bytes(data)
    if not is_sealed(data):
        raise SealError("not_sealed")
    associated, nonce, salt, n, r, p = _parse_header(data)
    body = data[len(associated) :]
    if len(body) < TAG_BYTES:
        raise SealError("damaged", f"{len(body)} bytes after the header, fewer than the {TAG_BYTES}-byte tag")
    key_input = _passphrase_bytes(passphrase)
    try:
        key = Scrypt(salt=salt, length=KEY_BYTES, n=n, r=r, p=p).derive(key_input)
    except Exception:  # e.g. MemoryError on a starved machine; never let a cryptography error through
        raise SealError("damaged", "key derivation failed") from None
    try:
        return AESGCM(key).decrypt(nonce, body, associated)
    except InvalidTag:
        raise SealError("wrong_passphrase_or_tampered") from None
    except Exception:
        raise SealError("damaged", "decryption failed") from None


def seal_pieces(pieces: Iterable[bytes], passphrase: str, *, n: int = DEFAULT_N, r: int = DEFAULT_R, p: int = DEFAULT_P) -> Iterator[bytes]:
    """Seal the bytes that ``pieces`` yields, in pieces (GCM encrypts as a stream; the tag comes last), so memory
    does not grow with the data; :func:`seal` is this over one piece. The passphrase and the parameters are
    checked (and the key derived) before the first piece is read, with the errors :func:`seal` names."""
    key_input = _passphrase_bytes(passphrase)
    problem = _kdf_problem(n, r, p)
    if problem:
        raise ValueError(f"scrypt parameters out of range: {problem}")
    salt, nonce = os.urandom(SALT_BYTES), os.urandom(NONCE_BYTES)
    associated = _magic_line(FORMAT_VERSION) + json.dumps(_header(n, r, p, salt, nonce), separators=(",", ":")).encode("ascii") + b"\n"
    key = Scrypt(salt=salt, length=KEY_BYTES, n=n, r=r, p=p).derive(key_input)
    return _sealing(pieces, key, nonce, associated)


def _sealing(pieces: Iterable[bytes], key: bytes, nonce: bytes, associated: bytes) -> Iterator[bytes]:
    from cryptography.hazmat.primitives.ciphers import Cipher, algorithms, modes

    encryptor = Cipher(algorithms.AES(key), modes.GCM(nonce)).encryptor()
    encryptor.authenticate_additional_data(associated)
    yield associated
    for piece in pieces:
        yield encryptor.update(piece)
    yield encryptor.finalize() + encryptor.tag


def unseal_pieces(pieces: Iterable[bytes], passphrase: str) -> Iterator[bytes]:
    """:func:`unseal` of a sealed file that ``pieces`` yields, in pieces: its plaintext as it is decrypted.

    The header is checked (and the key derived) before the first plaintext piece comes out, with the same
    reasons as :func:`unseal`. The plaintext comes out BEFORE the tag is checked: the tag is at the end of
    the file, and it is checked when the last piece has been read (SealError ``wrong_passphrase_or_tampered``
    then, raised by the iterator). A caller may parse the pieces, but must act on them (commit, write, show)
    only once the iterator ended without an error; an import does this inside one transaction."""
    source = iter(pieces)
    head = b""
    while len(head) < len(MAGIC_PREFIX) + MAX_VERSION_DIGITS + MAX_HEADER_LINE_BYTES + 2:
        piece = next(source, None)
        if piece is None:
            break
        head += piece
    if not is_sealed(head):
        raise SealError("not_sealed")
    associated, nonce, salt, n, r, p = _parse_header(head)
    body = head[len(associated) :]
    if len(body) < TAG_BYTES:  # perhaps more is coming
        for piece in source:
            body += piece
            if len(body) >= TAG_BYTES:
                break
    if len(body) < TAG_BYTES:
        raise SealError("damaged", f"{len(body)} bytes after the header, fewer than the {TAG_BYTES}-byte tag")
    key_input = _passphrase_bytes(passphrase)
    try:
        key = Scrypt(salt=salt, length=KEY_BYTES, n=n, r=r, p=p).derive(key_input)
    except Exception:
        raise SealError("damaged", "key derivation failed") from None
    return _unsealing(body, source, key, nonce, associated)


def _unsealing(body: bytes, source: Iterator[bytes], key: bytes, nonce: bytes, associated: bytes) -> Iterator[bytes]:
    from cryptography.hazmat.primitives.ciphers import Cipher, algorithms, modes

    decryptor = Cipher(algorithms.AES(key), modes.GCM(nonce)).decryptor()
    decryptor.authenticate_additional_data(associated)
    held = body  # the last TAG_BYTES bytes read may be the tag: held back until more comes
    for piece in source:
        held += piece
        if len(held) > TAG_BYTES:
            yield decryptor.update(held[:-TAG_BYTES])
            held = held[-TAG_BYTES:]
    if len(held) > TAG_BYTES:
        yield decryptor.update(held[:-TAG_BYTES])
        held = held[-TAG_BYTES:]
    try:
        last = decryptor.finalize_with_tag(held)
    except InvalidTag:
        raise SealError("wrong_passphrase_or_tampered") from None
    except Exception:
        raise SealError("damaged", "decryption failed") from None
    if last:
        yield last


def _header(n: int, r: int, p: int, salt: bytes, nonce: bytes) -> dict[str, Any]:
    return {
        "kdf": KDF_NAME, "n": n, "r": r, "p": p,
        "salt": base64.b64encode(salt).decode("ascii"), "nonce": base64.b64encode(nonce).decode("ascii"),
        "cipher": CIPHER_NAME,
    }


def _magic_line(version: int) -> bytes:
    return MAGIC_PREFIX + str(version).encode("ascii") + b"\n"


def _passphrase_bytes(passphrase: str) -> bytes:
    """NFC-normalised UTF-8, so that the same passphrase typed on another system gives the same key."""
    if not isinstance(passphrase, str):
        raise TypeError("passphrase must be a str")
    normalised = unicodedata.normalize("NFC", passphrase)
    if not normalised.strip():
        raise SealError("empty_passphrase")
    # surrogatepass: a lone surrogate (from a broken terminal) gives a stable key instead of a crash.
    return normalised.encode("utf-8", "surrogatepass")


def _kdf_problem(n: Any, r: Any, p: Any) -> str:
    """Why these scrypt parameters are outside the safe range, or "" when they are inside it."""
    for name, value in (("n", n), ("r", r), ("p", p)):
        if type(value) is not int:  # not bool, not float
            return f"{name} is not an integer"
    if n < MIN_N or n > MAX_N or n & (n - 1):
        return f"n must be a power of two from {MIN_N} to {MAX_N}"
    if not 1 <= r <= MAX_R:
        return f"r must be from 1 to {MAX_R}"
    if not 1 <= p <= MAX_P:
        return f"p must be from 1 to {MAX_P}"
    if 128 * n * r > MAX_KDF_MEMORY:
        return f"n and r together need more than {MAX_KDF_MEMORY} bytes"
    return ""


def _parse_header(data: bytes) -> tuple[bytes, bytes, bytes, int, int, int]:
    """The associated data (both header lines), nonce, salt, n, r, p; or SealError newer_version / damaged."""
    start = len(MAGIC_PREFIX)
    end = data.find(b"\n", start, start + MAX_VERSION_DIGITS + 1)
    if end < 0:
        raise SealError("damaged", "no format version line")
    token = data[start:end]
    if not token.isdigit() or token.startswith(b"0"):  # bytes.isdigit is ASCII only
        raise SealError("damaged", "bad format version")
    version = int(token)
    if version > FORMAT_VERSION:  # version >= 1 here: digits only, no leading zero
        raise SealError("newer_version", f"format version {version}, this program reads {FORMAT_VERSION}")

    header_start = end + 1
    header_end = data.find(b"\n", header_start, header_start + MAX_HEADER_LINE_BYTES)
    if header_end < 0:
        raise SealError("damaged", "no header line")
    try:
        header = json.loads(data[header_start:header_end].decode("utf-8"), object_pairs_hook=_no_duplicate_keys)
    except (UnicodeDecodeError, ValueError, RecursionError):
        raise SealError("damaged", "header is not JSON") from None
    if not isinstance(header, dict) or set(header) != set(_HEADER_KEYS):
        raise SealError("damaged", "header does not have the expected fields")
    if header["kdf"] != KDF_NAME or header["cipher"] != CIPHER_NAME:
        raise SealError("damaged", "unknown key derivation or cipher")
    n, r, p = header["n"], header["r"], header["p"]
    problem = _kdf_problem(n, r, p)
    if problem:
        raise SealError("damaged", f"scrypt parameters refused: {problem}")
    salt = _base64_field(header, "salt", SALT_BYTES)
    nonce = _base64_field(header, "nonce", NONCE_BYTES)
    return data[: header_end + 1], nonce, salt, n, r, p


def _base64_field(header: dict[str, Any], name: str, size: int) -> bytes:
    value = header[name]
    if not isinstance(value, str):
        raise SealError("damaged", f"{name} is not a string")
    try:
        raw = base64.b64decode(value.encode("ascii"), validate=True)
    except (UnicodeEncodeError, binascii.Error, ValueError):
        raise SealError("damaged", f"{name} is not base64") from None
    if len(raw) != size:
        raise SealError("damaged", f"{name} must be {size} bytes")
    return raw


def _no_duplicate_keys(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    result: dict[str, Any] = {}
    for key, value in pairs:
        if key in result:
            raise ValueError(f"duplicate key {key!r}")
        result[key] = value
    return result

"""Sealed bundles: round trips, passphrase handling, tampering anywhere fails, hostile headers are refused unread.

Most tests seal with a small scrypt cost (n=2**10) for speed; one round trip runs at the default cost.
"""

from __future__ import annotations

import base64
import json
import random
import traceback
import unicodedata
from collections.abc import Iterator

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from klantreis_tui import sealed
from klantreis_tui.sealed import FORMAT_VERSION, SealError, is_sealed, seal, unseal

FAST = {"n": 2**10, "r": 8, "p": 1}
PASSPHRASE = "correct horse battery staple"
PLAINTEXT = json.dumps(
    {"format": "klantreis-bundle", "interviews": [{"id": i, "note": "tekst"} for i in range(8)]}
).encode()
MAGIC_LINE = b"KLANTREIS-SEALED 1\n"

# One blob shared by the read-only tests (sealing is cheap at n=2**10, but hypothesis runs hundreds of examples).
BLOB = seal(PLAINTEXT, PASSPHRASE, **FAST)


def header_end(blob: bytes) -> int:
    """Offset of the first ciphertext byte: just after the JSON line's newline."""
    return blob.index(b"\n", len(MAGIC_LINE)) + 1


def header_of(blob: bytes) -> dict:
    return json.loads(blob[len(MAGIC_LINE) : header_end(blob) - 1])


def flip(blob: bytes, index: int, mask: int = 0x01) -> bytes:
    changed = bytearray(blob)
    changed[index] ^= mask
    return bytes(changed)


def reason_of(data: bytes, passphrase: str = PASSPHRASE) -> str:
    with pytest.raises(SealError) as excinfo:
        unseal(data, passphrase)
    return excinfo.value.reason


def hand_made(body: bytes = b"\x00" * 32, **fields: object) -> bytes:
    """A sealed-looking file with a header built from ``fields`` over valid defaults (key None drops a field)."""
    header: dict[str, object] = {
        "kdf": "scrypt",
        "n": 2**10,
        "r": 8,
        "p": 1,
        "salt": base64.b64encode(b"s" * 16).decode(),
        "nonce": base64.b64encode(b"n" * 12).decode(),
        "cipher": "AES-256-GCM",
    }
    for key, value in fields.items():
        if value is None:
            header.pop(key)
        else:
            header[key] = value
    return MAGIC_LINE + json.dumps(header, separators=(",", ":")).encode() + b"\n" + body


# --- round trips -------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "plaintext",
    [b"", b"x", PLAINTEXT, bytes(range(256)), random.Random(7).randbytes(5 * 1024 * 1024)],
    ids=["empty", "one-byte", "json", "all-byte-values", "5MB"],
)
def test_round_trip(plaintext: bytes) -> None:
    blob = seal(plaintext, PASSPHRASE, **FAST)
    assert unseal(blob, PASSPHRASE) == plaintext
    if len(plaintext) >= 16:  # a shorter one could turn up in the random bytes by chance
        assert plaintext[:64] not in blob


def test_round_trip_at_default_cost() -> None:
    blob = seal(PLAINTEXT, PASSPHRASE)
    header = header_of(blob)
    assert (header["n"], header["r"], header["p"]) == (2**17, 8, 1)
    assert unseal(blob, PASSPHRASE) == PLAINTEXT


def test_format_is_magic_line_json_line_then_binary_ciphertext_and_tag() -> None:
    assert FORMAT_VERSION == 1
    assert BLOB.startswith(MAGIC_LINE)
    header = header_of(BLOB)
    assert list(header) == ["kdf", "n", "r", "p", "salt", "nonce", "cipher"]
    assert header["kdf"] == "scrypt" and header["cipher"] == "AES-256-GCM"
    assert (header["n"], header["r"], header["p"]) == (2**10, 8, 1)
    assert len(base64.b64decode(header["salt"])) == 16
    assert len(base64.b64decode(header["nonce"])) == 12
    # Binary body: exactly the plaintext's length plus the 16-byte tag, no base64 growth.
    assert len(BLOB) - header_end(BLOB) == len(PLAINTEXT) + 16


def test_two_seals_of_the_same_data_differ() -> None:
    first = seal(PLAINTEXT, PASSPHRASE, **FAST)
    second = seal(PLAINTEXT, PASSPHRASE, **FAST)
    assert first != second
    assert header_of(first)["salt"] != header_of(second)["salt"]
    assert header_of(first)["nonce"] != header_of(second)["nonce"]
    assert first[header_end(first) :] != second[header_end(second) :]
    assert unseal(first, PASSPHRASE) == unseal(second, PASSPHRASE) == PLAINTEXT


# --- passphrases -------------------------------------------------------------------------------------------------


def test_wrong_passphrase_is_refused_without_leaking_the_cryptography_error() -> None:
    with pytest.raises(SealError) as excinfo:
        unseal(BLOB, PASSPHRASE + "!")
    error = excinfo.value
    assert error.reason == "wrong_passphrase_or_tampered"
    assert error.__cause__ is None and error.__suppress_context__
    text = "".join(traceback.format_exception(error))
    assert "InvalidTag" not in text
    assert "cryptography.exceptions" not in text and "site-packages/cryptography" not in text
    assert PASSPHRASE not in str(error)


@pytest.mark.parametrize("other", ["Correct horse battery staple", "correct horse battery stapl", " " + PASSPHRASE])
def test_a_passphrase_is_used_exactly_as_typed(other: str) -> None:
    assert reason_of(BLOB, other) == "wrong_passphrase_or_tampered"


@pytest.mark.parametrize("word", ["café wachtwoord", "Ångström", "Zoë en Noël", "ﬁets"])
def test_nfc_and_nfd_passphrases_are_the_same(word: str) -> None:
    composed, decomposed = unicodedata.normalize("NFC", word), unicodedata.normalize("NFD", word)
    if word != "ﬁets":  # the ligature is unchanged by NFC and NFD; it only checks nothing else (NFKC) is applied
        assert composed != decomposed
    assert unseal(seal(PLAINTEXT, decomposed, **FAST), composed) == PLAINTEXT
    assert unseal(seal(PLAINTEXT, composed, **FAST), decomposed) == PLAINTEXT


def test_compatibility_forms_are_not_folded() -> None:
    # NFC, not NFKC: the ligature "ﬁ" and "fi" stay different passphrases.
    assert reason_of(seal(PLAINTEXT, "ﬁets", **FAST), "fiets") == "wrong_passphrase_or_tampered"


@pytest.mark.parametrize("empty", ["", " ", "\t\n", "\u00a0", "\u3000  "])
def test_empty_or_whitespace_passphrase_is_refused(empty: str) -> None:
    with pytest.raises(SealError) as excinfo:
        seal(PLAINTEXT, empty, **FAST)
    assert excinfo.value.reason == "empty_passphrase"
    assert reason_of(BLOB, empty) == "empty_passphrase"


def test_passphrase_must_be_text() -> None:
    with pytest.raises(TypeError):
        seal(PLAINTEXT, PASSPHRASE.encode(), **FAST)  # type: ignore[arg-type]


# --- tampering ---------------------------------------------------------------------------------------------------

WRONG = {"wrong_passphrase_or_tampered"}
DAMAGED = {"damaged"}
HEADER_VALUE = {"damaged", "wrong_passphrase_or_tampered"}  # depends on whether the flip leaves valid JSON


def _positions(blob: bytes) -> list[tuple[str, int, set[str]]]:
    start, body, end = len(MAGIC_LINE), header_end(blob), len(blob)
    text = blob[:body].decode()
    return [
        ("magic-first", 0, {"not_sealed"}),
        ("magic-middle", 9, {"not_sealed"}),
        ("magic-space", 16, {"not_sealed"}),
        ("version-digit", 17, DAMAGED),  # "1" -> "0"
        ("magic-newline", 18, DAMAGED),
        ("header-open-brace", start, DAMAGED),
        ("header-kdf-name", text.index("scrypt"), DAMAGED),
        ("header-n-digit", text.index('"n":') + 4, DAMAGED),  # 1024 -> 0024: not JSON
        ("header-salt", text.index('"salt":"') + 8, HEADER_VALUE),
        ("header-nonce", text.index('"nonce":"') + 10, HEADER_VALUE),
        ("header-cipher-name", text.index("AES-256-GCM") + 4, DAMAGED),
        ("header-close-brace", body - 2, DAMAGED),
        ("header-newline", body - 1, DAMAGED),
        ("ciphertext-first", body, WRONG),
        ("ciphertext-middle", (body + end - 16) // 2, WRONG),
        ("ciphertext-last", end - 17, WRONG),
        ("tag-first", end - 16, WRONG),
        ("tag-middle", end - 8, WRONG),
        ("tag-last", end - 1, WRONG),
    ]


@pytest.mark.parametrize(
    ("index", "expected"), [p[1:] for p in _positions(BLOB)], ids=[p[0] for p in _positions(BLOB)]
)
def test_flipping_one_byte_in_any_region_is_refused(index: int, expected: set[str]) -> None:
    assert reason_of(flip(BLOB, index)) in expected


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(index=st.integers(0, len(BLOB) - 1), mask=st.integers(1, 255))
def test_flipping_any_byte_with_any_mask_is_refused(index: int, mask: int) -> None:
    with pytest.raises(SealError) as excinfo:
        unseal(flip(BLOB, index, mask), PASSPHRASE)
    assert excinfo.value.reason in sealed.REASONS - {"empty_passphrase"}


def test_the_header_is_authenticated_even_when_it_still_parses_to_the_same_values() -> None:
    # Same fields and values, other spacing and order: the key is the same, only the associated data differs.
    header = header_of(BLOB)
    respaced = json.dumps(dict(reversed(list(header.items())))).encode()
    changed = MAGIC_LINE + respaced + b"\n" + BLOB[header_end(BLOB) :]
    assert reason_of(changed) == "wrong_passphrase_or_tampered"


def test_a_header_from_another_seal_does_not_open_this_body() -> None:
    other = seal(PLAINTEXT, PASSPHRASE, **FAST)
    assert reason_of(other[: header_end(other)] + BLOB[header_end(BLOB) :]) == "wrong_passphrase_or_tampered"


def test_appended_bytes_are_refused() -> None:
    assert reason_of(BLOB + b"\n") == "wrong_passphrase_or_tampered"


def _truncations(blob: bytes) -> list[tuple[str, int, str]]:
    body, end = header_end(blob), len(blob)
    return [
        ("nothing", 0, "not_sealed"),
        ("part-of-magic", 5, "not_sealed"),
        ("magic-without-version", 17, "damaged"),
        ("version-without-newline", 18, "damaged"),
        ("magic-line-only", 19, "damaged"),
        ("part-of-header", 19 + 10, "damaged"),
        ("header-without-newline", body - 1, "damaged"),
        ("header-only", body, "damaged"),
        ("part-of-tag", body + 15, "damaged"),
        ("tag-sized-body", body + 16, "wrong_passphrase_or_tampered"),
        ("one-byte-short", end - 1, "wrong_passphrase_or_tampered"),
        ("tag-missing", end - 16, "wrong_passphrase_or_tampered"),
    ]


@pytest.mark.parametrize(
    ("length", "expected"), [t[1:] for t in _truncations(BLOB)], ids=[t[0] for t in _truncations(BLOB)]
)
def test_truncated_file_is_refused(length: int, expected: str) -> None:
    assert reason_of(BLOB[:length]) == expected


# --- versions, foreign data, hostile headers ---------------------------------------------------------------------


@pytest.mark.parametrize(
    "data",
    [
        b"KLANTREIS-SEALED 2\n" + BLOB[len(MAGIC_LINE) :],
        b"KLANTREIS-SEALED 2\nsomething a later version writes, not JSON at all",
        b"KLANTREIS-SEALED 10\n{}\n",
        b"KLANTREIS-SEALED 999999\n",
    ],
    ids=["v2-otherwise-valid", "v2-unknown-layout", "v10", "v999999"],
)
def test_newer_format_version_is_reported_as_such(data: bytes) -> None:
    assert is_sealed(data)
    assert reason_of(data) == "newer_version"


@pytest.mark.parametrize(
    "data",
    [
        PLAINTEXT,
        b'{"format": "klantreis-bundle"}',
        b"",
        b"KLANTREIS",
        b"klantreis-sealed 1\n" + BLOB[len(MAGIC_LINE) :],
        b"\xef\xbb\xbf" + BLOB,  # a byte-order mark in front
        b" " + BLOB,
    ],
    ids=["bundle-json", "small-json", "empty", "prefix-of-magic", "lower-case-magic", "bom", "leading-space"],
)
def test_data_that_is_not_sealed(data: bytes) -> None:
    assert not is_sealed(data)
    assert reason_of(data) == "not_sealed"


def test_is_sealed_recognises_a_sealed_blob() -> None:
    assert is_sealed(BLOB)
    assert is_sealed(bytearray(BLOB))


@pytest.fixture
def no_key_derivation(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """Fail the test if scrypt is even set up: a refused header must be refused before deriving a key.

    The calls are recorded and checked afterwards rather than raised, because unseal turns any error during key
    derivation into SealError("damaged"), which would hide the call.
    """
    calls: list[dict[str, object]] = []

    def recording(*args: object, **kwargs: object) -> None:
        calls.append(kwargs)
        raise RuntimeError("scrypt must not be called here")

    monkeypatch.setattr(sealed, "Scrypt", recording)
    yield
    assert calls == [], "scrypt was called for a header that should have been refused"


def test_hand_made_header_is_accepted_as_far_as_the_tag() -> None:
    # Guards the hostile-header tests below: their baseline header parses, so only the changed field is refused.
    assert reason_of(hand_made()) == "wrong_passphrase_or_tampered"


@pytest.mark.parametrize(
    "fields",
    [
        {"n": 2**30},
        {"n": 2**21},
        {"n": 3000},
        {"n": 2**10 + 1},
        {"n": 512},
        {"n": 0},
        {"n": -1024},
        {"n": 1024.0},
        {"n": "1024"},
        {"n": True},
        {"r": 1024},
        {"r": 17},
        {"r": 0},
        {"p": 64},
        {"p": 5},
        {"p": 0},
        {"n": 2**20, "r": 16},  # each within range, together 2 GiB
        {"salt": base64.b64encode(b"s" * 8).decode()},
        {"salt": base64.b64encode(b"s" * 32).decode()},
        {"salt": "not base64!"},
        {"salt": 12},
        {"nonce": base64.b64encode(b"n" * 16).decode()},
        {"nonce": ""},
        {"kdf": "argon2id"},
        {"cipher": "ChaCha20-Poly1305"},
        {"kdf": None},
        {"nonce": None},
        {"extra": "field"},
    ],
    ids=lambda fields: ",".join(f"{k}={str(v)[:12]}" for k, v in fields.items()),
)
def test_hostile_or_malformed_header_is_refused_as_damaged_without_deriving_a_key(
    fields: dict[str, object], no_key_derivation: None
) -> None:
    assert reason_of(hand_made(**fields)) == "damaged"


@pytest.mark.parametrize(
    "header_line",
    [
        b"not json",
        b"[1, 2, 3]",
        b'"scrypt"',
        b"{",
        b'{"kdf":"scrypt","kdf":"scrypt","n":1024,"r":8,"p":1,"salt":"c3Nzc3Nzc3Nzc3Nzc3Nzcw==",'
        b'"nonce":"bm5ubm5ubm5ubm5u","cipher":"AES-256-GCM"}',
        b"\xff\xfe{}",
        b"x" * 5000,
    ],
    ids=["text", "array", "string", "open-brace", "duplicate-key", "not-utf8", "very-long-line"],
)
def test_unparseable_header_is_damaged(header_line: bytes, no_key_derivation: None) -> None:
    assert reason_of(MAGIC_LINE + header_line + b"\n" + b"\x00" * 32) == "damaged"


@pytest.mark.parametrize(
    "magic_line", [b"KLANTREIS-SEALED 0\n", b"KLANTREIS-SEALED 01\n", b"KLANTREIS-SEALED one\n", b"KLANTREIS-SEALED \n"]
)
def test_bad_version_line_is_damaged(magic_line: bytes) -> None:
    data = magic_line + BLOB[len(MAGIC_LINE) :]
    assert is_sealed(data)
    assert reason_of(data) == "damaged"


# --- the API's own checks ----------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "params",
    [{"n": 2**21}, {"n": 1000}, {"n": 2**9}, {"r": 17}, {"r": 0}, {"p": 5}, {"n": True}, {"n": 2**20, "r": 16}],
    ids=str,
)
def test_seal_refuses_parameters_that_unseal_would_refuse(params: dict[str, int]) -> None:
    with pytest.raises(ValueError):
        seal(PLAINTEXT, PASSPHRASE, **{**FAST, **params})


def test_seal_error_carries_reason_and_detail() -> None:
    error = SealError("damaged", "no header line")
    assert (error.reason, error.detail) == ("damaged", "no header line")
    assert "no header line" in str(error)
    assert SealError("not_sealed").detail == ""
    with pytest.raises(ValueError):
        SealError("something_else")


def test_seal_and_seal_pieces_write_the_same_file_as_one_shot_aes_gcm(monkeypatch):
    """``seal`` is ``seal_pieces`` over one piece: with the same salt and nonce, the whole and the pieces give the
    same bytes, and they are the bytes of the format as files already on sticks hold it (the header lines, then
    one-shot AES-GCM of the plaintext with the header lines as associated data)."""
    from cryptography.hazmat.primitives.ciphers.aead import AESGCM
    from cryptography.hazmat.primitives.kdf.scrypt import Scrypt

    salt, nonce = bytes(range(16)), bytes(range(100, 112))
    draws: list[bytes] = []

    def fixed(size: int) -> bytes:
        draws.append(b"")
        return salt if size == sealed.SALT_BYTES else nonce

    monkeypatch.setattr(sealed.os, "urandom", fixed)
    whole = seal(PLAINTEXT, PASSPHRASE, **FAST)
    pieces = b"".join(sealed.seal_pieces([PLAINTEXT[:7], b"", PLAINTEXT[7:]], PASSPHRASE, **FAST))
    associated = whole[: header_end(whole)]
    key = Scrypt(salt=salt, length=32, **FAST).derive(PASSPHRASE.encode())
    assert whole == pieces == associated + AESGCM(key).encrypt(nonce, PLAINTEXT, associated)
    assert header_of(whole)["salt"] == base64.b64encode(salt).decode()
    assert len(draws) == 4  # a salt and a nonce for each
    assert unseal(whole, PASSPHRASE) == PLAINTEXT
    with pytest.raises(SealError) as excinfo:
        seal(PLAINTEXT, " ", **FAST)
    assert excinfo.value.reason == "empty_passphrase"
    with pytest.raises(ValueError, match="scrypt parameters out of range"):
        seal(PLAINTEXT, PASSPHRASE, n=3)

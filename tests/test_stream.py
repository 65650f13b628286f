"""Bundles read and written in pieces: the same bytes and the same verdicts as a bundle handled whole, at any
place the pieces are cut, for plain and sealed files; imports stay whole-or-nothing."""

from __future__ import annotations

import json
import random
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from klantreis_tui import sealed
from klantreis_tui.exchange import MAX_BUNDLE_BYTES, BundleError, bundle_json
from klantreis_tui.exchange import stream, writing
from klantreis_tui.i18n import library_text
from klantreis_tui.services import bundle_stream
from tests.benchmarks.synthetic import make_bundle
from tests.test_exchange import BUNDLES, VALID, cli, open_db

HOSTILE = BUNDLES / "hostile"
FILES = sorted(BUNDLES.glob("*.json")) + sorted(HOSTILE.glob("*.json"))


def outcome(pieces: list[bytes]) -> tuple[str, str]:
    try:
        return "ok", bundle_json(stream.read_whole(pieces, "b.json", MAX_BUNDLE_BYTES)).decode("utf-8")
    except BundleError as exc:
        return "refused", str(exc)


def cut(data: bytes, seed: int, count: int = 40) -> list[bytes]:
    rnd = random.Random(seed)
    cuts = sorted(rnd.sample(range(1, len(data)), max(0, min(len(data) - 2, count))))
    return [data[a:b] for a, b in zip([0, *cuts], [*cuts, len(data)])]


@pytest.mark.parametrize("path", FILES, ids=[p.name for p in FILES])
def test_a_bundle_cut_anywhere_reads_as_the_whole_file(path, monkeypatch):
    monkeypatch.setattr(stream, "PIECE", 16)  # the buffer is trimmed after every few records
    data = path.read_bytes()
    whole = outcome([data])
    for seed in range(4):
        assert outcome(cut(data, seed)) == whole, seed
    assert outcome([data[i : i + 1] for i in range(len(data))]) == whole  # one byte at a time


def test_errors_say_the_line_and_column_in_the_whole_file(monkeypatch):
    monkeypatch.setattr(stream, "PIECE", 16)
    data = (BUNDLES / "truncated.json").read_bytes()
    try:  # where the json module, reading the whole file, says it breaks
        json.loads(data)
    except json.JSONDecodeError as exc:
        expected = f"regel {exc.lineno}, kolom {exc.colno}: {library_text(exc.msg)}"
    kind, message = outcome(cut(data, 1, 200))
    assert kind == "refused" and expected in message
    broken = VALID.read_bytes().replace(b'"retracted": false', b'"retracted": fals', 1)
    line = broken[: broken.index(b"fals,")].count(b"\n") + 1
    kind, message = outcome(cut(broken, 2, 300))
    assert kind == "refused" and f"regel {line}, kolom" in message and "hier hoort een waarde" in message


def test_a_field_twice_at_the_top_is_refused():
    data = json.loads(VALID.read_bytes())
    text = json.dumps(data)[:-1] + ', "answers": []}'
    kind, message = outcome([text.encode("utf-8")])
    assert kind == "refused" and 'het veld "answers" staat er meer dan eens in' in message


def test_the_first_problems_are_those_of_the_whole_file_in_any_key_order():
    data = json.loads(VALID.read_bytes())
    data["steps"][0]["emotion"] = "2"
    data["interviews"][0]["status"] = "weg"
    reordered = dict(reversed(list(data.items())))  # the tables first, the format last
    kind, message = outcome([json.dumps(reordered).encode("utf-8")])
    assert kind == "refused"
    assert message.index("interviews.0.status") < message.index("steps.0.emotion")


def test_the_exported_pieces_are_the_bundle_written_whole(tmp_path, monkeypatch):
    monkeypatch.setattr(bundle_stream, "STREAM_BATCH", 3)  # many batches, one cut inside each table
    services = open_db(tmp_path / "k.db")
    services.import_bundle(make_bundle(10, steps_per_interview=4, seed=2))
    ids = services.select_interviews()
    for keep in (False, True):
        export = services.bundle_export(ids, keep_personal_data=keep)
        assert b"".join(export.pieces()) == bundle_json(export.whole())
        whole = export.whole()
        assert len(whole.interviews) == 10 and len(whole.steps) == 40
        assert [s.interview_id for s in whole.steps] == [i for i in ids for _ in range(4)]
    services.close()


def test_a_sealed_stream_is_the_sealed_file_format(monkeypatch):
    data = VALID.read_bytes() * 50
    pieces = [data[i : i + 1000] for i in range(0, len(data), 1000)]
    made = b"".join(sealed.seal_pieces(pieces, "een lange zin", n=2**10))
    assert sealed.unseal(made, "een lange zin") == data  # the whole-file reader reads it
    whole = sealed.seal(data, "een lange zin", n=2**10)
    assert b"".join(sealed.unseal_pieces(cut(whole, 3, 500), "een lange zin")) == data
    for wrong in (whole[:-1] + bytes([whole[-1] ^ 1]), whole[:300] + bytes([whole[300] ^ 1]) + whole[301:]):
        with pytest.raises(sealed.SealError) as info:
            b"".join(sealed.unseal_pieces(cut(wrong, 4, 50), "een lange zin"))
        assert info.value.reason == "wrong_passphrase_or_tampered"
    with pytest.raises(sealed.SealError) as info:
        b"".join(sealed.unseal_pieces([whole], "een andere zin"))
    assert info.value.reason == "wrong_passphrase_or_tampered"
    with pytest.raises(sealed.SealError) as info:
        sealed.unseal_pieces([whole[: whole.index(b"}\n") + 12]], "een lange zin")  # no room for the tag
    assert info.value.reason == "damaged"


def test_export_to_the_screen_and_to_a_file_are_the_same_bundle(tmp_path):
    services = open_db(tmp_path / "k.db")
    services.import_bundle(make_bundle(3, steps_per_interview=2, seed=3))
    services.close()
    shown = cli(tmp_path, "--db", str(tmp_path / "k.db"), "export")
    written = cli(tmp_path, "--db", str(tmp_path / "k.db"), "export", "-o", str(tmp_path / "b.json"))
    assert shown.returncode == written.returncode == 0, shown.stderr + written.stderr
    on_screen, in_file = json.loads(shown.stdout), json.loads((tmp_path / "b.json").read_text(encoding="utf-8"))
    on_screen.pop("exported_at"), in_file.pop("exported_at")
    assert on_screen == in_file and len(in_file["interviews"]) == 3


# --- import as a stream --------------------------------------------------------------------------------------


def source_of(data: bytes, size: int = 4096):  # type: ignore[no-untyped-def]
    from klantreis_tui.services.bundle_stream import BundleSource

    return BundleSource("b.json", iter([data[i : i + size] for i in range(0, len(data), size)]))


def synthetic(tmp_path: Path, count: int = 12) -> bytes:
    services = open_db(tmp_path / "source.db")
    services.import_bundle(make_bundle(count, steps_per_interview=3, seed=7))
    data = b"".join(services.bundle_export(services.select_interviews(), keep_personal_data=True).pieces())
    services.close()
    return data


def contents(services) -> bytes:  # type: ignore[no-untyped-def]
    from tests.test_exchange import export

    return export(services)


@pytest.mark.parametrize("order", ["as written", "tables first", "steps before interviews"])
def test_a_streamed_import_is_the_import_of_the_whole_bundle_in_any_order(tmp_path, monkeypatch, order):
    monkeypatch.setattr(stream, "PIECE", 512)
    monkeypatch.setattr(bundle_stream, "INSERT_BATCH", 5)  # many batches
    data = synthetic(tmp_path)
    if order != "as written":
        fields = json.loads(data)
        keys = list(reversed(fields)) if order == "tables first" else ["steps", *[k for k in fields if k != "steps"]]
        data = json.dumps({k: fields[k] for k in keys}, indent=1).encode("utf-8")
    whole = open_db(tmp_path / "whole.db")
    whole.import_bundle(stream.read_whole([data], "b.json", MAX_BUNDLE_BYTES))
    streamed = open_db(tmp_path / "streamed.db")
    report, controls, count = streamed.import_source(source_of(data))
    assert (report.added, report.skipped, controls, count) == (12, 0, [], 0)
    assert contents(streamed) == contents(whole)
    again, _, _ = streamed.import_source(source_of(data))
    assert (again.added, again.skipped) == (0, 12)
    whole.close(), streamed.close()


@pytest.mark.parametrize("where", ["first answer", "last answer", "last step", "end of file", "link at the end"])
def test_a_bundle_found_bad_late_changes_nothing(tmp_path, monkeypatch, where):
    from tests.test_exchange import db_digest, other_data

    monkeypatch.setattr(stream, "PIECE", 512)
    monkeypatch.setattr(bundle_stream, "INSERT_BATCH", 5)  # rows are written before the problem is read
    fields = json.loads(synthetic(tmp_path))
    expected = {
        "first answer": "answers.0.revision: moet een geheel getal zijn",
        "last answer": f"answers.{len(fields['answers']) - 1}.retracted: moet true of false zijn",
        "last step": f"steps.{len(fields['steps']) - 1}.position: moet een geheel getal zijn",
        "end of file": "geen geldige JSON",
        "link at the end": "interview ontbreekt",
    }[where]
    if where == "first answer":
        fields["answers"][0]["revision"] = "1"
    elif where == "last answer":
        fields["answers"][-1]["retracted"] = "nee"
    elif where == "last step":
        fields["steps"][-1]["position"] = 1.5
    elif where == "link at the end":
        fields["theme_links"] = []
        fields["steps"][-1]["interview_id"] = "0d9c2a8e-2b7d-4c1e-9a55-0d3b4e5f6a7b"
    data = json.dumps(fields, indent=2).encode("utf-8")
    if where == "end of file":
        data = data[:-3]
    db = tmp_path / "k.db"
    other_data(db)
    before = db_digest(db)
    services = open_db(db)
    with pytest.raises(BundleError) as info:
        services.import_source(source_of(data))
    assert expected in str(info.value) and str(info.value).endswith("Er is niets geïmporteerd.")
    services.close()
    assert db_digest(db) == before


def test_an_infinite_number_is_refused_where_no_text_is_long(tmp_path):
    fields = json.loads(VALID.read_bytes())
    fields["answers"][0]["value"] = 1
    text = json.dumps(fields).replace('"value": 1,', '"value": 1e999,', 1)
    kind, message = outcome([text.encode("utf-8")])
    assert kind == "refused" and "answers.0.value: geen eindig getal" in message


def test_a_sealed_bundle_is_imported_as_it_is_decrypted_and_a_changed_one_changes_nothing(tmp_path):
    from klantreis_tui.services import open_bundle_file
    from tests.test_exchange import db_digest, other_data

    data = synthetic(tmp_path)
    sealed_file = tmp_path / "b.sealed"
    sealed_file.write_bytes(b"".join(sealed.seal_pieces([data], "een lange zin", n=2**10)))
    db = tmp_path / "k.db"
    other_data(db)
    services = open_db(db)
    changed = bytearray(sealed_file.read_bytes())
    changed[-100] ^= 1  # near the end: most rows are read (and written) before the tag is checked
    (tmp_path / "changed.sealed").write_bytes(bytes(changed))
    services.close()
    before = db_digest(db)
    for name, phrase, fragment in (("changed.sealed", "een lange zin", "verkeerde wachtwoordzin"),
                                   ("b.sealed", "een andere zin", "verkeerde wachtwoordzin")):
        services = open_db(db)
        with pytest.raises(BundleError) as info:
            services.import_source(open_bundle_file(tmp_path / name, lambda: phrase))  # type: ignore[arg-type]
        assert fragment in str(info.value), str(info.value)
        services.close()
        assert db_digest(db) == before
    services = open_db(db)
    report, _, _ = services.import_source(open_bundle_file(sealed_file, lambda: "een lange zin"))  # type: ignore[arg-type]
    assert report.added == 12
    services.close()


def test_a_record_too_long_for_any_bundle_is_refused_before_it_is_decoded(monkeypatch):
    monkeypatch.setattr(stream, "MAX_RECORD_CHARS", 5000)
    fields = json.loads(VALID.read_bytes())
    fields["answers"][1]["value"] = list(range(3000))  # 14,000 characters of JSON
    kind, message = outcome([json.dumps(fields, indent=2).encode("utf-8")])
    assert kind == "refused" and "is langer dan 5000 tekens; zo lang is geen record van een bundel" in message
    text = json.dumps(fields, indent=2)
    first = text.index("\n    {", text.index('"answers": ['))
    second = text.index("\n    {", first + 1)
    assert f"het record op regel {text[: second + 1].count(chr(10)) + 1}, kolom 5 " in message


def test_a_top_level_that_is_no_object_is_no_bundle_and_is_not_decoded():
    kind, message = outcome([b"[" + b"1," * 100_000 + b"1]"])
    assert kind == "refused" and "dit is geen klantreis-bundel" in message
    kind, message = outcome([b"x"])
    assert kind == "refused" and "regel 1, kolom 1: hier hoort een waarde" in message


def test_a_kit_is_read_whole_only_up_to_the_limit_of_a_file_read_whole(tmp_path, monkeypatch):
    import klantreis_tui.exchange as exchange
    from klantreis_tui.services import open_bundle_file

    monkeypatch.setattr(exchange, "MAX_WHOLE_BYTES", 1000)
    path = tmp_path / "kit.json"
    path.write_bytes(b'{"format": "klantreis-kit", "notes": "' + b"a" * 5000 + b'"}')
    with pytest.raises(BundleError, match=r"te groot voor een bundel \(\d+ bytes, hoogstens 1000\)"):
        open_bundle_file(path, lambda: None)


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet=st.sampled_from(
    ["a", "é", "’", "–", "€", "\x7f", "\x80", "\x9b", "\x9f", "\xa0", "\u202a", "\u202e", "\u202f", "\u2066",
     "\u2069", "\u206a", "\u2029", "\U0001f600", "\n", '"']
)))
def test_the_bytes_escape_writes_every_raw_control_as_the_text_escape_does(text):
    # the bundle's batches are escaped as bytes (looked for by their UTF-8 lead bytes): the same bytes as
    # escaping the text, the same JSON value, no raw control left
    expected = stream.RAW_CONTROLS.sub(lambda m: f"\\u{ord(m.group()):04x}", text).encode("utf-8")
    assert writing.escaped_bytes(text.encode("utf-8")) == writing.escaped(text) == expected
    assert not stream.RAW_CONTROLS.search(expected.decode("utf-8"))

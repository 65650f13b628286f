"""Output paths (``-o`` of export and summary, the app's exports): only a regular file or a new path is
written; a device, a FIFO, a folder or a symlink to one is refused with a message naming the path given,
nothing is written and the command exits non-zero."""

from __future__ import annotations

import os
import stat
from pathlib import Path

import pytest

from klantreis_tui.errors import OutputRefused
from klantreis_tui.exchange import write_atomic
from tests.test_exchange import cli, other_data


def special(tmp_path: Path, kind: str) -> Path:
    """A path of the given kind: fifo, folder, or a symlink to a fifo, a folder or a character device."""
    fifo = tmp_path / "pijp"
    if not fifo.exists():
        os.mkfifo(fifo)
    folder = tmp_path / "map"
    folder.mkdir(exist_ok=True)
    targets = {"fifo": fifo, "folder": folder, "device": Path("/dev/null")}
    if kind.startswith("link-"):
        link = tmp_path / f"link-naar-{kind[5:]}"
        link.symlink_to(targets[kind[5:]])
        return link
    return targets[kind]


def mode(path: Path) -> int:
    return stat.S_IFMT(os.stat(path).st_mode)


KINDS = ["fifo", "folder", "device", "link-fifo", "link-folder", "link-device"]
MESSAGE = {
    "fifo": "is een pijp (FIFO), geen gewoon bestand",
    "folder": "is een map, geen bestand",
    "device": "is een apparaat, geen gewoon bestand",
}


@pytest.mark.parametrize("kind", KINDS)
def test_write_atomic_refuses_special_files_and_leaves_them_alone(tmp_path, kind):
    path = special(tmp_path, kind)
    before = mode(path)
    with pytest.raises(OutputRefused) as info:
        write_atomic(path, b"interviewgegevens")
    assert str(info.value).startswith(f"{path} {MESSAGE[kind.removeprefix('link-')]}")
    assert isinstance(info.value, OSError)  # callers that catch write failures catch it too
    assert mode(path) == before
    assert not any(p.name.endswith(".tmp") for p in tmp_path.iterdir())  # no temporary file left behind


def test_write_atomic_writes_a_new_path_a_regular_file_and_through_a_link(tmp_path):
    new = tmp_path / "sub" / "nieuw.md"
    write_atomic(new, b"een")
    assert new.read_bytes() == b"een"
    write_atomic(new, b"twee")
    assert new.read_bytes() == b"twee"
    link = tmp_path / "link.md"
    link.symlink_to(new)
    write_atomic(link, b"drie")
    assert link.is_symlink() and new.read_bytes() == b"drie"  # the file the link points to, the link kept


@pytest.mark.parametrize("command", [["export", "--format", "json"], ["summary"], ["export", "--format", "md"]])
@pytest.mark.parametrize("kind", KINDS)
def test_cli_output_to_a_special_file_is_refused(tmp_path, command, kind):
    other_data(tmp_path / "k.db")
    path = special(tmp_path, kind)
    before = mode(path)
    result = cli(tmp_path, *command, "-o", str(path), "--db", str(tmp_path / "k.db"))
    assert result.returncode == 1, result.stderr
    assert result.stderr == f"klantreis: fout: {path} {MESSAGE[kind.removeprefix('link-')]}" + (
        ": geef een bestandsnaam. Er is niets geschreven.\n" if kind.endswith("folder")
        else ": klantreis schrijft alleen naar een gewoon bestand of een nieuw pad. Er is niets geschreven.\n"
    )
    assert ".tmp" not in result.stderr
    assert mode(path) == before
    assert not any(p.name.endswith(".tmp") for p in tmp_path.iterdir())


def test_csv_export_into_a_folder_holding_a_fifo_is_refused(tmp_path):
    other_data(tmp_path / "k.db")
    folder = tmp_path / "uit"
    folder.mkdir()
    os.mkfifo(folder / "steps.csv")
    result = cli(tmp_path, "export", "--format", "csv", "-o", str(folder), "--db", str(tmp_path / "k.db"))
    assert result.returncode == 1
    assert f"{folder / 'steps.csv'} is een pijp (FIFO)" in result.stderr
    assert stat.S_ISFIFO(os.stat(folder / "steps.csv").st_mode)
    assert sorted(p.name for p in folder.iterdir()) == ["steps.csv"]  # interviews.csv not written either

"""The assistant's word lists: strict file models, reading the bundled, user and study files, merging entries.

Data files
----------
The bundled lists live in ``klantreis_tui/assist/data/``:

- ``instances.yaml``: organisations, teams and roles (``instances:`` entries with ``name``, ``aliases``,
  optional ``part_of`` and ``en``), plus ``ignore:`` phrases;
- ``channels.yaml``: the same shape under ``channels:``;
- ``emotions.yaml``: ``emotions:`` entries with ``word``, ``score`` (-2..2) and ``forms``, plus ``intensifiers``,
  ``downtoners`` and ``ignore``;
- ``probes.yaml``: ``general`` and ``negative`` probes (``nl``/``en``), ``vague`` phrases,
  ``short_answer_words`` and the ``reminders`` (``instance``, ``channel``, ``both``).

The syntax of aliases and forms is described at the top of ``instances.yaml``. Every file is validated strictly:
an unknown key, a wrong type or a broken alias raises :class:`AssistDataError` naming the file, the line and the key.

Your own lists
--------------
``Assistant.load(extra_dirs)`` reads the bundled files first, then, for every folder in ``extra_dirs`` in order,
the files of the same names found there (the app passes the user's assistant folder, then the study's own
subfolder). A file there holds only what it adds or changes:

- an entry whose ``name`` (``word`` for emotions) is new is added;
- an entry whose name exists extends it: its ``aliases`` (``forms``) are added, ``en``, ``part_of`` and ``score``
  replace the old values when given; with ``replace: true`` the aliases (forms) replace the old ones instead;
  with ``disabled: true`` the entry is removed;
- ``ignore``, ``intensifiers``, ``downtoners`` and ``vague`` are added to;
- ``general`` and ``negative`` probes are put before the bundled ones; ``short_answer_words`` and ``reminders``
  replace the bundled values when given.

For example, a study folder with this ``instances.yaml`` adds a local organisation and teaches the assistant a
local name of the gemeente's debt team::

    instances:
      - name: Stichting Op Orde
        aliases: [op orde]
      - name: Schuldhulpverlening
        aliases: [geldzaken]
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from klantreis_tui import yamlfile
from klantreis_tui.assist.text import fold
from klantreis_tui.errors import KlantreisError
from klantreis_tui.i18n import t, tn
from klantreis_tui.i18n.validation import validation_text
from klantreis_tui.models.records import EMOTION_MAX, EMOTION_MIN
from klantreis_tui.yamlfile import KeyPath, format_path

DATA_FILES = ("instances.yaml", "channels.yaml", "emotions.yaml", "probes.yaml")


def bundled_dir() -> Path:
    """The folder of the bundled word lists."""
    return Path(__file__).resolve().parent / "data"

# --- errors ------------------------------------------------------------------------------------------

class AssistDataError(KlantreisError):
    """A word-list file of the assistant has a problem; the message names the file, line and key."""

    def __init__(self, file: str, key: str, problem: str, line: int | None = None):
        self.file, self.key, self.problem, self.line = file, key, problem, line
        where = f"{file}:{line}" if line else file
        message = f"{where}: {key}: {problem}" if key else f"{where}: {problem}"
        super().__init__("assist.data_file", message, file=file, key=key, problem=problem, line=line)


# --- file models (strict: unknown keys are errors) -------------------------------------------------------


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", strict=True)


class _Text(_Strict):
    nl: str = Field(min_length=1)
    en: str = ""

    def get(self, lang: str) -> str:
        return (self.en if lang == "en" else self.nl) or self.nl


class _Entry(_Strict):
    """An organisation or a channel."""

    name: str = Field(min_length=1)
    aliases: list[str] = []
    en: str | None = None
    part_of: str | None = None
    replace: bool = False
    disabled: bool = False


class _InstancesFile(_Strict):
    instances: list[_Entry] = []
    ignore: list[str] = []


class _ChannelsFile(_Strict):
    channels: list[_Entry] = []
    ignore: list[str] = []


class _EmotionEntry(_Strict):
    word: str = Field(min_length=1)
    score: int | None = Field(default=None, ge=EMOTION_MIN, le=EMOTION_MAX)
    forms: list[str] = []
    replace: bool = False
    disabled: bool = False


class _EmotionsFile(_Strict):
    emotions: list[_EmotionEntry] = []
    intensifiers: list[str] = []
    downtoners: list[str] = []
    ignore: list[str] = []


class _Reminders(_Strict):
    instance: _Text
    channel: _Text
    both: _Text


class ProbesFile(_Strict):
    short_answer_words: int | None = Field(default=None, ge=0, le=100)
    general: list[_Text] = []
    negative: list[_Text] = []
    vague: list[str] = []
    reminders: _Reminders | None = None


_FILE_MODELS: dict[str, type[_Strict]] = {
    "instances.yaml": _InstancesFile,
    "channels.yaml": _ChannelsFile,
    "emotions.yaml": _EmotionsFile,
    "probes.yaml": ProbesFile,
}

# --- reading -------------------------------------------------------------------------------------------------


class Source:
    """One parsed data file: its model, its display name and where each key is."""

    def __init__(self, name: str, model: Any, document: yamlfile.Document):
        self.name, self.model, self.document = name, model, document

    def error(self, path: KeyPath, problem: str) -> AssistDataError:
        return AssistDataError(self.name, format_path(path), problem, self.document.line_of(path))


def _yaml_error(display: str, error: yamlfile.YamlError, model_class: type[BaseModel]) -> AssistDataError:
    """A problem yamlfile found, in the words of an assistant message."""
    if error.reason == yamlfile.SYNTAX:
        return AssistDataError(display, "", t('not valid YAML: {error} (hint: put text with ? : , # or {{ }} in double quotes)', error=error.detail["error"]), error.line)
    if error.reason == yamlfile.DUPLICATE_KEY:
        return AssistDataError(display, format_path(error.path), t("key '{key}' appears twice in the same mapping (also on line {first})", **error.detail),
                               error.line)
    if error.reason == yamlfile.ALIAS:
        return AssistDataError(display, format_path(error.path), t('YAML references (&anchor and *alias) to lists or mappings are not supported'), error.line)
    return AssistDataError(display, "", tn('the file must be a YAML mapping with the key: {keys}', 'the file must be a YAML mapping with the keys: {keys}', len(model_class.model_fields), keys=", ".join(model_class.model_fields)), error.line)


def read_source(path: Path, display: str) -> Source:
    """Read and validate one data file."""
    file_name = path.name
    try:
        text = path.read_text(encoding="utf-8")
    except UnicodeDecodeError:
        raise AssistDataError(display, "", t('the file is not UTF-8 text')) from None
    except OSError as exc:
        raise AssistDataError(display, "", t('the file cannot be read: {error}', error=exc)) from None
    model_class = _FILE_MODELS[file_name]
    try:
        document = yamlfile.parse(text)
        if document.duplicates:
            raise document.duplicates[0]
        data = document.mapping(empty=True)
    except yamlfile.YamlError as exc:
        raise _yaml_error(display, exc, model_class) from None
    try:
        model = model_class.model_validate(data)
    except ValidationError as exc:
        error = exc.errors()[0]
        loc = tuple(error["loc"])
        if error["type"] == "extra_forbidden":
            problem = t('unknown key (known: {known})', known=", ".join(_known_keys(model_class, loc)))
        elif error["type"] == "missing":
            problem = t('required key is missing')
        else:
            problem = t('invalid value: {error}', error=validation_text(error))
        raise AssistDataError(display, format_path(loc), problem, document.line_of(loc)) from None
    return Source(display, model, document)


def _known_keys(model_class: type[BaseModel], loc: tuple[Any, ...]) -> list[str]:
    """The keys allowed where an unknown key was found."""
    current: Any = model_class
    for part in loc[:-1]:
        if isinstance(part, int):
            continue
        annotation = current.model_fields[part].annotation
        for candidate in getattr(annotation, "__args__", (annotation,)):
            for inner in getattr(candidate, "__args__", (candidate,)):
                if isinstance(inner, type) and issubclass(inner, BaseModel):
                    current = inner
    return list(current.model_fields)


# --- merging the files of one name -----------------------------------------------------------------------


@dataclass
class EntryData:
    """An organisation or channel as merged so far, with where each alias came from."""


    name: str
    aliases: list[tuple[str, Source, KeyPath]]
    en: str = ""
    part_of: str | None = None
    source: Source | None = None
    path: KeyPath = ()


@dataclass
class EmotionData:
    """An emotion word as merged so far, with where each form came from."""

    word: str
    score: int | None
    forms: list[tuple[str, Source, KeyPath]]
    source: Source | None = None
    path: KeyPath = ()


def merge_entries(merged: dict[str, EntryData], source: Source, section: str) -> None:
    """Add, extend, replace or remove the entries of ``section`` of one file (keyed by folded name)."""
    for index, entry in enumerate(getattr(source.model, section)):
        path: KeyPath = (section, index)
        key = fold(entry.name)
        if entry.disabled:
            merged.pop(key, None)
            continue
        aliases = [(alias, source, path + ("aliases", i)) for i, alias in enumerate(entry.aliases)]
        current = merged.get(key)
        if current is None:
            name_alias = [(entry.name, source, path + ("name",))]
            merged[key] = EntryData(entry.name, name_alias + aliases, entry.en or "", entry.part_of, source, path)
            continue
        current.aliases = ([(current.name, source, path + ("name",))] if entry.replace else current.aliases) + aliases
        if entry.en is not None:
            current.en = entry.en
        if entry.part_of is not None:
            current.part_of = entry.part_of or None
            current.source, current.path = source, path


def merge_emotions(merged: dict[str, EmotionData], source: Source) -> None:
    """Add, extend, replace or remove the emotion words of one file (keyed by folded word)."""
    for index, entry in enumerate(source.model.emotions):
        path: KeyPath = ("emotions", index)
        key = fold(entry.word)
        if entry.disabled:
            merged.pop(key, None)
            continue
        forms = [(form, source, path + ("forms", i)) for i, form in enumerate(entry.forms)]
        current = merged.get(key)
        if current is None:
            if entry.score is None:
                raise source.error(path + ("score",), t('required key is missing'))
            merged[key] = EmotionData(entry.word, entry.score, forms or [(entry.word, source, path + ("word",))],
                                       source, path)
            continue
        current.forms = forms if entry.replace else current.forms + forms
        if entry.score is not None:
            current.score = entry.score



def merge_probes(sources: list[Source]) -> ProbesFile:
    """The probes files merged in order: later probes first, vague phrases added, the rest replaced when given."""
    probes = ProbesFile()
    for source in sources:
        extra: ProbesFile = source.model
        probes = ProbesFile(
            short_answer_words=extra.short_answer_words if extra.short_answer_words is not None
            else probes.short_answer_words,
            general=extra.general + probes.general,
            negative=extra.negative + probes.negative,
            vague=probes.vague + extra.vague,
            reminders=extra.reminders or probes.reminders,
        )
    if probes.reminders is None:
        raise sources[0].error(("reminders",), t('required key is missing'))
    return probes


def _signature(path: Path) -> tuple[str, int, int]:
    try:
        stat = path.stat()
    except OSError:
        return str(path), -1, -1  # reading it will report the problem
    return str(path), stat.st_mtime_ns, stat.st_size


#: the word-list files read, by the files they came from (kept for the assistant built after the names)
_SOURCES: dict[tuple[tuple[str, int, int], ...], dict[str, list[Source]]] = {}


def sources_of(
    extra_dirs: Iterable[Path], names: tuple[str, ...] = DATA_FILES
) -> tuple[tuple[tuple[str, int, int], ...], dict[str, list[Source]]]:
    """The bundled files ``names`` and those of the same names in ``extra_dirs`` read and validated (each file
    once, as long as it does not change), by file name, with the signature of the files they came from."""
    folders = [(bundled_dir(), True)] + [(Path(d), False) for d in extra_dirs]
    files = [(folder / name, bundled) for folder, bundled in folders for name in names]
    files = [(path, bundled) for path, bundled in files if bundled or path.is_file()]
    signature = tuple(_signature(path) for path, _ in files)
    sources = _SOURCES.get(signature)
    if sources is None:
        sources = {name: [] for name in names}
        for path, bundled in files:
            sources[path.name].append(read_source(path, path.name if bundled else str(path)))
        while len(_SOURCES) >= 32:
            _SOURCES.pop(next(iter(_SOURCES)))
        _SOURCES[signature] = sources
    return signature, sources


def merged_entries(
    sources: dict[str, list[Source]], name: str, section: str, kind: str
) -> tuple[dict[str, EntryData], dict[str, str], dict[tuple[str, str], str]]:
    """The entries of ``section`` of the files ``name`` merged, their canonical names by folded name, and the
    parent of each entry that names one (``part_of`` naming no entry of the list is an AssistDataError)."""
    merged: dict[str, EntryData] = {}
    for source in sources[name]:
        merge_entries(merged, source, section)
    canonical = {fold(e.name): e.name for e in merged.values()}
    parents: dict[tuple[str, str], str] = {}
    for entry in merged.values():
        if entry.part_of:
            parent = canonical.get(fold(entry.part_of))
            if parent is None and entry.source is not None:
                problem = t("part_of names '{name}', which is not in the list", name=entry.part_of)
                raise entry.source.error(entry.path + ("part_of",), problem)
            parents[(kind, entry.name)] = parent or ""
    return merged, canonical, parents


#: the names of the lists merged, by the files they came from (an export or a synthesis asks once per interview)
_NAMES: dict[tuple[tuple[str, int, int], ...], dict[str, list[str]]] = {}


def list_names(extra_dirs: Iterable[Path] = ()) -> dict[str, list[str]]:
    """What ``Assistant.names`` gives for ``"instances"`` and ``"channels"`` of the assistant loaded from
    ``extra_dirs``, read without building its matchers (what redaction needs; an alias written wrongly is
    found when the assistant itself is built). The files are checked as ``Assistant.load`` reads them, and
    merged once as long as none of them changes (a new list each time: the caller may keep it)."""
    signature, sources = sources_of(extra_dirs, ("instances.yaml", "channels.yaml"))  # the others are not read
    names = _NAMES.get(signature)
    if names is None:
        names = {
            section: list(merged_entries(sources, f"{section}.yaml", section, kind)[1].values())
            for section, kind in (("instances", "instance"), ("channels", "channel"))
        }
        while len(_NAMES) >= 32:
            _NAMES.pop(next(iter(_NAMES)))
        _NAMES[signature] = names
    return {section: list(found) for section, found in names.items()}

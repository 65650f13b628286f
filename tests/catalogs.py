"""The message catalogs: extract the texts from the code, update the .po files, compile the .mo files.

Run from the project root (needs the test dependencies, for Babel):

    python -m tests.catalogs update    # new texts into every .po (English filled in, Dutch left empty)
    python -m tests.catalogs compile   # the .mo files the app reads, from the .po files
    python -m tests.catalogs check     # what the catalog test checks: nothing missing, nothing stale

A text is found where the code calls ``t("...")``, ``tn("...", "...", n)`` or ``N_("...")`` with literal text.
"""

from __future__ import annotations

import ast
import io
import sys
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PACKAGE = ROOT / "klantreis_tui"
LOCALE = PACKAGE / "i18n" / "locale"
DOMAIN = "klantreis"
LANGUAGES = ("nl", "en")
PLURAL_FORMS = "nplurals=2; plural=(n != 1);"


@dataclass
class Found:
    msgid: str
    plural: str | None = None
    places: list[tuple[str, int]] = field(default_factory=list)


def extract(root: Path = PACKAGE) -> dict[str, Found]:
    """Every text of the package's code, with where it is used."""
    found: dict[str, Found] = {}
    for path in sorted(root.rglob("*.py")):
        tree = ast.parse(path.read_text(encoding="utf-8"), str(path))
        for node in ast.walk(tree):
            if not (isinstance(node, ast.Call) and isinstance(node.func, ast.Name)):
                continue
            name, args = node.func.id, node.args
            literal = [isinstance(a, ast.Constant) and isinstance(a.value, str) for a in args]
            if name == "t" and args and isinstance(args[0], ast.IfExp):
                branches = (args[0].body, args[0].orelse)  # t("a" if c else "b"): both are texts
                for branch in branches:
                    if isinstance(branch, ast.Constant) and isinstance(branch.value, str):
                        entry = found.setdefault(branch.value, Found(branch.value))
                        entry.places.append((_where(path), node.lineno))
                continue
            if name in ("t", "N_") and args and literal[0]:
                msgid, plural = args[0].value, None
            elif name == "tn" and len(args) >= 2 and literal[0] and literal[1]:
                msgid, plural = args[0].value, args[1].value
            else:
                continue
            entry = found.setdefault(msgid, Found(msgid, plural))
            entry.plural = entry.plural or plural
            entry.places.append((_where(path), node.lineno))
    return found


def _where(path: Path) -> str:
    return str(path.relative_to(ROOT) if path.is_relative_to(ROOT) else path)


def po_path(lang: str) -> Path:
    return LOCALE / lang / "LC_MESSAGES" / f"{DOMAIN}.po"


def read_po(lang: str):
    from babel.messages.pofile import read_po as babel_read_po

    with po_path(lang).open("rb") as file:
        return babel_read_po(file, locale=lang)


def new_catalog(lang: str):
    from babel.messages.catalog import Catalog

    catalog = Catalog(locale=lang, domain=DOMAIN, project="klantreis", fuzzy=False)
    catalog.plural_forms  # noqa: B018 - Babel derives it from the locale
    return catalog


def update(translations: dict[str, dict[str, object]] | None = None) -> None:
    """Write every .po with the texts found in the code; kept translations stay, new English ones filled in."""
    from babel.messages.pofile import write_po

    found = extract()
    for lang in LANGUAGES:
        known = {}
        if po_path(lang).exists():
            known = {m.id if isinstance(m.id, str) else m.id[0]: m.string for m in read_po(lang) if m.id}
        if translations:
            known.update({k: v for k, v in translations.get(lang, {}).items() if v})
        catalog = new_catalog(lang)
        for msgid in sorted(found):
            entry = found[msgid]
            key = msgid if entry.plural is None else (msgid, entry.plural)
            string = known.get(msgid) or ("" if lang != "en" else (msgid if entry.plural is None else (msgid, entry.plural)))
            if entry.plural is not None and isinstance(string, str):
                string = (string, string) if string else ("", "")
            catalog.add(key, string, locations=[(p, n) for p, n in entry.places][:3], flags=_flags(msgid))
        po_path(lang).parent.mkdir(parents=True, exist_ok=True)
        with po_path(lang).open("wb") as file:
            # file names without line numbers: an edit elsewhere in a file does not rewrite the catalogs (fewer merge conflicts)
            write_po(file, catalog, width=116, no_location=False, omit_header=False, sort_output=True, include_lineno=False)


def _flags(msgid: str) -> list[str]:
    return ["python-brace-format"] if "{" in msgid else []


def compiled(lang: str) -> bytes:
    """The .mo bytes of a language's .po file, as ``compile`` writes them."""
    from babel.messages.mofile import write_mo

    buffer = io.BytesIO()
    write_mo(buffer, read_po(lang))
    return buffer.getvalue()


def compile_all() -> None:
    for lang in LANGUAGES:
        po_path(lang).with_suffix(".mo").write_bytes(compiled(lang))


def problems() -> list[str]:
    """What is wrong with the catalogs: texts missing or untranslated, stale entries, placeholders, .mo out of date."""
    import string as string_module

    def fields(text: str) -> set[str]:
        return {name for _, name, _, _ in string_module.Formatter().parse(text) if name}

    found = extract()
    out: list[str] = []
    for lang in LANGUAGES:
        entries = {(m.id if isinstance(m.id, str) else m.id[0]): m for m in read_po(lang) if m.id}
        for msgid, entry in found.items():
            message = entries.get(msgid)
            where = "%s:%d" % entry.places[0]
            if message is None:
                out.append(f"{lang}: missing {msgid!r} ({where})")
                continue
            strings = message.string if isinstance(message.string, tuple) else (message.string,)
            if entry.plural is not None and not isinstance(message.id, tuple):
                out.append(f"{lang}: {msgid!r} is used with a plural but has no plural forms")
            if not all(strings):
                out.append(f"{lang}: {msgid!r} has no translation")
                continue
            wanted = fields(msgid) | (fields(entry.plural) if entry.plural else set())
            for text in strings:
                if fields(text) - wanted:  # a translation may leave a detail out, never bring one in
                    out.append(f"{lang}: {text!r} has placeholders that {msgid!r} does not fill")
        for msgid in entries.keys() - found.keys():
            out.append(f"{lang}: {msgid!r} is in the catalog but not used in the code")
        mo = po_path(lang).with_suffix(".mo")
        if not mo.exists() or mo.read_bytes() != compiled(lang):
            out.append(f"{lang}: {mo.relative_to(ROOT)} is not compiled from the current .po (run: python -m tests.catalogs compile)")
    return out


def main(argv: list[str]) -> int:
    command = argv[0] if argv else "check"
    if command == "update":
        update()
    elif command == "compile":
        compile_all()
    found = problems() if command in ("check", "update", "compile") else ["usage: python -m tests.catalogs update|compile|check"]
    for line in found:
        print(line)
    return 1 if found else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))

"""The jinja2 environment for summaries and reports, and `render`, which names template and line on errors.

Templates are looked up first in the user's templates folder (if given), then in the bundled folder
``klantreis_tui/rendering/templates/``, so a user file with the same name overrides the bundled one.
Undefined variables are errors (StrictUndefined). Only ``.html`` templates (``*.html.j2``) are
autoescaped; Markdown is written as is. Every template renders in the bounded sandbox of ``sandbox.py``
(a user's templates may be hostile): escapes, links out of the folder and runaway loops or output become a
TemplateProblem naming the template and line.

The bundled templates, once compiled, are kept in the user's cache folder (``CompiledTemplates``): a fresh
process (``klantreis summary``) loads them instead of compiling them again (some 20 ms each).

Filters available to every template, besides jinja2's own:

- ``md_cell``: text fit for one Markdown table cell or list item (``|`` escaped, line breaks as spaces).
"""

from __future__ import annotations

import hashlib
import marshal
import os
import sys
import traceback
import types
from functools import lru_cache
from pathlib import Path
from typing import Any

import jinja2
from jinja2.bccache import Bucket

from klantreis_tui.errors import TemplateProblem
from klantreis_tui.i18n import t
from klantreis_tui.rendering.sandbox import MAX_OUTPUT_CHARS, BoundedSandbox, FolderLoader, TemplateBound, end_render, guarded_filter, start_render

__all__ = ["TemplateProblem"]  # its home is errors.py; imported from here too

BUNDLED_DIR = Path(__file__).parent / "templates"


def md_cell(value: Any) -> str:
    """One line of Markdown that cannot break a table: pipes escaped, line breaks folded."""
    text = " ".join(str(value).split())
    return text.replace("|", "\\|")


def _autoescape(name: str | None) -> bool:
    if name is None:
        return False
    base = name[:-3] if name.endswith(".j2") else name
    return base.endswith((".html", ".htm", ".xhtml", ".svg", ".xml"))


class CompiledTemplates(jinja2.BytecodeCache):
    """The bundled templates' compiled code in a folder of the user's cache: one file per template, opened by a
    line that names what compiled it (jinja2, Python, the code of this module and the sandbox's) and the
    template's checksum; anything else there (another version, a changed template, a damaged or foreign file)
    is compiled again. A user's templates are not kept. Nothing here can fail a render: a folder that cannot be
    written is left alone."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        here = Path(__file__).parent
        made_by = b"".join((here / name).read_bytes() for name in ("templates.py", "sandbox.py"))
        self.magic = (
            f"klantreis templates {jinja2.__version__} {sys.version} {hashlib.sha256(made_by).hexdigest()[:16]}"
        ).encode()

    def get_bucket(self, environment: jinja2.Environment, name: str, filename: str | None, source: str) -> Bucket:
        if filename is None or not Path(filename).resolve().is_relative_to(BUNDLED_DIR.resolve()):
            return Bucket(environment, "", "")  # a user's template: compiled each time, never kept
        return super().get_bucket(environment, name, filename, source)

    def _head(self, bucket: Bucket) -> bytes:
        return self.magic + b" " + bucket.checksum.encode() + b"\n"

    def load_bytecode(self, bucket: Bucket) -> None:
        if not bucket.key:
            return
        try:
            data = (self.folder / f"{bucket.key}.code").read_bytes()
        except OSError:
            return
        head = self._head(bucket)
        if not data.startswith(head):
            return
        try:
            code = marshal.loads(data[len(head):])
        except (EOFError, ValueError, TypeError):
            return
        if isinstance(code, types.CodeType):
            bucket.code = code

    def dump_bytecode(self, bucket: Bucket) -> None:
        if not bucket.key or bucket.code is None:
            return
        path = self.folder / f"{bucket.key}.code"
        partial = path.with_name(f".{path.name}.{os.getpid()}")
        try:
            self.folder.mkdir(parents=True, exist_ok=True, mode=0o700)
            partial.write_bytes(self._head(bucket) + marshal.dumps(bucket.code))
            os.replace(partial, path)  # whole or not at all, also with two processes at once
        except OSError:
            try:
                partial.unlink(missing_ok=True)
            except OSError:  # no folder to remove it from
                pass


def _compiled_templates() -> CompiledTemplates | None:
    from klantreis_tui.paths import user_cache_dir

    try:
        return CompiledTemplates(user_cache_dir() / "templates")
    except OSError:  # this module's own files cannot be read: nothing is kept
        return None


@lru_cache(maxsize=8)
def _environment(user_dir: str | None) -> jinja2.Environment:
    loaders: list[jinja2.BaseLoader] = []
    if user_dir is not None:
        loaders.append(FolderLoader(Path(user_dir)))
    loaders.append(FolderLoader(BUNDLED_DIR))
    env = BoundedSandbox(
        loader=jinja2.ChoiceLoader(loaders),
        undefined=jinja2.StrictUndefined,
        autoescape=_autoescape,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
        bytecode_cache=_compiled_templates(),
    )
    env.filters["md_cell"] = guarded_filter("md_cell", md_cell)
    return env


def environment(user_dir: Path | None = None) -> jinja2.Environment:
    """The environment for ``user_dir`` (built on first use, then reused)."""
    return _environment(str(Path(user_dir).resolve()) if user_dir is not None else None)


def _template_folders(env: jinja2.Environment) -> list[Path]:
    """The folders templates are read from, resolved."""
    loader = env.loader
    assert isinstance(loader, jinja2.ChoiceLoader)
    return [sub.folder for sub in loader.loaders if isinstance(sub, FolderLoader)]


def _location(exc: BaseException, env: jinja2.Environment) -> tuple[str, int] | None:
    """The innermost template file and line in the traceback of ``exc``, if any.

    jinja2 rewrites tracebacks so that frames of template code carry the template's file name and line.
    """
    folders = _template_folders(env)
    found: tuple[str, int] | None = None
    for frame in traceback.extract_tb(exc.__traceback__):
        path = Path(frame.filename)
        in_folder = any(path.resolve().is_relative_to(folder) for folder in folders)
        if frame.lineno and (in_folder or path.name.endswith(".j2")):
            found = (path.name, frame.lineno)
    return found


def render(name: str, context: dict[str, Any], user_dir: Path | None = None) -> str:
    """Render template ``name`` with ``context``; any template error becomes a TemplateProblem."""
    env = environment(user_dir)
    try:
        template = env.get_template(name)
    except TemplateBound as exc:  # the file itself is refused (outside the folder, not a file, too large)
        raise TemplateProblem(name, None, exc.message or str(exc)) from exc
    except jinja2.TemplateSyntaxError as exc:
        raise TemplateProblem(Path(exc.filename or exc.name or name).name, exc.lineno, exc.message or str(exc)) from exc
    except jinja2.TemplateNotFound as exc:
        raise TemplateProblem(name, None, f"template not found: {exc.name}") from exc
    bundled = template.filename is not None and Path(template.filename).resolve().is_relative_to(BUNDLED_DIR.resolve())
    token = start_render(bounded=not bundled)
    try:
        return "".join(template.generate(context)) if bundled else _bounded_text(template, context)
    except TemplateProblem:
        raise
    except jinja2.TemplateSyntaxError as exc:  # an included template that does not parse
        raise TemplateProblem(Path(exc.filename or exc.name or name).name, exc.lineno, exc.message or str(exc)) from exc
    except jinja2.TemplateNotFound as exc:  # {% include %} or {% extends %} of a missing file
        where = _location(exc, env) or (Path(template.filename or name).name, None)
        raise TemplateProblem(where[0], where[1], f"template not found: {exc.name}") from exc
    except Exception as exc:  # undefined variables, and errors raised by expressions in a template
        where = _location(exc, env)
        if where is None:
            raise
        message = exc.message if isinstance(exc, jinja2.TemplateError) and exc.message else str(exc)
        if isinstance(exc, RecursionError):
            message = t('the template calls itself too deeply (a macro or loop that does not end)')
        elif isinstance(exc, MemoryError):
            message = t('the template needs more memory than there is; it was stopped')
        elif not isinstance(exc, jinja2.TemplateError):
            message = f"{type(exc).__name__}: {message}"
        raise TemplateProblem(where[0], where[1], message) from exc
    finally:
        end_render(token)


def _bounded_text(template: jinja2.Template, context: dict[str, Any]) -> str:
    """The output of ``template``, stopped once it passes MAX_OUTPUT_CHARS (escaping can add to the count)."""
    chunks: list[str] = []
    size = 0
    for chunk in template.generate(context):
        size += len(chunk)
        if size > MAX_OUTPUT_CHARS:
            name = Path(template.filename or template.name or "").name
            raise TemplateProblem(name, None, t('the template writes more than {limit} characters; it was stopped', limit=MAX_OUTPUT_CHARS))
        chunks.append(chunk)
    return "".join(chunks)

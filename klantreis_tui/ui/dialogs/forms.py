"""Form dialogs: the base form, a new or edited study, starting an interview, forgetting, the identity entry."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import Any

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.screen import ModalScreen
from textual.widget import Widget
from textual.widgets import Button, Input, Label, Select, Static, TextArea

from klantreis_tui.errors import KlantreisError
from klantreis_tui.i18n import current_language, keyed, t
from klantreis_tui.ui.dialogs.confirm import ConfirmScreen
from klantreis_tui.models.phases import parse_phases
from klantreis_tui.safetext import visible
from klantreis_tui.ui.keys import N_, word_bindings
from klantreis_tui.ui.widgets.footer import StableFooter


class FormScreen(ModalScreen[dict[str, Any] | None]):
    """A form of labelled inputs; Ctrl+S or the button saves, Esc cancels (asking first when something was changed).

    The fields scroll between the title and the buttons, so both stay on screen at 80x24; the focused field is
    scrolled into view with its label. With ``apply`` the values are committed before the form closes: when
    that fails, the form stays open with every edit and says why.
    """

    BINDINGS = [
        Binding("escape", "cancel", N_('Cancel'), id=N_('Cancel')),
        Binding("ctrl+s", "save", N_('Save'), id=N_('Save')),
        Binding("f1", "app.help", N_('Help'), id="form.help"),
    ]

    title_text = ""
    AUTO_FOCUS = "Input, Select"
    save_label = N_('Save')
    save_variant = "primary"

    def __init__(self, apply: Callable[[dict[str, Any]], Any] | None = None):
        lang = current_language()
        super().__init__()
        self.lang = lang
        word_bindings(self)
        self.apply = apply
        self._initial: dict[str, Any] = {}
        self._originals: dict[str, tuple[str, str]] = {}

    def shown(self, widget_id: str, original: str, multiline: bool = False) -> str:
        """``original`` as the field shows it: control characters as visible symbols (the one text rule).
        While the field still holds exactly that, :meth:`value` gives ``original`` back: saving a form
        does not change text the user did not touch."""
        text = visible(original, multiline=multiline)
        self._originals[widget_id] = (text, original)
        return text

    def fields(self) -> ComposeResult:
        yield from ()

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog form"):
            yield Static(Text(visible(self.title_text, multiline=False), style="bold"), classes="dialog-title")
            with VerticalScroll(classes="form-fields"):
                yield from self.fields()
            yield Static("", id="form-error", classes="answer-error")
            with Horizontal(classes="buttons"):
                yield Button(t(self.save_label), id="save", variant=self.save_variant)
                yield Button(t('Cancel'), id="cancel")
        yield StableFooter()

    def on_mount(self) -> None:
        self._initial = self.current_values()
        self.query_one("#form-error", Static).display = False

    def current_values(self) -> dict[str, Any]:
        """What every field holds now, by widget id (to see whether anything was changed)."""
        values: dict[str, Any] = {}
        for widget in self.query(".form-fields Input, .form-fields TextArea, .form-fields Select, .form-fields Checkbox"):
            if isinstance(widget, TextArea):
                values[widget.id or ""] = widget.text
            else:
                values[widget.id or ""] = widget.value  # type: ignore[attr-defined]
        return values

    def changed(self) -> bool:
        return self.current_values() != self._initial

    def set_focus(self, widget: Widget | None, scroll_visible: bool = True, from_app_focus: bool = False) -> None:
        """Focus ``widget``; a field is scrolled into view with its label above it (Textual alone centres the
        input and lets its label scroll out of sight)."""
        super().set_focus(widget, scroll_visible=False, from_app_focus=from_app_focus)
        if widget is not None and scroll_visible:
            self.call_later(self._show_field, widget)

    def _show_field(self, widget: Widget) -> None:
        scroll = widget.parent
        if not isinstance(scroll, VerticalScroll) or "form-fields" not in scroll.classes:
            return  # the buttons: always on screen
        siblings = list(scroll.children)
        index = siblings.index(widget)
        region = widget.virtual_region_with_margin
        if index > 0 and isinstance(siblings[index - 1], Label):
            region = region.union(siblings[index - 1].virtual_region)
        scroll.scroll_to_region(region, animate=False)  # one region: two scrolls in a row would undo each other

    def on_button_pressed(self, event: Button.Pressed) -> None:
        if event.button.id == "save":
            self.action_save()
        else:
            self.action_cancel()

    def on_input_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        self.focus_next()

    def action_cancel(self) -> None:
        if not self.changed():
            self.dismiss(None)
            return

        def decided(discard: bool | None) -> None:
            if discard:
                self.dismiss(None)

        self.app.push_screen(ConfirmScreen(t('Discard the changes in this form?')), decided)

    def error(self, message: str) -> None:
        error = self.query_one("#form-error", Static)
        error.update(Text(visible(message)))
        error.display = bool(message)

    def value(self, widget_id: str) -> str:
        widget = self.query_one(f"#{widget_id}")
        if widget_id in self._originals and isinstance(widget, (TextArea, Input)):
            shown, original = self._originals[widget_id]
            if (widget.text if isinstance(widget, TextArea) else widget.value) == shown:
                return original.strip()
        if isinstance(widget, TextArea):
            return widget.text.strip()
        if isinstance(widget, Select):
            return "" if widget.value is Select.BLANK else str(widget.value)
        assert isinstance(widget, Input)
        return widget.value.strip()

    def validate(self) -> dict[str, Any] | None:
        raise NotImplementedError

    def action_save(self) -> None:
        result = self.validate()
        if result is None:
            return
        if self.apply is not None:
            try:
                self.apply(result)
            except KlantreisError as exc:  # disk full, read-only, a refused quote: nothing stored, edits kept
                self.error(t('NOT saved: {error}', error=exc))
                return
        self.dismiss(result)


class StudyForm(FormScreen):
    """The startdocument of a new study."""

    FIELDS = ("title", "doelgroep", "trigger", "journey_start", "journey_end", "phases", "retention_until")

    def __init__(self, values: dict[str, Any] | None = None, apply: Callable[[dict[str, Any]], Any] | None = None):
        super().__init__(apply)
        self.values = values or {}
        self.title_text = t('Edit study (start document)' if values else 'New study (start document)')

    def fields(self) -> ComposeResult:
        for name in self.FIELDS:
            yield Label(t(keyed(f"study.{name}")))
            value = self.values.get(name)
            if name == "phases":
                yield Input(
                    ", ".join(value or []), id="study-phases",
                    placeholder=t('Empty: the phases of the first interview\'s question set'),
                )
                continue
            yield Input(self.shown(f"study-{name}", "" if value is None else str(value)), id=f"study-{name}")

    def validate(self) -> dict[str, Any] | None:
        values: dict[str, Any] = {name: self.value(f"study-{name}") for name in self.FIELDS}
        values["phases"] = parse_phases(values["phases"])
        if not values["title"]:
            self.error(t('{field} is required.', field=t('Title of the study')))
            return None
        if values["retention_until"]:
            try:
                values["retention_until"] = date.fromisoformat(values["retention_until"])
            except ValueError:
                self.error(t('{field}: enter a date as YYYY-MM-DD.', field=t('Keep until (YYYY-MM-DD)')))
                return None
        else:
            values["retention_until"] = None
        return values


class StartInterviewForm(FormScreen):
    """Choose the question set; the respondent code is proposed; interviewer initials."""

    def __init__(
        self, study_title: str, sets: list[tuple[str, str]], code: str, check: Callable[[str], str | None],
        apply: Callable[[dict[str, Any]], Any] | None = None,
    ):
        super().__init__(apply)
        self.title_text = t('Start interview: {study}', study=study_title)
        self.sets = [(visible(label, multiline=False), value) for label, value in sets]
        self.code = code
        #: why a typed code cannot be used (in words), or None: the services' respondent-code rule
        self.check = check

    def fields(self) -> ComposeResult:
        yield Label(t('Question set'))
        yield Select(self.sets, id="start-set", allow_blank=False, value=self.sets[0][1] if self.sets else Select.BLANK)
        yield Label(t('Respondent code'))
        yield Input(self.code, id="start-code")
        yield Label(t('Interviewer initials'))
        yield Input(id="start-interviewer")

    def validate(self) -> dict[str, Any] | None:
        code = self.value("start-code")
        # the proposed code is not checked again: if another window took it meanwhile, the next free one is given
        problem = None if code == self.code else self.check(code)
        if problem is not None:
            self.error(problem)
            return None
        return {
            "question_set_id": self.value("start-set"),
            "respondent_code": code,
            "interviewer": self.value("start-interviewer"),
        }


class ForgetForm(FormScreen):
    """Forgetting a respondent: what goes, and the code typed as confirmation."""

    save_label = N_('Delete for good')
    save_variant = "error"

    def __init__(self, code: str, what: str):
        super().__init__()
        self.code = code
        self.what = what
        self.title_text = t('Forget respondent {code}?', code=code)

    def fields(self) -> ComposeResult:
        yield Static(Text(visible(self.what)), classes="dialog-text")
        yield Label(t('Type the code {code} to confirm', code=self.code))
        yield Input(id="forget-code")

    def validate(self) -> dict[str, Any] | None:
        if self.value("forget-code") != self.code:
            self.error(t('The code does not match; nothing was deleted.'))
            return None
        return {"code": self.code}


class IdentityForm(FormScreen):
    """The key-table entry of one respondent: shown only when asked for."""

    FIELDS = ("name", "contact", "note")

    def __init__(self, code: str, values: dict[str, str], apply: Callable[[dict[str, Any]], Any] | None = None):
        super().__init__(apply)
        self.values = values
        self.title_text = t('Key table: respondent {code}', code=code)

    def fields(self) -> ComposeResult:
        yield Static(Text(t('Only for contact afterwards. Kept apart from the interview and never part of summaries or exports (unless --include-identities). Clear every field to remove the key.'), style="dim"), classes="dialog-text")
        for name in self.FIELDS:
            yield Label(t(N_("Note") if name == "note" else keyed(f"identity.{name}")))
            yield Input(self.values.get(name, ""), id=f"identity-{name}")

    def validate(self) -> dict[str, Any] | None:
        return {name: self.value(f"identity-{name}") for name in self.FIELDS}

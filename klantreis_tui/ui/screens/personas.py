"""The persona screen: a study's persona's, each with its derived heartbeat per phase and the desired one."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.screen import Screen
from textual.widgets import OptionList, Static
from textual.widgets.option_list import Option

from klantreis_tui.errors import KlantreisError
from klantreis_tui.i18n import current_language, t, tn
from klantreis_tui.models.journey_view import JourneyView, ViewPhase
from klantreis_tui.models.personas import Persona
from klantreis_tui.safetext import visible
from klantreis_tui.services import PersonaGone, Services, curve_cells, score_text
from klantreis_tui.ui.dialogs.confirm import ConfirmScreen
from klantreis_tui.ui.keys import N_, word_bindings
from klantreis_tui.ui.widgets.footer import StableFooter

#: how wide a phase name is shown in the curve (longer ones end in an ellipsis)
PHASE_WIDTH = 12


def _cut(text: str, width: int) -> str:
    text = " ".join(text.split())
    return text if len(text) <= width else text[: width - 1] + "…"


def curve_row(phase: ViewPhase) -> str:
    """One line of the text heartbeat: phase, curve, median (spread) n, and the desired score."""
    score = phase.score
    name = _cut(phase.name, PHASE_WIDTH) + ("?" if not phase.known else "")
    now = f"{score_text(score.median):>5} [{score_text(score.low)}..{score_text(score.high)}]" if score.n else f"{'':>5} {'':<6}"
    wish = f"◇ {score_text(phase.desired)}" if phase.desired is not None else ""
    return f"{name:<{PHASE_WIDTH + 1}} {curve_cells(score, phase.desired)} {now} n={score.n} {wish}".rstrip()


class PersonasScreen(Screen[None]):
    """Left the persona's of the study; right the highlighted one: its card, the heartbeat per phase (the current
    median with its spread and n, and the desired score), and what its respondents met in the highlighted phase."""

    BINDINGS = [
        # the footer holds n, e, w, p and esc at 80 columns; r and g are in the help (r named on a persona
        # without respondents, g on the empty screen)
        Binding("n", "new", N_('New'), id="personas.new"),
        Binding("e", "edit", N_('Edit'), id="personas.edit"),
        Binding("w", "desired", N_('Desired score'), id="personas.desired"),
        Binding("r", "respondents", N_('Respondents'), id="personas.respondents", show=False),
        Binding("g", "proposals", N_('Proposals'), id="personas.proposals", show=False),
        Binding("p", "poster", N_('Poster'), id="personas.poster"),
        Binding("plus,equals_sign", "nudge(1)", N_('Desired +1'), id="personas.desired_up", show=False),
        Binding("minus", "nudge(-1)", N_('Desired -1'), id="personas.desired_down", show=False),
        Binding("shift+up", "move(-1)", N_('Move persona up'), id="personas.move_up", show=False),
        Binding("shift+down", "move(1)", N_('Move persona down'), id="personas.move_down", show=False),
        Binding("delete,ctrl+d", "delete", N_('Delete persona'), id="personas.delete", show=False),
        Binding("escape", "close", N_('Close'), id="personas.close"),
        Binding("f1", "app.help", N_('Help'), id="personas.help", show=False),
    ]

    def __init__(self, services: Services, study_id: str, export_dir: Path | None = None):
        lang = current_language()
        super().__init__()
        self.lang = lang
        self.services = services
        self.study_id = study_id
        self.export_dir = export_dir or Path.cwd() / "klantreis-export"
        self.personas: list[Persona] = []
        self.view: JourneyView | None = None
        #: the journeys computed since the database last changed (``Services.change_mark``), by persona id
        self._views: dict[str, JourneyView] = {}
        self._views_mark: object = None
        #: what the pane and the phase lines show now: a highlight's own message redraws nothing
        self._drawn_persona: tuple[Persona, JourneyView] | None = None
        self._drawn_phase: tuple[JourneyView, int] | None = None
        word_bindings(self)

    def compose(self) -> ComposeResult:
        yield Static("", id="personas-title")
        with Horizontal(id="personas"):
            yield OptionList(id="personas-list")
            with Vertical(id="persona-pane"):
                yield Static("", id="persona-card")
                yield Static(Text(t('● median  ─ spread  ◇ desired  ┊ neutral'), style="dim"), id="persona-legend")
                yield OptionList(id="persona-phases")
                with VerticalScroll(id="persona-phase-scroll"):
                    yield Static("", id="persona-phase")
        yield StableFooter()

    def on_mount(self) -> None:
        title = self.services.study(self.study_id).title
        self.query_one("#personas-title", Static).update(Text(visible(t("Persona's of {study}", study=title)), style="bold"))
        self.query_one("#persona-phases", OptionList).border_title = t('Heartbeat: -2 left, +2 right · n = respondents')
        self.refresh_personas()
        self.query_one("#personas-list", OptionList).focus()

    # --- drawing ---------------------------------------------------------------------------------------

    def current(self) -> Persona | None:
        index = self.query_one("#personas-list", OptionList).highlighted
        return self.personas[index] if index is not None and index < len(self.personas) else None

    def refresh_personas(self, select: str | None = None) -> None:
        """Read the persona's again from the database and draw them (``select``: highlight this one)."""
        keep = select or (self.current().id if self.current() else None)
        self.personas = self.services.personas(self.study_id)
        listing = self.query_one("#personas-list", OptionList)
        listing.clear_options()
        for p in self.personas:
            listing.add_option(Option(Text(visible(_cut(p.name, 40))), id=p.id))
        ids = [p.id for p in self.personas]
        if ids:
            listing.highlighted = ids.index(keep) if keep in ids else 0
        self.show_persona()

    def persona_view(self, persona: Persona) -> JourneyView:
        """The persona's journey, computed once until the database changes (an arrow back to a persona seen
        before reads no interview again)."""
        mark = self.services.change_mark()
        if mark != self._views_mark:
            self._views, self._views_mark = {}, mark
        view = self._views.get(persona.id)
        if view is None:
            # the team's own screen shows what was typed (as the plan screen does); what leaves the laptop is redacted
            view = self._views[persona.id] = self.services.persona_view(persona.id, keep_personal_data=True)
        return view

    def show_persona(self) -> None:
        persona = self.current()
        card = self.query_one("#persona-card", Static)
        phases = self.query_one("#persona-phases", OptionList)
        if persona is None:
            self.view = self._drawn_persona = self._drawn_phase = None
            phases.clear_options()
            card.update(Text(t('No persona yet. n makes one, g shows the proposed groupings of respondents.')))
            self.query_one("#persona-phase", Static).update("")
            return
        try:
            self.view = self.persona_view(persona)
        except KeyError:  # deleted (in another window) since the list was read: read the list again
            if any(p.id == persona.id for p in self.services.personas(self.study_id)):
                raise  # not that: a fault to see
            self.notify(t('This persona no longer exists: it was deleted, perhaps in another window.'), severity="warning", timeout=10)
            self.refresh_personas()
            return
        drawn = self._drawn_persona
        if drawn is not None and drawn[0] == persona and drawn[1] is self.view:
            return  # shown already (the highlight's message after a redraw)
        self._drawn_persona = (persona, self.view)
        keep = phases.highlighted
        phases.clear_options()
        codes = ", ".join(self.view.respondents) or t('none yet (r chooses them)')
        lines = [Text(visible(persona.name), style="bold")]
        lines.append(Text(visible(tn('{n} respondent', '{n} respondents', len(self.view.respondents)) + f": {codes}"
                                  + (f" · {t('Segment')}: {persona.segment}" if persona.segment else ""))))
        for label, value in ((t('Goal'), persona.goal), (t('Context'), persona.context), (t('Story'), persona.story)):
            if value:
                lines.append(Text(visible(f"{label}: {_cut(value, 200)}")))
        card.update(Text("\n").join(lines))
        for phase in self.view.phases:
            phases.add_option(Option(Text(visible(curve_row(phase)))))
        if self.view.phases:
            phases.highlighted = min(keep or 0, len(self.view.phases) - 1)
        self.show_phase()

    def highlighted_phase(self) -> ViewPhase | None:
        index = self.query_one("#persona-phases", OptionList).highlighted
        if self.view is None or index is None or index >= len(self.view.phases):
            return None
        return self.view.phases[index]

    def show_phase(self) -> None:
        phase = self.highlighted_phase()
        box = self.query_one("#persona-phase", Static)
        if phase is None or self.view is None:
            self._drawn_phase = None
            box.update("")
            return
        drawn = (self.view, self.query_one("#persona-phases", OptionList).highlighted or 0)
        if self._drawn_phase is not None and self._drawn_phase[0] is drawn[0] and self._drawn_phase[1] == drawn[1]:
            return
        self._drawn_phase = drawn
        parts: list[str] = [t("In the phase '{phase}':", phase=phase.name)]  # which phase, also when the list has no focus
        if not phase.known:
            parts.append(t('Not one of the study\'s phases.'))
        if phase.score.n == 0:
            parts.append(t('n = 0: no respondent of this persona scored this phase.'))

        def section(label: str, items: tuple[str, ...] | list[str]) -> None:
            if items:
                parts.append(f"{label}: " + "; ".join(items))

        section(t('Main steps'), [s.description for s in phase.steps])
        section(t('Organisations'), phase.organisations)
        section(t('Channels'), phase.channels)
        section(t('Themes'), phase.themes)
        section(t('Pain points'), phase.pain_points)
        section(t('Ideas'), phase.opportunities)
        section(t('Moments of truth'), phase.moments_of_truth)
        section(t('Quotes'), [f"“{q}”" for q in phase.quotes])
        section(t('Desired: ideas'), phase.desired_ideas)
        box.update(Text(visible("\n".join(parts), multiline=True)))

    def on_option_list_option_highlighted(self, event: OptionList.OptionHighlighted) -> None:
        if event.option_list.id == "personas-list":
            self.show_persona()
        elif event.option_list.id == "persona-phases":
            self.show_phase()

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        if event.option_list.id == "personas-list":
            self.query_one("#persona-phases", OptionList).focus()
        elif event.option_list.id == "persona-phases":
            self.action_desired()

    # --- changes: each committed by the services before it is shown -------------------------------------

    def _need_persona(self) -> Persona | None:
        persona = self.current()
        if persona is None:
            self.notify(t('Make a persona first (n).'), severity="warning")
            return None
        try:
            return self.services.persona(persona.id)  # as it is now: another window may have changed or deleted it
        except PersonaGone as exc:
            self.notify(visible(str(exc)), severity="warning", timeout=10)
            self.refresh_personas()
            return None

    def _saved(self, select: str | None = None) -> None:
        self.refresh_personas(select)
        self.notify(t('Saved.'))

    def action_new(self) -> None:
        from klantreis_tui.ui.dialogs.personas import PersonaForm

        made: dict[str, str] = {}

        def apply(values: dict[str, Any]) -> None:
            made["id"] = self.services.create_persona(self.study_id, **values).id

        def done(result: dict[str, Any] | None) -> None:
            if result is not None:
                self._saved(made.get("id"))

        self.app.push_screen(PersonaForm(None, apply), done)

    def action_edit(self) -> None:
        from klantreis_tui.ui.dialogs.personas import PersonaForm

        persona = self._need_persona()
        if persona is None:
            return

        def apply(values: dict[str, Any]) -> None:
            self.services.update_persona(persona.model_copy(update=values))

        def done(result: dict[str, Any] | None) -> None:
            if result is not None:
                self._saved(persona.id)

        self.app.push_screen(PersonaForm(persona, apply), done)

    def action_delete(self) -> None:
        persona = self._need_persona()
        if persona is None:
            return

        def decided(yes: bool | None) -> None:
            if not yes:
                return
            try:
                self.services.delete_persona(persona.id)
            except KlantreisError as exc:
                self.notify(visible(t('NOT saved: {error}', error=exc)), severity="error", timeout=10)
                return
            self.refresh_personas()
            self.notify(visible(t("Persona '{name}' deleted.", name=persona.name)))

        self.app.push_screen(ConfirmScreen(t("Delete persona '{name}'? Its desired journey goes with it; the interviews stay.", name=persona.name)), decided)

    def action_respondents(self) -> None:
        from klantreis_tui.ui.dialogs.personas import RespondentsDialog

        persona = self._need_persona()
        if persona is None:
            return
        chosen = [r.id for r in self.services.persona_respondents(persona.id)]

        def apply(ids: list[str]) -> None:  # committed before the dialog closes; a refusal keeps it open
            self.services.set_persona_respondents(persona.id, ids)

        dialog = RespondentsDialog(persona.name, self.services.study_respondents(self.study_id), chosen,
                                   self.services.propose_personas(self.study_id), apply=apply)

        def done(ids: list[str] | None) -> None:
            if ids is not None:
                self._saved(persona.id)

        self.app.push_screen(dialog, done)

    def action_proposals(self) -> None:
        from klantreis_tui.ui.dialogs.personas import ProposalsDialog
        from klantreis_tui.ui.dialogs.prompt import PromptScreen

        proposals = self.services.propose_personas(self.study_id)
        if not proposals:
            self.notify(t('No proposal: no two respondents share a segment or a journey alike enough.'))
            return

        def chosen(proposal: Any) -> None:
            if proposal is None:
                return

            def named(name: str | None) -> None:
                if not name:
                    return
                try:
                    persona = self.services.accept_persona_proposal(self.study_id, proposal, name)
                except KlantreisError as exc:
                    self.notify(visible(t('NOT saved: {error}', error=exc)), severity="error", timeout=10)
                    return
                self._saved(persona.id)

            self.app.push_screen(PromptScreen(t('Name of the new persona:'), visible(proposal.name, multiline=False)), named)

        self.app.push_screen(ProposalsDialog(proposals), chosen)

    def action_desired(self) -> None:
        from klantreis_tui.ui.dialogs.personas import DesiredForm

        persona, phase = self._need_persona(), self.highlighted_phase()
        if persona is None or phase is None:
            return

        def apply(values: dict[str, Any]) -> None:
            self.services.set_desired(persona.id, phase.name, values["score"], values["ideas"])

        def done(result: dict[str, Any] | None) -> None:
            if result is not None:
                self._saved(persona.id)
                self.query_one("#persona-phases", OptionList).focus()

        self.app.push_screen(DesiredForm(persona.name, phase.name, phase.desired, phase.desired_ideas, apply), done)

    def action_nudge(self, step: int) -> None:
        """Raise or lower the highlighted phase's desired score by one (from the current median when none)."""
        persona, phase = self._need_persona(), self.highlighted_phase()
        if persona is None or phase is None:
            return
        base = phase.desired if phase.desired is not None else (phase.score.median or 0)
        score = int(max(-2, min(2, round(base) + step)))
        try:
            self.services.set_desired(persona.id, phase.name, score, list(phase.desired_ideas))
        except KlantreisError as exc:
            self.notify(visible(t('NOT saved: {error}', error=exc)), severity="error", timeout=10)
            return
        self.show_persona()

    def action_move(self, offset: int) -> None:
        persona = self._need_persona()
        if persona is None:
            return
        try:
            self.services.move_persona(persona.id, offset)
        except KlantreisError as exc:
            self.notify(visible(t('NOT saved: {error}', error=exc)), severity="error", timeout=10)
            return
        self.refresh_personas(persona.id)

    def action_poster(self) -> None:
        """Write the highlighted persona's poster (current and desired heartbeat, redacted) to the export folder:
        HTML to print on A3 landscape, SVG to edit."""
        persona = self._need_persona()
        if persona is None:
            return
        try:
            paths = self.services.export_persona_poster(persona.id, self.export_dir)
        except (OSError, KlantreisError, ValueError) as exc:
            self.notify(t('The poster could not be written: {error}', error=visible(str(exc))), severity="error")
            return
        self.notify(t('Poster written: {paths}', paths=visible(", ".join(str(p) for p in paths))), timeout=10)

    def action_close(self) -> None:
        self.app.pop_screen()

"""The plan screen: a study's improvement plan (verbeterplan), its actions ranked, proposals, and the evidence."""

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

from klantreis_tui.errors import KlantreisError, TemplateProblem
from klantreis_tui.i18n import current_language, t, tn
from klantreis_tui.models.personas import ActionStatus
from klantreis_tui.models.plan import PlanAction, PlanWords
from klantreis_tui.safetext import visible
from klantreis_tui.services import Services
from klantreis_tui.ui.dialogs.action_form import STATUS_WORDS
from klantreis_tui.ui.keys import N_, word_bindings
from klantreis_tui.ui.widgets.footer import StableFooter

#: What a piece of evidence is, worded when shown.
WORD_KINDS = {"pain_point": N_('Pain point'), "idea": N_('Idea'), "quote": N_('Quote')}
#: The link kinds, with the heading of their list and what the list says when it is empty.
LINKS = {
    "theme": (N_('Themes this action answers'), N_('The study has no themes yet: make them in the analysis screen (t on the home screen).')),
    "persona": (N_("Persona's this action answers"), N_("The study has no persona's yet.")),
    "idea": (N_('Ideas this action is drawn from'), N_('No step of this study holds an idea yet.')),
}


class PlanScreen(Screen[None]):
    """Left the actions, ranked by the respondents behind them (top) and the proposals drawn from the study
    (bottom); right what is behind the highlighted one. Tab moves between the lists."""

    BINDINGS = [
        Binding("n", "new", N_('New action'), id="plan.new"),
        Binding("e,enter", "edit", N_('Edit'), id="plan.edit"),
        # the footer holds n, e, s, d and esc at 80 columns; t/p/i and m/h are named in the line above it
        Binding("s", "status", N_('Status'), id="plan.status"),
        Binding("t", "link('theme')", N_('Themes'), id="plan.link_themes", show=False),
        Binding("p", "link('persona')", N_("Persona's"), id="plan.link_personas", show=False),
        Binding("i", "link('idea')", N_('Ideas'), id="plan.link_ideas", show=False),
        Binding("d,delete", "delete", N_('Delete / drop'), id="plan.delete"),
        Binding("minus", "move(-1)", N_('Move up (among equals)'), id="plan.move_up", show=False),
        Binding("plus,equals_sign", "move(1)", N_('Move down (among equals)'), id="plan.move_down", show=False),
        Binding("m", "export('md')", N_('Markdown'), id="plan.export_md", show=False),
        Binding("h", "export('html')", N_('HTML'), id="plan.export_html", show=False),
        Binding("w", "export('docx')", N_('Word'), id="plan.export_docx", show=False),
        Binding("escape", "close", N_('Close'), id="plan.close"),
        Binding("f1", "app.help", N_('Help'), id="plan.help", show=False),
    ]

    def __init__(self, services: Services, study_id: str, export_dir: Path):
        lang = current_language()
        super().__init__()
        self.lang = lang
        self.services = services
        self.study_id = study_id
        self.export_dir = export_dir
        self.entries: list[PlanAction] = []
        self.proposals: list[Any] = []
        #: the list the keys and the evidence pane follow: the one that had focus last (the pane may have it now)
        self.source = "plan-actions"
        #: what the evidence pane shows now (the list and the action or proposal): drawn once per change
        self._drawn: tuple[str, Any] | None = None
        word_bindings(self)

    def compose(self) -> ComposeResult:
        yield Static("", id="plan-title")
        with Horizontal(id="plan"):
            with Vertical(id="plan-lists"):
                yield OptionList(id="plan-actions")
                yield OptionList(id="plan-proposals")
            with VerticalScroll(id="plan-detail-pane"):
                yield Static("", id="plan-detail")
        yield Static("", id="plan-status")
        yield StableFooter()

    def on_mount(self) -> None:
        title = self.services.study(self.study_id).title
        self.query_one("#plan-title", Static).update(Text(visible(t('Improvement plan: {study}', study=title), multiline=False), style="bold"))
        self.query_one("#plan-status", Static).update(Text(
            t('t/p/i links themes, persona\'s, ideas · m/h exports · F1 all keys'), style="dim", no_wrap=True, overflow="ellipsis"))
        self.refresh_lists()
        actions = self.query_one("#plan-actions", OptionList)
        self._data_version = self.services.data_version()
        self.set_interval(2, self.follow_other_windows)
        first = actions if self.entries else self.query_one("#plan-proposals", OptionList)
        self.source = first.id or self.source
        first.focus()
        self.show_detail()  # drawn by refresh_lists already unless the proposals have the focus

    def follow_other_windows(self) -> None:
        """Another window (or command) changed the database: show the plan as it is now."""
        try:
            version = self.services.data_version()
        except KlantreisError:
            return
        if version != self._data_version and self.app.screen is self:
            self._data_version = version
            self.refresh_lists()

    # --- drawing ------------------------------------------------------------------------------

    def refresh_lists(self, select: str | None = None) -> None:
        """Read the plan and the proposals again (after every change, committed) and redraw both lists;
        ``select``: the id of the action to highlight."""
        plan = self.services.improvement_plan(self.study_id, keep_personal_data=True)
        self.total = plan.respondent_count
        self.entries = [*plan.actions, *plan.dropped]
        self.proposals = self.services.action_proposals(self.study_id)
        actions = self.query_one("#plan-actions", OptionList)
        keep = actions.highlighted
        actions.clear_options()
        for entry in self.entries:
            actions.add_option(Option(self._action_label(entry), id=entry.action.id))
        if not self.entries:
            actions.add_option(Option(Text(t('No actions yet: n makes one, Enter on a proposal below turns it into one.'), style="dim"), disabled=True))
        ids = [e.action.id for e in self.entries]
        if select in ids:
            actions.highlighted = ids.index(select)
        elif self.entries:
            actions.highlighted = min(keep or 0, len(self.entries) - 1)
        actions.border_title = tn('Actions ({n})', 'Actions ({n})', len(plan.actions))
        proposals = self.query_one("#plan-proposals", OptionList)
        keep = proposals.highlighted
        proposals.clear_options()
        for proposal in self.proposals:
            proposals.add_option(Option(self._proposal_label(proposal)))
        if not self.proposals:
            proposals.add_option(Option(Text(t('No proposals: every idea and theme of the study has an action.'), style="dim"), disabled=True))
        if self.proposals:
            proposals.highlighted = min(keep or 0, len(self.proposals) - 1)
        proposals.border_title = tn('Proposals ({n})', 'Proposals ({n})', len(self.proposals))
        self.show_detail()

    def _action_label(self, entry: PlanAction) -> Text:
        """Rank and title; respondents and status; the owner (when there is one) on a line of its own."""
        action = entry.action
        dropped = action.status is ActionStatus.dropped
        rank = "  –" if dropped else f"{entry.rank:>3}"
        label = Text(f"{rank} {visible(action.title, multiline=False)}", style="dim strike" if dropped else "bold", no_wrap=True, overflow="ellipsis")
        owner = " · ".join(visible(p, multiline=False) for p in (entry.organisation, action.owner_role) if p)
        second = f"\n    {tn('{n} respondent', '{n} respondents', entry.respondent_count)} · {t(STATUS_WORDS[action.status])}"
        label.append(second + (f"\n    {owner}" if owner else ""), style="dim" if dropped else "")
        return label

    def _proposal_label(self, proposal: Any) -> Text:
        kind = t('Theme') if proposal.kind == "theme" else f"{t('Idea')} {visible(proposal.code, multiline=False)}·{proposal.number}"
        label = Text(f"+ {visible(proposal.title, multiline=False)}", no_wrap=True, overflow="ellipsis")
        label.append(f"\n    {kind} · {tn('{n} respondent', '{n} respondents', proposal.respondent_count)}", style="dim")
        return label

    def highlighted_entry(self) -> PlanAction | None:
        index = self.query_one("#plan-actions", OptionList).highlighted
        return self.entries[index] if index is not None and index < len(self.entries) else None

    def highlighted_proposal(self) -> Any:
        index = self.query_one("#plan-proposals", OptionList).highlighted
        return self.proposals[index] if index is not None and index < len(self.proposals) else None

    def on_proposals(self) -> bool:
        return self.source == "plan-proposals"

    def show_detail(self) -> None:
        """Draw what is behind the highlighted action or proposal; nothing when it is drawn already (the
        lists' highlight messages after a redraw come after ``refresh_lists`` drew it)."""
        shown = (self.source, self.highlighted_proposal() if self.on_proposals() else self.highlighted_entry())
        if self._drawn is not None and self._drawn[0] == shown[0] and self._drawn[1] is shown[1]:
            return
        self._drawn = shown
        detail = self.query_one("#plan-detail", Static)
        if self.on_proposals():
            proposal = self.highlighted_proposal()
            if proposal is None:
                detail.update(Text(t('No proposals: every idea and theme of the study has an action.'), style="dim"))
                return
            text = Text(visible(proposal.title), style="bold")
            text.append("\n" + t('Proposal: Enter makes it an action, d drops it.') + "\n", style="dim")
            self._append_words(text, self.services.proposal_words(self.study_id, proposal))
            detail.update(text)
            return
        entry = self.highlighted_entry()
        if entry is None:
            detail.update(Text(t('No action chosen.'), style="dim"))
            return
        action = entry.action
        text = Text(visible(action.title), style="bold")
        text.append("\n" + t('{n} of {total} respondents', n=entry.respondent_count, total=self.total)
                    + (f" ({visible(', '.join(entry.respondents), multiline=False)})" if entry.respondents else "") + f" · {t(STATUS_WORDS[action.status])}\n")
        facts = [
            (t('Owner'), " · ".join(p for p in (entry.organisation, action.owner_role) if p)),
            (t('Time'), action.time_estimate), (t('Cost'), action.cost_estimate),
            (t('Themes'), ", ".join(entry.themes)), (t("Persona's"), ", ".join(entry.personas)),
        ]
        for label, value in facts:
            text.append(f"{label}: ", style="bold")
            text.append(visible(value or "—", multiline=False) + "\n")
        if action.description:
            text.append(visible(action.description) + "\n")
        self._append_words(text, entry.words)
        detail.update(text)

    def _append_words(self, text: Text, words: list[PlanWords]) -> None:
        text.append("\n" + t('What residents said') + "\n", style="bold underline")
        if not words:
            text.append(t("No residents' words behind this action yet: link it to a theme or an idea.") + "\n", style="dim")
        styles = {"pain_point": "red", "idea": "green", "quote": "italic"}
        for w in words:
            text.append(f"{t(WORD_KINDS[w.kind])} ", style=f"bold {styles[w.kind]}")
            text.append(f"{visible(w.code, multiline=False)} {t('step')} {w.number}: ", style="dim")
            shown = visible(w.text, multiline=False)
            text.append((f"“{shown}”" if w.kind == "quote" else shown) + "\n")

    def on_option_list_option_highlighted(self, event: OptionList.OptionHighlighted) -> None:
        self.show_detail()

    def on_descendant_focus(self, event: Any) -> None:
        if isinstance(event.widget, OptionList) and event.widget.id != self.source:
            self.source = event.widget.id or self.source
            self.show_detail()

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        if event.option_list.id == "plan-proposals":
            self.accept_proposal()
        else:
            self.action_edit()

    # --- changes (each committed before the list shows it) -------------------------------------------

    def _form(self, heading: str, values: dict[str, Any], save: Any) -> None:
        from klantreis_tui.ui.dialogs.action_form import ActionForm

        made: list[Any] = []

        def done(result: dict[str, Any] | None) -> None:
            if result is not None and made:
                self.source = "plan-actions"
                self.query_one("#plan-actions", OptionList).focus()
                self.refresh_lists(select=made[0].id)
                self.notify(t("Saved action '{title}'.", title=made[0].title))

        form = ActionForm(heading, values, self.services.plan_organisations(self.study_id), apply=lambda r: made.append(save(r)))
        self.app.push_screen(form, done)

    def action_new(self) -> None:
        self._form(t('New action'), {}, lambda r: self.services.create_action(self.study_id, **r))

    def accept_proposal(self) -> None:
        proposal = self.highlighted_proposal()
        if proposal is None:
            return
        values = {"title": proposal.title, "description": proposal.description}
        self._form(t('Action from a proposal'), values, lambda r: self.services.accept_action_proposal(self.study_id, proposal, **r))

    def action_edit(self) -> None:
        if self.on_proposals():
            self.accept_proposal()
            return
        entry = self.highlighted_entry()
        if entry is None:
            self.notify(t('Choose an action first (or n for a new one).'), severity="warning")
            return
        action = self.services.action(self.study_id, entry.action.id)  # as stored, not as shown
        values = action.model_dump()
        self._form(t('Edit action'), values, lambda r: self.services.update_action(self.study_id, action.id, **r))

    def _chosen_action(self) -> PlanAction | None:
        entry = None if self.on_proposals() else self.highlighted_entry()
        if entry is None:
            self.notify(t('Choose an action in the upper list first.'), severity="warning")
        return entry

    def action_status(self) -> None:
        entry = self._chosen_action()
        if entry is None:
            return
        try:
            action = self.services.cycle_action_status(self.study_id, entry.action.id)
        except KlantreisError as exc:
            self.notify(str(exc), severity="error")
            self.refresh_lists()
            return
        self.refresh_lists(select=action.id)
        self.notify(t("Status of '{title}': {status}.", title=action.title, status=t(STATUS_WORDS[action.status])))

    def action_link(self, kind: str) -> None:
        from klantreis_tui.ui.dialogs.choose import ChooseScreen

        entry = self._chosen_action()
        if entry is None:
            return
        choices = [(c.label, c.target_id) for c in self.services.link_choices(self.study_id)[kind]]
        chosen = {l.target_id for l in self.services.action_links(self.study_id, entry.action.id) if l.kind == kind}
        heading, empty = LINKS[kind]
        action_id = entry.action.id

        def saved(result: list[str] | None) -> None:
            if result is not None:
                self.refresh_lists(select=action_id)
                self.notify(t('Saved.'))

        apply = lambda ids: self.services.set_action_links(action_id, kind, ids)  # noqa: E731
        self.app.push_screen(ChooseScreen(f"{t(heading)}: {entry.action.title}", choices, chosen, t(empty), apply=apply), saved)

    def action_delete(self) -> None:
        from klantreis_tui.ui.dialogs.confirm import ConfirmScreen

        if self.on_proposals():
            proposal = self.highlighted_proposal()
            if proposal is not None:
                if not self._try(self.services.drop_action_proposal, self.study_id, proposal):
                    return
                self.refresh_lists()
                self.notify(t("Proposal '{title}' dropped: it stays in the plan as dropped (s brings it back).", title=proposal.title))
            return
        entry = self.highlighted_entry()
        if entry is None:
            return

        def confirmed(yes: bool | None) -> None:
            if yes and self._try(self.services.delete_action, entry.action.id):
                self.refresh_lists()
                self.notify(t("Action '{title}' deleted.", title=entry.action.title))

        self.app.push_screen(ConfirmScreen(t("Delete the action '{title}' for good?", title=entry.action.title)), confirmed)

    def action_move(self, delta: int) -> None:
        entry = self._chosen_action()
        if entry is None:
            return
        moved = self._try(self.services.move_action, self.study_id, entry.action.id, delta)
        if moved is None:
            return
        if not moved:
            self.notify(t('An action moves only past one with as many respondents behind it: more respondents rank higher.'), severity="warning")
            return
        self.refresh_lists(select=entry.action.id)

    def _try(self, change: Any, *args: Any) -> Any:
        """Make a change: what it returns (True for nothing); when the database refuses it (disk full,
        read-only) or the action is gone, say so: None."""
        try:
            result = change(*args)
        except KlantreisError as exc:
            self.notify(t('NOT saved: {error}', error=exc), severity="error", timeout=10)
            return None
        return True if result is None else result

    def action_export(self, fmt: str) -> None:
        try:
            path = self.services.export_plan(self.study_id, fmt, self.export_dir)
        except (OSError, TemplateProblem) as exc:
            self.notify(t('Export failed: {error}', error=exc), severity="error")
            return
        self.notify(t('Exported to {path}', path=path), timeout=8)

    def action_close(self) -> None:
        self.dismiss()

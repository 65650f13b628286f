"""The analysis screen: a study's pain points, ideas and quotes as cards, grouped into themes by keyboard."""

from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.screen import Screen
from textual.widgets import Input, OptionList, Static
from textual.widgets.option_list import Option

from klantreis_tui.i18n import current_language, t, tn
from klantreis_tui.services import Services
from klantreis_tui.ui.dialogs.prompt import PromptScreen
from klantreis_tui.ui.keys import N_, word_bindings
from klantreis_tui.ui.widgets.footer import StableFooter

#: The first entry of the theme list: every card (no theme chosen).
ALL = "__all__"
UNASSIGNED = "__none__"
#: What a card holds, worded when shown.
KINDS = {"pain_point": N_('Pain point'), "opportunity": N_('Idea'), "quotes": N_('Quote')}


class AnalysisScreen(Screen[None]):
    """Left the themes (all cards, the unassigned ones, then each theme with its count); right the cards of the
    highlighted entry. Space marks cards or themes; the keys act on the marked ones, else the highlighted one."""

    BINDINGS = [
        Binding("a", "assign", N_('Assign to theme'), id="analysis.assign"),
        Binding("n", "new_theme", N_('New theme'), id="analysis.new_theme"),
        Binding("r", "rename", N_('Rename theme'), id="analysis.rename"),
        Binding("m", "merge", N_('Merge themes'), id="analysis.merge"),
        Binding("s", "split", N_('Split theme'), id="analysis.split"),
        Binding("p", "propose", N_('Propose themes'), id="analysis.propose"),
        Binding("space", "mark", N_('Mark'), id="analysis.mark"),
        Binding("u,ctrl+z", "undo", N_('Undo'), id="analysis.undo"),
        Binding("slash", "filter", N_('Filter'), id="analysis.filter"),
        Binding("escape", "close", N_('Close'), id="analysis.close"),
    ]

    def __init__(self, services: Services, study_id: str):
        super().__init__()
        self.lang = current_language()
        self.services = services
        self.study_id = study_id
        self.filter_text = ""
        self.marked_cards: set[tuple[str, str, int]] = set()
        self.marked_themes: set[str] = set()
        self.view = ALL
        self.assign_to: str | None = None  # the theme "a" assigns to: the last one chosen in the theme list
        word_bindings(self)

    def compose(self) -> ComposeResult:
        yield Static("", id="analysis-title")
        with Horizontal(id="analysis"):
            with Vertical(id="analysis-themes-pane"):
                yield OptionList(id="analysis-themes")
            with Vertical(id="analysis-cards-pane"):
                yield Input(id="analysis-filter", placeholder=t('Filter the cards (Enter)'))
                yield OptionList(id="analysis-cards")
        yield Static("", id="analysis-status")
        yield StableFooter()

    def on_mount(self) -> None:
        self.query_one("#analysis-filter", Input).display = False
        title = self.services.study(self.study_id).title
        self.query_one("#analysis-title", Static).update(Text(t('Analysis: themes of {study}', study=title), style="bold"))
        self.refresh_lists()
        self.query_one("#analysis-cards", OptionList).focus()

    # --- drawing -------------------------------------------------------------------------

    def refresh_lists(self) -> None:
        self.themes = self.services.themes(self.study_id)
        self.evidence = self.services.evidence(self.study_id)
        counts = {th.id: sum(th.id in e.theme_ids for e in self.evidence) for th in self.themes}
        themes = self.query_one("#analysis-themes", OptionList)
        keep = themes.highlighted
        themes.clear_options()
        unassigned = sum(not e.theme_ids for e in self.evidence)
        themes.add_option(Option(tn('All cards ({n})', 'All cards ({n})', len(self.evidence)), id=ALL))
        themes.add_option(Option(tn('Without theme ({n})', 'Without theme ({n})', unassigned), id=UNASSIGNED))
        for th in self.themes:
            mark = "● " if th.id in self.marked_themes else "  "
            themes.add_option(Option(Text(f"{mark}{th.name} ({counts[th.id]})"), id=th.id))
        if keep is not None:
            themes.highlighted = min(keep, themes.option_count - 1)
        ids = {th.id for th in self.themes}
        if self.view not in ids and self.view not in (ALL, UNASSIGNED):
            self.view = ALL
        if self.assign_to not in ids:
            self.assign_to = None
        self.refresh_cards()

    def shown(self) -> list:
        cards = self.evidence
        if self.view == UNASSIGNED:
            cards = [e for e in cards if not e.theme_ids]
        elif self.view != ALL:
            cards = [e for e in cards if self.view in e.theme_ids]
        if self.filter_text:
            words = self.filter_text.casefold().split()
            cards = [e for e in cards if all(w in f"{e.text} {e.code} {e.phase}".casefold() for w in words)]
        return cards

    def refresh_cards(self) -> None:
        names = {th.id: th.name for th in self.themes}
        cards = self.query_one("#analysis-cards", OptionList)
        keep = cards.highlighted
        cards.clear_options()
        self.cards = self.shown()
        for e in self.cards:
            mark = "● " if e.key in self.marked_cards else "  "
            kind = t(KINDS[e.field])
            where = f"{e.code} · {t('step')} {e.number}" + (f" · {e.phase}" if e.phase else "")
            tags = ", ".join(names[i] for i in e.theme_ids if i in names)
            label = Text(f"{mark}{e.text}\n   {kind} · {where}" + (f" · [{tags}]" if tags else ""))
            cards.add_option(Option(label))
        if keep is not None and self.cards:
            cards.highlighted = min(keep, len(self.cards) - 1)
        target = names.get(self.assign_to or "", "")
        self.query_one("#analysis-status", Static).update(Text(
            (t("a assigns to '{theme}'", theme=target) if target else t('Choose a theme on the left (Enter) to assign to'))
            + " · " + tn('{n} card marked', '{n} cards marked', len(self.marked_cards))
        ))

    # --- what the keys act on ---------------------------------------------------------------

    def chosen_cards(self) -> list:
        marked = [e for e in self.evidence if e.key in self.marked_cards]
        if marked:
            return marked
        index = self.query_one("#analysis-cards", OptionList).highlighted
        return [self.cards[index]] if index is not None and index < len(self.cards) else []

    def highlighted_theme(self):  # type: ignore[no-untyped-def]
        themes = self.query_one("#analysis-themes", OptionList)
        if themes.highlighted is None:
            return None
        option_id = themes.get_option_at_index(themes.highlighted).id
        return next((th for th in self.themes if th.id == option_id), None)

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        if event.option_list.id == "analysis-themes":
            self.view = event.option.id or ALL
            if event.option.id not in (ALL, UNASSIGNED):
                self.assign_to = event.option.id
            self.refresh_cards()
            self.query_one("#analysis-cards", OptionList).focus()

    # --- actions -------------------------------------------------------------------------------

    def action_mark(self) -> None:
        if self.focused is self.query_one("#analysis-themes", OptionList):
            theme = self.highlighted_theme()
            if theme is not None:
                self.marked_themes ^= {theme.id}
                self.refresh_lists()
            return
        index = self.query_one("#analysis-cards", OptionList).highlighted
        if index is not None and index < len(self.cards):
            self.marked_cards ^= {self.cards[index].key}
            self.refresh_cards()

    def action_assign(self) -> None:
        """Assign the chosen cards to the theme chosen last; cards all in it already are taken out of it."""
        cards = self.chosen_cards()
        if self.assign_to is None or not cards:
            self.notify(t('Choose a theme on the left (Enter) to assign to'), severity="warning")
            return
        if all(self.assign_to in e.theme_ids for e in cards):
            self.services.unassign(self.study_id, self.assign_to, cards)
        else:
            self.services.assign(self.study_id, self.assign_to, cards)
        self.marked_cards.clear()
        self.refresh_lists()

    def action_new_theme(self) -> None:
        def named(name: str | None) -> None:
            if name:
                cards = [e for e in self.evidence if e.key in self.marked_cards]
                self.assign_to = self.services.accept_theme_proposal(self.study_id, name, cards).id
                self.marked_cards.clear()
                self.refresh_lists()

        self.app.push_screen(PromptScreen(t('Name of the new theme (the marked cards go into it):')), named)

    def action_rename(self) -> None:
        theme = self.highlighted_theme()
        if theme is None:
            self.notify(t('Highlight a theme on the left first.'), severity="warning")
            return

        def named(name: str | None) -> None:
            if name:
                self.services.update_theme(theme.model_copy(update={"name": name}))
                self.refresh_lists()

        self.app.push_screen(PromptScreen(t('New name of the theme:'), theme.name), named)

    def action_merge(self) -> None:
        """The marked themes go into the highlighted one."""
        target = self.highlighted_theme()
        sources = [i for i in self.marked_themes if target is None or i != target.id]
        if target is None or not sources:
            self.notify(t('Mark themes (space) and highlight the theme they go into.'), severity="warning")
            return
        self.services.merge_themes(self.study_id, target.id, sources)
        self.marked_themes.clear()
        self.refresh_lists()

    def action_split(self) -> None:
        """The marked cards of the theme shown leave it for a new theme."""
        theme = next((th for th in self.themes if th.id == self.view), None)
        cards = [e for e in self.evidence if e.key in self.marked_cards]
        if theme is None or not cards:
            self.notify(t('Open a theme (Enter), mark its cards (space) that form a theme of their own.'), severity="warning")
            return

        def named(name: str | None) -> None:
            if name:
                self.services.split_theme(self.study_id, theme.id, name, cards)
                self.marked_cards.clear()
                self.refresh_lists()

        self.app.push_screen(PromptScreen(t('Name of the theme the marked cards go into:')), named)

    def action_propose(self) -> None:
        proposals = self.services.propose_themes(self.study_id)
        for name, cards in proposals:
            self.services.accept_theme_proposal(self.study_id, name, cards)
        self.notify(tn('{n} theme proposed: check, rename, merge or split it.', '{n} themes proposed: check, rename, merge or split them.', len(proposals)))
        self.refresh_lists()

    def action_undo(self) -> None:
        if not self.services.undo_themes(self.study_id):
            self.notify(t('Nothing to undo.'))
        self.refresh_lists()

    def action_filter(self) -> None:
        box = self.query_one("#analysis-filter", Input)
        box.display = True
        box.focus()

    def on_input_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        self.filter_text = event.value.strip()
        self.refresh_cards()
        self.query_one("#analysis-cards", OptionList).focus()

    def action_close(self) -> None:
        box = self.query_one("#analysis-filter", Input)
        if self.focused is box:
            box.display = bool(self.filter_text)
            self.query_one("#analysis-cards", OptionList).focus()
            return
        self.app.pop_screen()

"""The one rule for what leaves the laptop: residents' words and the team's own words of a study, redacted.

Every output (summaries and syntheses in Markdown, HTML and Word, the improvement plan, posters, the Excel
workbook, the REFI-QDA project and codebook, bundles and kits, the team database) is redacted unless the user
asks to keep personal data (``keep_personal_data``, ``--keep-personal-data``): each BSN, IBAN, phone number,
e-mail address, address and person's name becomes its label (``pii.redact``). What counts as no person's name:

- **in every text**: places and organisations (``pii.not_names``: the bundled lists plus the organisations and
  channels of the study's assistant lists, ``not_names``);
- **residents' words** (answers, steps, a respondent's segment and characteristics, the spellings merged into
  an organisation's name) know no other exception: a name a resident said is redacted, also when a persona of
  the study happens to bear it ("mijn zoon Henk");
- **the team's own words** about the study (a persona's name, story, goal, context and segment; the ideas of a
  desired journey; an action's texts; a theme's name and description; the study's start document) also take
  the words of the study's persona names for no person's name. A persona is an archetype the team invented and
  its name is how the team refers to it: "Henk" stays in "Henk, vastgelopen na ontslag", in an action "Henk's
  post ordenen" and in a theme "Henk raakt het overzicht kwijt"; without it every persona would be "[naam]". Any
  other name in those texts is redacted: themes are made from residents' words and may carry a name ("Belt
  mevrouw Jansen terug?" becomes "Belt mevrouw [naam] terug?"), and so may an action or a story.

So a persona's name is the one text that leaves the laptop as the team typed it (its numbers and addresses
aside): the team is to invent it, never borrow a resident's.

The pieces: ``RedactionServices.redactor(study_id, keep)`` gives a study's ``Redactor`` (``residents``, ``team``,
``theme``); ``redacted_themes`` the themes as they leave, told apart; ``redacted`` the text fields of many models
at once (an export's records, with the quick test remembered per batch); ``redact_with`` one value.
"""

from __future__ import annotations

import re
from typing import Any

from klantreis_tui.models.themes import Theme, theme_key
from klantreis_tui.services.base import ServiceBase

#: the words of a persona's name (letters, with hyphens and apostrophes inside a word)
NAME_WORDS = re.compile(r"[^\W\d_]+(?:[-'’][^\W\d_]+)*")


_pii: Any = None


def _personal_data() -> Any:
    """``klantreis_tui.pii``, imported on first use (not when the services are: the first frame needs none of it)
    and then held here, since the quick test runs for every text of an export."""
    global _pii
    if _pii is None:
        from klantreis_tui import pii

        _pii = pii
    return _pii


def might_hold(value: Any, memo: dict[str, bool] | None = None) -> bool:
    """``pii.might_contain`` (False: no personal data at all), remembered per text in ``memo`` (a dict the
    caller keeps for an export: organisations, channels and copied texts recur)."""
    if memo is None:
        return _personal_data().might_contain(value)
    if isinstance(value, str):
        found = memo.get(value)
        if found is None:
            found = memo[value] = _personal_data().might_contain(value)
        return found
    if isinstance(value, list):
        for item in value:
            if might_hold(item, memo):
                return True
        return False
    return _personal_data().might_contain(value)


def redact_with(value: Any, stop: Any, memo: dict[str, bool] | None = None) -> Any:
    """``value`` (a text, or texts nested in lists and dicts) with its personal data replaced by labels;
    ``stop``: what is no person's name (``pii.NotNames``). The same object when there was nothing to redact."""
    if not value or not might_hold(value, memo):  # "", [] and None hold nothing
        return value
    return _personal_data().redact_value(value, stop)


#: texts remembered by ``redacted`` at most (a memo that grows past it starts again: memory stays bounded)
MEMO_LIMIT = 100_000


def redacted(
    models: list[Any], names: tuple[str, ...], stop: Any, memo: dict[str, bool] | None = None,
    cleaned: dict[str, str] | None = None,
) -> list[Any]:
    """The models with personal data in their text fields ``names`` redacted: the same list (and the same
    objects) when there was nothing to redact. ``memo``: the quick test of the texts seen before (a dict
    the caller keeps for an export: organisations, channels, emotion words and copied descriptions recur);
    ``cleaned``: the texts redacted before with the same ``stop`` (kept by the caller per study)."""
    pii = _personal_data()
    memo = {} if memo is None else memo
    cleaned = {} if cleaned is None else cleaned
    if len(memo) > MEMO_LIMIT:
        memo.clear()
    if len(cleaned) > MEMO_LIMIT:
        cleaned.clear()
    might = pii.might_contain

    def text(value: str) -> str:
        """``value`` redacted (itself when it holds nothing)."""
        found = memo.get(value)
        if found is None:
            found = memo[value] = might(value)
        if not found:
            return value
        clean = cleaned.get(value)
        if clean is None:
            clean = cleaned[value] = pii.redact(value, stop)
        return clean

    seen = memo.get
    out: list[Any] | None = None
    for index, model in enumerate(models):
        changes = {}
        for name in names:
            value = getattr(model, name)
            if not value:  # "", [] and None hold nothing
                continue
            kind = type(value)
            if kind is str:
                if seen(value) is False:  # (most texts: known to hold nothing, looked up without a call)
                    continue
                clean: Any = text(value)
            elif kind is list:
                for item in value:
                    if type(item) is not str or seen(item) is not False:
                        break
                else:
                    continue  # texts all known to hold nothing
                if all(type(item) is str for item in value):
                    clean = [text(item) for item in value]
                elif might(value):
                    clean = pii.redact_value(value, stop)
                else:
                    continue
            elif might(value):
                clean = pii.redact_value(value, stop)
            else:
                continue
            if clean != value:
                changes[name] = clean
        if changes:
            if out is None:
                out = list(models)
            out[index] = model.model_copy(update=changes)
    return models if out is None else out


class Redactor:
    """One study's redaction by the rule (see the module); with ``keep`` it gives everything back as it is.

    ``residents(value)`` for residents' words, ``team(value)`` for the team's own words, ``theme(theme)`` for a
    theme's name and description; each takes a text or texts nested in lists."""

    def __init__(self, services: Any, study_id: str, keep: bool = False):
        self.study_id = study_id
        self.keep = keep
        self._services = services
        self._stops: dict[str, Any] = {}
        self._memo: dict[str, bool] = {}

    @property
    def residents_stop(self) -> Any:
        """What is no person's name in residents' words (``not_names``)."""
        if "residents" not in self._stops:
            self._stops["residents"] = self._services.not_names(self.study_id)
        return self._stops["residents"]

    @property
    def team_stop(self) -> Any:
        """What is no person's name in the team's own words (``team_not_names``)."""
        if "team" not in self._stops:
            self._stops["team"] = self._services.team_not_names(self.study_id)
        return self._stops["team"]

    def residents(self, value: Any) -> Any:
        return value if self.keep else redact_with(value, self.residents_stop, self._memo)

    def team(self, value: Any) -> Any:
        return value if self.keep else redact_with(value, self.team_stop, self._memo)

    def theme(self, theme: Theme) -> Theme:
        """The theme with its name and description redacted as the team's words (the same object if unchanged)."""
        name, description = self.team(theme.name), self.team(theme.description)
        if name == theme.name and description == theme.description:
            return theme
        return theme.model_copy(update={"name": name, "description": description})


def distinct_themes(themes: list[Theme]) -> list[Theme]:
    """Two themes of a study that redaction made the same get a number, so a file still tells them apart (and an
    import does not merge them)."""
    seen: set[tuple[str, str]] = set()
    out = []
    for theme in themes:
        name, number = theme.name, 1
        while (theme.study_id, theme_key(name)) in seen:
            number += 1
            name = f"{theme.name} {number}"
        seen.add((theme.study_id, theme_key(name)))
        out.append(theme if name == theme.name else theme.model_copy(update={"name": name}))
    return out


class RedactionServices(ServiceBase):
    """The rule's stop lists and a study's ``Redactor``."""

    def _list_names(self, study_id: str) -> tuple[str, ...]:
        """The organisations and channels of the study's assistant lists (the user's and the study's over the
        bundled ones): from the assistant when it is loaded, else the names alone, its matchers not built (an
        export or a summary only redacts: the same names, a third of a second less)."""
        assistant = self._assistants.get(study_id)  # type: ignore[attr-defined]
        if assistant is not None:
            names = {field: assistant.names(field) for field in ("instances", "channels")}
        else:
            from klantreis_tui.assist.files import list_names

            names = list_names(self._assist_dirs(study_id))  # type: ignore[attr-defined]
        return (*names["instances"], *names["channels"])

    def not_names(self, study_id: str) -> Any:
        """What the name detector must not take for a person in residents' words (``pii.NotNames``): the bundled
        places and organisations plus the organisations and channels of the study's assistant lists (cached per
        list). The typing warning reads the same."""
        from klantreis_tui import pii

        return pii.not_names(self._list_names(study_id))

    def team_not_names(self, study_id: str) -> Any:
        """What the name detector must not take for a person in the team's own words: ``not_names`` plus the
        words of the study's persona names (see the module)."""
        from klantreis_tui import pii

        words = sorted({w for p in self.store.personas_of(study_id) for w in NAME_WORDS.findall(p.name)})
        return pii.not_names((*self._list_names(study_id), *words))

    def redactor(self, study_id: str, keep_personal_data: bool = False) -> Redactor:
        """The study's redaction of what leaves the laptop (nothing redacted when ``keep_personal_data``)."""
        return Redactor(self, study_id, keep_personal_data)

    def redacted_themes(self, study_ids: list[str], keep_personal_data: bool = False) -> list[Theme]:
        """The themes of the studies, in their order, as they leave the laptop: names and descriptions redacted
        as the team's own words, and told apart when redaction made two the same (unless ``keep_personal_data``)."""
        themes = [th for s in study_ids for th in self.store.themes_of(s)]
        if keep_personal_data:
            return themes
        redactors = {s: self.redactor(s) for s in study_ids}
        return distinct_themes([redactors[th.study_id].theme(th) for th in themes])


__all__ = ["NAME_WORDS", "Redactor", "RedactionServices", "distinct_themes", "might_hold", "redact_with", "redacted"]

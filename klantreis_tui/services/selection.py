"""Choosing a study or a respondent by what a user types: an id, a short id (its start), a title or a code."""

from __future__ import annotations

from klantreis_tui.errors import KlantreisError
from klantreis_tui.i18n import counts, t, tn
from klantreis_tui.models.records import Respondent, Study
from klantreis_tui.services.base import ServiceBase
from klantreis_tui.services.home_rows import short_id

#: the fewest characters of an id that are taken as its start
MIN_ID_START = 4


class Ambiguous(KlantreisError):
    """What the user typed matches more than one study or respondent; the message lists them with short ids."""

    def __init__(self, message: str) -> None:
        super().__init__("selection.ambiguous", message)


class NotFound(KlantreisError):
    """No study or respondent matches what the user typed."""

    def __init__(self, message: str) -> None:
        super().__init__("selection.not_found", message)


class SelectionServices(ServiceBase):
    """Studies and respondents by id, short id, title or code, refused with a list when more than one matches."""

    def studies_matching(self, text: str) -> list[Study]:
        """Studies whose id is ``text``, or else whose title is ``text`` or whose id starts with it."""
        studies = [row.study for row in self.store.list_studies()]
        exact = [s for s in studies if s.id == text]
        if exact:
            return exact
        return [s for s in studies if s.title == text or (len(text) >= MIN_ID_START and s.id.startswith(text))]

    def study_line(self, study: Study) -> str:
        """One candidate study: its short id, title, interviews and creation date."""
        count = len(self.store.list_interviews(study.id))
        return f"  {short_id(study.id)}  {study.title}  ({counts.interviews(count)}, {study.created_at:%Y-%m-%d})"

    def resolve_study(self, text: str) -> Study:
        """The one study ``text`` names; NotFound or Ambiguous (with the candidates' short ids) otherwise."""
        found = self.studies_matching(text)
        if not found:
            raise NotFound(t("No study '{study}' (give its title, id or short id).", study=text))
        if len(found) > 1:
            lines = "\n".join(self.study_line(s) for s in found)
            raise Ambiguous(tn("'{text}' matches {n} study; give its short id:", "'{text}' matches {n} studies; give one by its short id, for example --study {example}:", len(found), text=text, example=short_id(found[0].id)) + "\n" + lines)
        return found[0]

    def respondents_matching(self, text: str, study: str | None = None) -> list[tuple[Study, Respondent]]:
        """Respondents with the code ``text`` (or whose id starts with it), in the study ``study`` names or in all."""
        studies = [self.resolve_study(study)] if study else [row.study for row in self.store.list_studies()]
        found = []
        for each in studies:
            for respondent in self.store.respondents_of(each.id):
                if respondent.code == text or respondent.id == text or (
                    len(text) >= MIN_ID_START and respondent.id.startswith(text)
                ):
                    found.append((each, respondent))
        return found

    def resolve_respondent(self, text: str, study: str | None = None) -> tuple[Study, Respondent]:
        """The one respondent ``text`` names (code or short id, within ``study`` if given); NotFound or
        Ambiguous (listing each candidate with its short id and its study's) otherwise."""
        found = self.respondents_matching(text, study)
        if not found:
            where = t(" in study '{study}'", study=study) if study else ""
            raise NotFound(t('No respondent with code {code}{where}.', code=text, where=where))
        if len(found) > 1:
            lines = "\n".join(
                t("  {code}  respondent {short}  in '{study}' (study {study_short})", code=r.code, short=short_id(r.id),
                  study=s.title, study_short=short_id(s.id))
                for s, r in found
            )
            raise Ambiguous(tn("Code {code} matches {n} respondent:", "Code {code} matches {n} respondents; give the respondent's short id, or the study with --study:", len(found), code=text) + "\n" + lines)
        return found[0]

"""The journey of one interview in the shape the deliverables draw (``models.journey_view``): the poster's data."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from datetime import date
from pathlib import Path

from klantreis_tui.i18n import t
from klantreis_tui.models.journey_view import JourneyView, ViewPhase, ViewScore, ViewStep
from klantreis_tui.models.names import CanonicalNames, name_key
from klantreis_tui.models.phases import phase_key, phase_order
from klantreis_tui.models.records import Step
from klantreis_tui.services.base import ServiceBase, file_stem, stamped
from klantreis_tui.services.selection import MIN_ID_START, Ambiguous, NotFound, short_id

#: the poster's formats: a page that prints on A3 landscape, or one standalone SVG per sheet
POSTER_FORMATS = ("html", "svg")


def sheet_paths(path: Path, count: int) -> list[Path]:
    """Where the sheets of an SVG poster go: ``path`` for the first, ``name-2.svg``, ``name-3.svg``... beside it."""
    return [path] + [path.with_name(f"{path.stem}-{n}{path.suffix}") for n in range(2, count + 1)]




def _unique(texts: Iterable[str]) -> tuple[str, ...]:
    return tuple(dict.fromkeys(t for t in (" ".join(s.split()) for s in texts) if t))


class ViewServices(ServiceBase):
    """Journey views: what the poster (and the office formats) of an interview draw."""

    def interview_view(self, interview_id: str, *, redact: bool = True) -> JourneyView:
        """The interview's journey: the study's phases in order (also those no step reached), then the phases
        its steps name that the study's list lacks (``known=False``), then the steps without a phase (a phase
        named "", ``known=False``); organisations and channels under their canonical names; quotes only when
        the respondent consented to their use; personal data in free text redacted unless ``redact`` is False."""
        record = self.protect(self.interview_record(interview_id), keep_personal_data=not redact)  # type: ignore[attr-defined]
        study = record.study
        steps = sorted(record.steps, key=lambda s: s.position)
        quotes_allowed = record.consent("quotes") is True
        names = self.name_map(study.id)  # type: ignore[attr-defined]
        organisations, channels = CanonicalNames(names["instances"]), CanonicalNames(names["channels"])
        order = phase_order(self.study_phases(study.id), (s.phase for s in steps))  # type: ignore[attr-defined]
        grouped: dict[str, list[Step]] = {phase_key(name): [] for name, _ in order}
        for step in steps:
            grouped.setdefault(phase_key(step.phase), []).append(step)
        known = {phase_key(name): (name, in_study) for name, in_study in order}
        if "" in grouped and not grouped[""]:
            del grouped[""]
        theme_names = self._step_themes(study.id, {s.id for s in steps}, keep_personal_data=not redact)
        phases = []
        for key, members in grouped.items():
            name, in_study = known.get(key, ("", False))
            view_steps = tuple(
                ViewStep(
                    description=" ".join(s.description.split()),
                    instances=tuple(organisations(s.instances)),
                    channels=tuple(channels(s.channels)),
                    emotion=s.emotion,
                    pain_point=s.pain_point.strip(),
                    opportunity=s.opportunity.strip(),
                    quotes=_unique(s.quotes) if quotes_allowed else (),
                    moment_of_truth=s.moment_of_truth,
                )
                for s in members
            )
            weights = Counter(name for s in members for name in theme_names.get(s.id, ()))
            phases.append(
                ViewPhase(
                    name=name,
                    known=in_study,
                    steps=view_steps,
                    score=ViewScore.of([s.emotion for s in members if s.emotion is not None]),
                    organisations=_unique(n for s in view_steps for n in s.instances),
                    channels=_unique(c for s in view_steps for c in s.channels),
                    themes=tuple(n for n, _ in sorted(weights.items(), key=lambda item: (-item[1], item[0].casefold()))),
                    pain_points=_unique(s.pain_point for s in view_steps),
                    opportunities=_unique(s.opportunity for s in view_steps),
                    quotes=_unique(q for s in view_steps for q in s.quotes),
                    moments_of_truth=tuple(s.description for s in view_steps if s.moment_of_truth),
                )
            )
        respondent = record.respondent
        subtitle = " · ".join(part for part in (study.title, study.trigger, respondent.segment, respondent.age_band) if part.strip())
        return JourneyView(
            kind="interview",
            title=respondent.code,
            subtitle=" ".join(subtitle.split()),
            phases=tuple(phases),
            respondents=(respondent.code,),
        )

    def _step_themes(self, study_id: str, step_ids: set[str], keep_personal_data: bool = False) -> dict[str, list[str]]:
        """Per step, the names of the themes its pain point or idea is assigned to (quotes are evidence, not
        the weight of a knelpunt), redacted as the team's own words unless ``keep_personal_data``."""
        themes = {th.id: th.name for th in self.redacted_themes([study_id], keep_personal_data)}  # type: ignore[attr-defined]
        found: dict[str, list[str]] = {}
        for link in self.store.theme_links_of(study_id):
            if link.step_id in step_ids and link.theme_id in themes and link.field == "pain_point":
                found.setdefault(link.step_id, []).append(themes[link.theme_id])
        return found

    # --- the poster -------------------------------------------------------------------------------------------

    def poster_documents(self, view: JourneyView, fmt: str, lang: str | None = None, today: date | None = None) -> list[str]:
        """The poster of ``view``: one HTML page holding every sheet, or one SVG document per sheet."""
        from klantreis_tui.formats.poster import poster_html, poster_svgs

        if fmt not in POSTER_FORMATS:
            raise ValueError(fmt)
        return [poster_html(view, lang, today)] if fmt == "html" else poster_svgs(view, lang, today)

    def write_poster(
        self, view: JourneyView, fmt: str, path: Path, lang: str | None = None, today: date | None = None
    ) -> list[Path]:
        """Write the poster to ``path`` (an SVG of several sheets: the next ones beside it, ``-2``, ``-3``);
        every path is checked before anything is written (a folder or a device is refused). Returns the files."""
        from klantreis_tui.exchange import output_target
        from klantreis_tui.services.exchange import write_file

        documents = self.poster_documents(view, fmt, lang, today)
        paths = sheet_paths(path, len(documents))
        for each in paths:
            output_target(each)
        for each, document in zip(paths, documents):
            write_file(each, document.encode("utf-8"))
        return paths

    def poster_interview(self, code: str, study: str | None = None, include_practice: bool = False) -> str:
        """The interview of the respondent with ``code`` (or the start of the respondent's id), within ``study``
        when given; a practice study only when named or ``include_practice``. NotFound or Ambiguous otherwise."""
        ids = set(self.select_interviews(study=study, include_practice=include_practice))  # type: ignore[attr-defined]
        rows = [
            r for r in self.store.list_interviews()
            if r.interview.id in ids and (r.respondent_code == code or (
                len(code) >= MIN_ID_START and r.interview.respondent_id.startswith(code)))
        ]
        if not rows:
            where = t(" in study '{study}'", study=study) if study else ""
            raise NotFound(t("No respondent with code {code}{where}.", code=code, where=where))
        if len(rows) > 1:
            titles = {s.id: s.title for s in (self.store.get_study(r.interview.study_id) for r in rows)}
            lines = "\n".join(
                t("  {code}  interview {short}  in '{study}' (study {study_short})", code=r.respondent_code,
                  short=short_id(r.interview.id), study=titles[r.interview.study_id], study_short=short_id(r.interview.study_id))
                for r in rows
            )
            raise Ambiguous(t("Code {code} matches more than one interview; name the study with --study:", code=code) + "\n" + lines)
        return rows[0].interview.id

    def persona_named(self, name: str, study: str) -> str:
        """The id of the persona called ``name`` (case and spacing do not count; or its id, or the start of its
        id) in the study ``study`` names; NotFound otherwise."""
        found = self.resolve_study(study)  # type: ignore[attr-defined]
        key = name_key(name)
        for persona in self.personas(found.id):  # type: ignore[attr-defined]
            if name_key(persona.name) == key or persona.id == name or (
                len(name) >= MIN_ID_START and persona.id.startswith(name)
            ):
                return persona.id
        raise NotFound(t("No persona '{name}' in study '{study}'.", name=name, study=found.title))

    def export_poster(self, interview_id: str, folder: Path) -> list[Path]:
        """The interview's poster, redacted, into ``folder`` as HTML (to print on A3) and SVG (to edit), under
        a name with the study, the respondent code and the time; returns the files written."""
        study_id = self.store.get_interview(interview_id).study_id
        return self._export_poster(self.interview_view(interview_id), study_id, folder)

    def export_persona_poster(self, persona_id: str, folder: Path) -> list[Path]:
        """The persona's poster (its derived journey, current and desired), redacted, into ``folder`` as HTML
        and SVG, under a name with the study, the persona's name and the time."""
        view = self.persona_view(persona_id)  # type: ignore[attr-defined]
        return self._export_poster(view, self.persona(persona_id).study_id, folder)  # type: ignore[attr-defined]

    def _export_poster(self, view: JourneyView, study_id: str, folder: Path) -> list[Path]:
        title = self.store.get_study(study_id).title
        base = stamped(folder, f"{file_stem(title, view.title)}-poster")
        return [
            *self.write_poster(view, "html", base.with_suffix(".html")),
            *self.write_poster(view, "svg", base.with_suffix(".svg")),
        ]

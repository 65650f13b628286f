"""The database schema as named, append-only migrations (sqlite_utils.Migrations)."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from sqlite_utils import Database, Migrations

MIGRATION_SET = "klantreis"


class _Migrations:
    """The migrations in order, handed to ``sqlite_utils.Migrations`` only when one is to be applied or listed.

    Opening an up-to-date database needs only their names, so sqlite-utils (and click and pluggy, which it
    imports) is not loaded before the first frame.
    """

    def __init__(self, name: str):
        self.name = name
        self.steps: list[tuple[str, Callable[[Any], None]]] = []
        self._built: Migrations | None = None

    def __call__(self, *, name: str) -> Callable[[Callable[[Any], None]], Callable[[Any], None]]:
        def register(function: Callable[[Any], None]) -> Callable[[Any], None]:
            self.steps.append((name, function))
            return function

        return register

    def names(self) -> list[str]:
        return [name for name, _ in self.steps]

    def built(self) -> Migrations:
        if self._built is None:
            from sqlite_utils import Migrations

            self._built = Migrations(self.name)
            for name, function in self.steps:
                self._built(name=name)(function)
        return self._built

    def pending(self, db: Database) -> list[Any]:
        return self.built().pending(db)

    def apply(self, db: Database) -> None:
        self.built().apply(db)

    def applied(self, db: Database) -> list[Any]:
        return self.built().applied(db)


migrations = _Migrations(MIGRATION_SET)

# Append new migrations at the end; never edit or reorder an applied one.


@migrations(name="0001_initial")
def initial(db: Database) -> None:
    db.execute(
        """
        CREATE TABLE studies (
            id TEXT PRIMARY KEY,
            title TEXT NOT NULL,
            doelgroep TEXT NOT NULL DEFAULT '',
            trigger TEXT NOT NULL DEFAULT '',
            journey_start TEXT NOT NULL DEFAULT '',
            journey_end TEXT NOT NULL DEFAULT '',
            retention_until TEXT,
            created_at TEXT NOT NULL
        )
        """
    )
    db.execute(
        """
        CREATE TABLE respondents (
            id TEXT PRIMARY KEY,
            study_id TEXT NOT NULL REFERENCES studies(id) ON DELETE CASCADE,
            code TEXT NOT NULL,
            age_band TEXT NOT NULL DEFAULT '',
            segment TEXT NOT NULL DEFAULT '',
            tags TEXT NOT NULL DEFAULT '[]',
            UNIQUE (study_id, code)
        )
        """
    )
    db.execute(
        """
        CREATE TABLE interviews (
            id TEXT PRIMARY KEY,
            study_id TEXT NOT NULL REFERENCES studies(id) ON DELETE CASCADE,
            respondent_id TEXT NOT NULL REFERENCES respondents(id) ON DELETE CASCADE,
            question_set_id TEXT NOT NULL,
            question_set_version TEXT NOT NULL,
            interviewer TEXT NOT NULL DEFAULT '',
            started_at TEXT NOT NULL,
            ended_at TEXT,
            status TEXT NOT NULL CHECK (status IN ('bezig', 'afgerond', 'afgebroken', 'geen toestemming'))
        )
        """
    )
    db.execute(
        """
        CREATE TABLE consents (
            interview_id TEXT NOT NULL REFERENCES interviews(id) ON DELETE CASCADE,
            item TEXT NOT NULL,
            granted INTEGER NOT NULL CHECK (granted IN (0, 1)),
            text_version TEXT NOT NULL,
            question_set_version TEXT NOT NULL,
            recorded_at TEXT NOT NULL,
            PRIMARY KEY (interview_id, item)
        )
        """
    )
    db.execute(
        """
        CREATE TABLE answers (
            interview_id TEXT NOT NULL REFERENCES interviews(id) ON DELETE CASCADE,
            question_id TEXT NOT NULL,
            step_id TEXT NOT NULL DEFAULT '',
            revision INTEGER NOT NULL CHECK (revision >= 1),
            value TEXT,
            skipped INTEGER NOT NULL DEFAULT 0,
            retracted INTEGER NOT NULL DEFAULT 0,
            recorded_at TEXT NOT NULL,
            PRIMARY KEY (interview_id, question_id, step_id, revision)
        )
        """
    )
    db.execute(
        """
        CREATE TABLE steps (
            id TEXT PRIMARY KEY,
            interview_id TEXT NOT NULL REFERENCES interviews(id) ON DELETE CASCADE,
            position INTEGER NOT NULL,
            phase TEXT NOT NULL DEFAULT '',
            description TEXT NOT NULL DEFAULT '',
            instances TEXT NOT NULL DEFAULT '[]',
            channels TEXT NOT NULL DEFAULT '[]',
            emotion INTEGER CHECK (emotion BETWEEN -2 AND 2),
            emotion_words TEXT NOT NULL DEFAULT '[]',
            quotes TEXT NOT NULL DEFAULT '[]',
            pain_point TEXT NOT NULL DEFAULT '',
            opportunity TEXT NOT NULL DEFAULT '',
            duration TEXT NOT NULL DEFAULT '',
            moment_of_truth INTEGER NOT NULL DEFAULT 0
        )
        """
    )
    db.execute("CREATE INDEX idx_interviews_study ON interviews(study_id)")
    db.execute("CREATE INDEX idx_respondents_study ON respondents(study_id)")
    db.execute("CREATE INDEX idx_steps_interview ON steps(interview_id, position)")


@migrations(name="0002_privacy")
def privacy(db: Database) -> None:
    # the key table: who a respondent code stands for, apart from the interview data
    db.execute(
        """
        CREATE TABLE identities (
            respondent_id TEXT PRIMARY KEY REFERENCES respondents(id) ON DELETE CASCADE,
            name TEXT NOT NULL DEFAULT '',
            contact TEXT NOT NULL DEFAULT '',
            note TEXT NOT NULL DEFAULT '',
            recorded_at TEXT NOT NULL
        )
        """
    )
    # which app instance has an interview open: a second instance shows it as busy
    db.execute(
        """
        CREATE TABLE interview_claims (
            interview_id TEXT PRIMARY KEY REFERENCES interviews(id) ON DELETE CASCADE,
            owner TEXT NOT NULL,
            host TEXT NOT NULL,
            pid INTEGER NOT NULL,
            heartbeat_at TEXT NOT NULL
        )
        """
    )
    # what was deleted for privacy (forget, purge): counts and pseudonymous ids, never content
    db.execute(
        """
        CREATE TABLE privacy_log (
            id INTEGER PRIMARY KEY,
            at TEXT NOT NULL,
            action TEXT NOT NULL,
            detail TEXT NOT NULL
        )
        """
    )


@migrations(name="0003_practice")
def practice(db: Database) -> None:
    # studies made for practice (the example journeys): kept out of exports unless asked, removed in one go
    db.execute(
        """
        CREATE TABLE practice_studies (
            study_id TEXT PRIMARY KEY REFERENCES studies(id) ON DELETE CASCADE
        )
        """
    )


@migrations(name="0004_study_phases")
def study_phases(db: Database) -> None:
    # the journey's phases of a study, in order, as a JSON list
    db.execute("ALTER TABLE studies ADD COLUMN phases TEXT NOT NULL DEFAULT '[]'")


@migrations(name="0005_name_variants")
def name_variants(db: Database) -> None:
    # one name per organisation or channel: a spelling used in a study and the canonical name it stands for
    db.execute(
        """
        CREATE TABLE name_variants (
            study_id TEXT NOT NULL REFERENCES studies(id) ON DELETE CASCADE,
            field TEXT NOT NULL CHECK (field IN ('instances', 'channels')),
            variant_key TEXT NOT NULL,
            variant TEXT NOT NULL,
            canonical TEXT NOT NULL,
            PRIMARY KEY (study_id, field, variant_key)
        )
        """
    )


@migrations(name="0006_themes")
def themes(db: Database) -> None:
    # themes (codes) of a study, and which pain point, idea or quote of which step is assigned to which
    db.execute(
        """
        CREATE TABLE themes (
            id TEXT PRIMARY KEY,
            study_id TEXT NOT NULL REFERENCES studies(id) ON DELETE CASCADE,
            name TEXT NOT NULL,
            description TEXT NOT NULL DEFAULT '',
            colour TEXT NOT NULL DEFAULT '',
            position INTEGER NOT NULL DEFAULT 0
        )
        """
    )
    db.execute(
        """
        CREATE TABLE theme_links (
            theme_id TEXT NOT NULL REFERENCES themes(id) ON DELETE CASCADE,
            step_id TEXT NOT NULL REFERENCES steps(id) ON DELETE CASCADE,
            field TEXT NOT NULL CHECK (field IN ('pain_point', 'opportunity', 'quotes')),
            item INTEGER NOT NULL DEFAULT 0,
            PRIMARY KEY (theme_id, step_id, field, item)
        )
        """
    )
    db.execute("CREATE INDEX idx_themes_study ON themes(study_id, position)")
    db.execute("CREATE INDEX idx_theme_links_step ON theme_links(step_id)")


@migrations(name="0007_personas_and_actions")
def personas_and_actions(db: Database) -> None:
    # persona's of a study, built from chosen respondents; their desired score per phase (gewenste hartslag);
    # the improvement plan's actions, drawn from ideas and themes, answering themes and persona's
    db.execute(
        """
        CREATE TABLE personas (
            id TEXT PRIMARY KEY,
            study_id TEXT NOT NULL REFERENCES studies(id) ON DELETE CASCADE,
            name TEXT NOT NULL,
            story TEXT NOT NULL DEFAULT '',
            goal TEXT NOT NULL DEFAULT '',
            context TEXT NOT NULL DEFAULT '',
            segment TEXT NOT NULL DEFAULT '',
            position INTEGER NOT NULL DEFAULT 0
        )
        """
    )
    db.execute(
        """
        CREATE TABLE persona_respondents (
            persona_id TEXT NOT NULL REFERENCES personas(id) ON DELETE CASCADE,
            respondent_id TEXT NOT NULL REFERENCES respondents(id) ON DELETE CASCADE,
            PRIMARY KEY (persona_id, respondent_id)
        )
        """
    )
    db.execute(
        """
        CREATE TABLE desired_scores (
            persona_id TEXT NOT NULL REFERENCES personas(id) ON DELETE CASCADE,
            phase TEXT NOT NULL,
            score INTEGER CHECK (score BETWEEN -2 AND 2),
            ideas TEXT NOT NULL DEFAULT '[]',
            PRIMARY KEY (persona_id, phase)
        )
        """
    )
    db.execute(
        """
        CREATE TABLE actions (
            id TEXT PRIMARY KEY,
            study_id TEXT NOT NULL REFERENCES studies(id) ON DELETE CASCADE,
            title TEXT NOT NULL,
            description TEXT NOT NULL DEFAULT '',
            organisation TEXT NOT NULL DEFAULT '',
            owner_role TEXT NOT NULL DEFAULT '',
            time_estimate TEXT NOT NULL DEFAULT '',
            cost_estimate TEXT NOT NULL DEFAULT '',
            status TEXT NOT NULL DEFAULT 'proposed'
                CHECK (status IN ('proposed', 'planned', 'in_progress', 'done', 'dropped')),
            position INTEGER NOT NULL DEFAULT 0
        )
        """
    )
    db.execute(
        """
        CREATE TABLE action_links (
            action_id TEXT NOT NULL REFERENCES actions(id) ON DELETE CASCADE,
            kind TEXT NOT NULL CHECK (kind IN ('theme', 'persona', 'idea')),
            -- a theme id, a persona id, or the id of the step whose idea (opportunity) the action is drawn from
            target_id TEXT NOT NULL,
            PRIMARY KEY (action_id, kind, target_id)
        )
        """
    )
    db.execute("CREATE INDEX idx_personas_study ON personas(study_id, position)")
    db.execute("CREATE INDEX idx_actions_study ON actions(study_id, position)")
    db.execute("CREATE INDEX idx_action_links_target ON action_links(kind, target_id)")


def known_migrations() -> list[str]:
    return migrations.names()


SCHEMA_VERSION = len(known_migrations())

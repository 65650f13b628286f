"""The team database for analysts: a separate SQLite file with Dutch tables and views (no key table, no claims).

It is written whole from rows the services prepared (redacted, pseudonymous, quotes only with consent): a new
file through a temporary one, never the working database. Lists are JSON arrays, so that Datasette can facet them.
"""

from __future__ import annotations

import json
import os
import sqlite3
import tempfile
from pathlib import Path
from typing import Any

from klantreis_tui.models import steps as step_fields

#: the Dutch column of each step field; a field added later without one keeps its own name
STEP_COLUMN_NAMES = {
    "phase": "fase", "description": "omschrijving", "instances": "organisaties", "channels": "kanalen",
    "emotion": "beleving", "emotion_words": "gevoelswoorden", "quotes": "citaten", "pain_point": "knelpunt",
    "opportunity": "kans", "duration": "duur", "moment_of_truth": "moment_van_de_waarheid",
}
_SQL_TYPES = {
    step_fields.FieldKind.text: "TEXT NOT NULL DEFAULT ''",
    step_fields.FieldKind.list: "TEXT NOT NULL DEFAULT '[]'",
    step_fields.FieldKind.emotion: "INTEGER",
    step_fields.FieldKind.flag: "INTEGER NOT NULL DEFAULT 0",
}


def step_column(name: str) -> str:
    return STEP_COLUMN_NAMES.get(name, name)


def _schema() -> list[str]:
    step_columns = ",\n".join(f"    {step_column(f.name)} {_SQL_TYPES[f.kind]}" for f in step_fields.FIELDS)
    return [
        """CREATE TABLE onderzoeken (
    id TEXT PRIMARY KEY, korte_id TEXT NOT NULL, titel TEXT NOT NULL, doelgroep TEXT NOT NULL,
    aanleiding TEXT NOT NULL, begin_reis TEXT NOT NULL, einde_reis TEXT NOT NULL, aangemaakt TEXT NOT NULL)""",
        """CREATE TABLE fasen (
    onderzoek_id TEXT NOT NULL REFERENCES onderzoeken(id), volgorde INTEGER NOT NULL, fase TEXT NOT NULL,
    PRIMARY KEY (onderzoek_id, fase))""",
        """CREATE TABLE respondenten (
    id TEXT PRIMARY KEY, onderzoek_id TEXT NOT NULL REFERENCES onderzoeken(id), code TEXT NOT NULL,
    leeftijdsgroep TEXT NOT NULL, segment TEXT NOT NULL, labels TEXT NOT NULL DEFAULT '[]')""",
        """CREATE TABLE interviews (
    id TEXT PRIMARY KEY, naam TEXT NOT NULL, onderzoek_id TEXT NOT NULL REFERENCES onderzoeken(id),
    respondent_id TEXT NOT NULL REFERENCES respondenten(id), vragenlijst TEXT NOT NULL,
    vragenlijst_versie TEXT NOT NULL, interviewer TEXT NOT NULL, datum TEXT NOT NULL, status TEXT NOT NULL,
    toestemming_citaten INTEGER NOT NULL)""",
        f"""CREATE TABLE stap (
    id TEXT PRIMARY KEY, interview_id TEXT NOT NULL REFERENCES interviews(id), positie INTEGER NOT NULL,
{step_columns})""",
        """CREATE TABLE antwoorden (
    interview_id TEXT NOT NULL REFERENCES interviews(id), vraag_id TEXT NOT NULL, vraag TEXT NOT NULL,
    antwoord TEXT, PRIMARY KEY (interview_id, vraag_id))""",
        "CREATE INDEX idx_stap_interview ON stap(interview_id, positie)",
        # --- the views an analyst reads: names, not ids; in journey order --------------------------------
        f"""CREATE VIEW stappen AS
SELECT o.titel AS onderzoek, r.code AS respondent, r.segment, s.positie, s.{step_column('phase')} AS fase,
    s.{step_column('description')} AS omschrijving, s.{step_column('instances')} AS organisaties,
    s.{step_column('channels')} AS kanalen, s.{step_column('emotion')} AS beleving,
    s.{step_column('pain_point')} AS knelpunt, s.{step_column('opportunity')} AS kans,
    s.{step_column('duration')} AS duur, s.{step_column('moment_of_truth')} AS moment_van_de_waarheid,
    s.{step_column('quotes')} AS citaten, o.id AS onderzoek_id, i.id AS interview_id
FROM stap s JOIN interviews i ON i.id = s.interview_id JOIN respondenten r ON r.id = i.respondent_id
JOIN onderzoeken o ON o.id = i.onderzoek_id
ORDER BY o.titel, r.code, s.positie""",
        """CREATE VIEW knelpunten AS
SELECT onderzoek, respondent, segment, positie, fase, omschrijving, knelpunt, beleving, organisaties
FROM stappen WHERE knelpunt != '' ORDER BY onderzoek, coalesce(beleving, 0), respondent, positie""",
        """CREATE VIEW kansen AS
SELECT onderzoek, respondent, segment, positie, fase, omschrijving, kans, beleving, organisaties
FROM stappen WHERE kans != '' ORDER BY onderzoek, respondent, positie""",
        """CREATE VIEW hartslag_per_fase AS
SELECT st.onderzoek, st.fase, coalesce(f.volgorde, 999) AS volgorde, count(*) AS stappen,
    count(DISTINCT st.respondent) AS respondenten, count(st.beleving) AS met_beleving,
    round(avg(st.beleving), 2) AS gemiddelde_beleving, min(st.beleving) AS laagste, max(st.beleving) AS hoogste,
    sum(st.knelpunt != '') AS knelpunten
FROM stappen st LEFT JOIN fasen f ON f.onderzoek_id = st.onderzoek_id AND f.fase = st.fase
GROUP BY st.onderzoek_id, st.fase ORDER BY st.onderzoek, volgorde, st.fase""",
        """CREATE VIEW organisaties_per_stap AS
SELECT st.onderzoek, st.respondent, st.positie, st.fase, j.value AS organisatie, st.beleving, st.knelpunt
FROM stappen st, json_each(st.organisaties) j ORDER BY st.onderzoek, st.respondent, st.positie, j.value""",
        """CREATE VIEW interviews_per_segment AS
SELECT o.titel AS onderzoek, CASE r.segment WHEN '' THEN '(geen segment)' ELSE r.segment END AS segment,
    count(*) AS interviews, sum(i.status = 'afgerond') AS afgerond, count(DISTINCT r.id) AS respondenten,
    (SELECT count(*) FROM stap s JOIN interviews i2 ON i2.id = s.interview_id
        JOIN respondenten r2 ON r2.id = i2.respondent_id
        WHERE i2.onderzoek_id = o.id AND r2.segment = r.segment) AS stappen
FROM interviews i JOIN respondenten r ON r.id = i.respondent_id JOIN onderzoeken o ON o.id = i.onderzoek_id
GROUP BY o.id, r.segment ORDER BY o.titel, interviews DESC, segment""",
    ]


def _insert(conn: sqlite3.Connection, table: str, rows: list[dict[str, Any]]) -> None:
    if not rows:
        return
    columns = list(rows[0])
    conn.executemany(
        f"INSERT INTO [{table}] ({', '.join(columns)}) VALUES ({', '.join('?' for _ in columns)})",
        [[_cell(row[c]) for c in columns] for row in rows],
    )


def _cell(value: Any) -> Any:
    if isinstance(value, (list, dict)):
        return json.dumps(value, ensure_ascii=False)
    if isinstance(value, bool):
        return int(value)
    return value


def is_team_database(path: Path) -> bool:
    """Whether ``path`` holds a team database this module wrote (so that publishing may replace it)."""
    try:
        if not path.read_bytes()[:16].startswith(b"SQLite format 3"):
            return False
        conn = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
        try:
            names = {row[0] for row in conn.execute("SELECT name FROM sqlite_master")}
        finally:
            conn.close()
    except (OSError, sqlite3.Error):
        return False
    return {"onderzoeken", "stap", "stappen", "hartslag_per_fase"} <= names and "identities" not in names


def write_team_database(path: Path, tables: dict[str, list[dict[str, Any]]]) -> None:
    """Write a new team database at ``path`` (replacing one there) from rows per table; steps by their field
    names (``phase``, ...), the other tables by their Dutch columns. Never a half-written file."""
    path.parent.mkdir(parents=True, exist_ok=True)
    handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    os.close(handle)
    try:
        conn = sqlite3.connect(temporary)
        try:
            conn.execute("PRAGMA journal_mode = DELETE")
            with conn:
                for statement in _schema():
                    conn.execute(statement)
                steps = [
                    {**{k: v for k, v in row.items() if k not in step_fields.NAMES},
                     **{step_column(name): row[name] for name in step_fields.NAMES}}
                    for row in tables.get("stap", [])
                ]
                for table in ("onderzoeken", "fasen", "respondenten", "interviews", "antwoorden"):
                    _insert(conn, table, tables.get(table, []))
                _insert(conn, "stap", steps)
        finally:
            conn.close()
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise

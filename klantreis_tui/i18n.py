"""User-facing texts in Dutch (default) and English, looked up by key."""

from __future__ import annotations

import os

LANGUAGES = ("nl", "en")
DEFAULT_LANGUAGE = "nl"

_current = DEFAULT_LANGUAGE

MESSAGES: dict[str, dict[str, str]] = {
    # --- question-set loader ---------------------------------------------------------
    "qs.unreadable": {
        "nl": "het bestand kan niet worden gelezen: {error}",
        "en": "the file cannot be read: {error}",
    },
    "qs.not_utf8": {
        "nl": "het bestand is geen UTF-8-tekst",
        "en": "the file is not UTF-8 text",
    },
    "qs.yaml_syntax": {
        "nl": "geen geldige YAML: {error} (tip: zet tekst met ? : , # of {{ }} tussen dubbele aanhalingstekens)",
        "en": "not valid YAML: {error} (hint: put text with ? : , # or {{ }} in double quotes)",
    },
    "qs.yaml_context": {
        "nl": "{problem} (dit blok begon op regel {line})",
        "en": "{problem} (this block started on line {line})",
    },
    "qs.alias": {
        "nl": "YAML-verwijzingen (&anker en *alias) naar lijsten of mappings worden niet ondersteund",
        "en": "YAML references (&anchor and *alias) to lists or mappings are not supported",
    },
    "qs.condition_tests": {
        "nl": "een voorwaarde heeft precies één toets nodig (equals, not_equals, one_of, contains, at_least, at_most of answered); hier: {count}",
        "en": "a condition needs exactly one test (equals, not_equals, one_of, contains, at_least, at_most or answered); here: {count}",
    },
    "qs.invalid_regex": {
        "nl": "ongeldige reguliere expressie: {error}",
        "en": "invalid regular expression: {error}",
    },
    "qs.version_quotes": {
        "nl": "de versie moet tekst zijn: zet hem tussen aanhalingstekens, bijvoorbeeld \"{value}\"",
        "en": "the version must be text: put it in quotes, for example \"{value}\"",
    },
    "qs.bad_set_id": {
        "nl": "ongeldige id {value!r}: gebruik kleine letters, cijfers, - en _ (begin met een letter of cijfer)",
        "en": "invalid id {value!r}: use lower-case letters, digits, - and _ (start with a letter or digit)",
    },
    "qs.not_mapping": {
        "nl": "het bestand moet een YAML-mapping met sleutels zijn (id, version, title, ...)",
        "en": "the file must be a YAML mapping with keys (id, version, title, ...)",
    },
    "qs.duplicate_key": {
        "nl": "sleutel '{key}' staat twee keer in dezelfde mapping (ook op regel {first})",
        "en": "key '{key}' appears twice in the same mapping (also on line {first})",
    },
    "qs.unknown_key": {"nl": "onbekende sleutel", "en": "unknown key"},
    "qs.missing_key": {"nl": "verplichte sleutel ontbreekt", "en": "required key is missing"},
    "qs.missing_dutch": {
        "nl": "Nederlandse tekst ontbreekt (sleutel 'nl')",
        "en": "Dutch text is missing (key 'nl')",
    },
    "qs.bad_enum": {
        "nl": "ongeldige waarde {value!r}; kies uit: {options}",
        "en": "invalid value {value!r}; choose from: {options}",
    },
    "qs.bad_value": {"nl": "ongeldige waarde: {error}", "en": "invalid value: {error}"},
    "qs.bad_id": {
        "nl": "ongeldige id {value!r}: gebruik kleine letters, cijfers en _ (begin met een letter)",
        "en": "invalid id {value!r}: use lower-case letters, digits and _ (start with a letter)",
    },
    "qs.duplicate_question": {
        "nl": "vraag-id '{id}' komt al eerder voor (regel {first})",
        "en": "question id '{id}' is already used (line {first})",
    },
    "qs.duplicate_section": {
        "nl": "sectie-id '{id}' komt al eerder voor (regel {first})",
        "en": "section id '{id}' is already used (line {first})",
    },
    "qs.duplicate_choice": {
        "nl": "keuzewaarde '{value}' staat twee keer in deze lijst",
        "en": "choice value '{value}' appears twice in this list",
    },
    "qs.empty_section": {
        "nl": "sectie '{id}' heeft geen vragen",
        "en": "section '{id}' has no questions",
    },
    "qs.no_sections": {"nl": "de vragenlijst heeft geen secties", "en": "the question set has no sections"},
    "qs.unknown_choice_list": {
        "nl": "keuzelijst '{name}' bestaat niet (bekend: {known})",
        "en": "choice list '{name}' does not exist (known: {known})",
    },
    "qs.choices_missing": {
        "nl": "een vraag van soort '{kind}' heeft keuzes nodig (sleutel 'choices')",
        "en": "a question of kind '{kind}' needs choices (key 'choices')",
    },
    "qs.choices_not_allowed": {
        "nl": "alleen keuzevragen hebben 'choices'",
        "en": "only choice questions have 'choices'",
    },
    "qs.condition_unknown": {
        "nl": "de voorwaarde noemt vraag '{id}', die niet bestaat",
        "en": "the condition names question '{id}', which does not exist",
    },
    "qs.condition_later": {
        "nl": "de voorwaarde noemt vraag '{id}', die pas later (of nu) wordt gesteld",
        "en": "the condition names question '{id}', which is asked later (or now)",
    },
    "qs.second_section_kind": {
        "nl": "er mag maar één sectie van soort '{kind}' zijn (de eerste staat op regel {first})",
        "en": "only one section of kind '{kind}' is allowed (the first is on line {first})",
    },
    "qs.consent_not_first": {
        "nl": "de toestemmingssectie moet de eerste sectie zijn",
        "en": "the consent section must be the first section",
    },
    "qs.consent_no_participation": {
        "nl": "de toestemmingssectie moet een vraag met 'consent: participation' hebben",
        "en": "the consent section needs a question with 'consent: participation'",
    },
    "qs.consent_not_yes_no": {
        "nl": "toestemmingsvragen moeten van soort 'yes_no' zijn",
        "en": "consent questions must be of kind 'yes_no'",
    },
    "qs.consent_outside": {
        "nl": "'consent' mag alleen in de toestemmingssectie staan",
        "en": "'consent' is only allowed in the consent section",
    },
    "qs.consent_version_missing": {
        "nl": "de toestemmingssectie heeft een 'text_version' nodig",
        "en": "the consent section needs a 'text_version'",
    },
    "qs.unknown_step_field": {
        "nl": "stapveld '{field}' bestaat niet (bekend: {known})",
        "en": "step field '{field}' does not exist (known: {known})",
    },
    "qs.unknown_respondent_field": {
        "nl": "respondentveld '{field}' bestaat niet (bekend: {known})",
        "en": "respondent field '{field}' does not exist (known: {known})",
    },
    "qs.field_kind": {
        "nl": "veld '{field}' past niet bij vraagsoort '{kind}' (past wel: {kinds})",
        "en": "field '{field}' does not fit question kind '{kind}' (fits: {kinds})",
    },
    "qs.field_twice": {
        "nl": "veld '{field}' wordt al gevuld door vraag '{other}'",
        "en": "field '{field}' is already filled by question '{other}'",
    },
    "qs.min_over_max": {
        "nl": "de ondergrens is groter dan de bovengrens",
        "en": "the lower limit is above the upper limit",
    },
    "qs.duplicate_set_id": {
        "nl": "vragenlijst-id '{id}' wordt ook gebruikt door {other}",
        "en": "question set id '{id}' is also used by {other}",
    },
    "qs.summary_ok": {"nl": "{path}: in orde ({id} versie {version})", "en": "{path}: OK ({id} version {version})"},
    "qs.summary_problems": {
        "nl": "{path}: {count} probleem/problemen",
        "en": "{path}: {count} problem(s)",
    },
    # --- answer validation ----------------------------------------------------------
    "answer.required": {"nl": "Deze vraag is verplicht.", "en": "This question is required."},
    "answer.not_number": {"nl": "Vul een getal in.", "en": "Enter a number."},
    "answer.not_date": {
        "nl": "Vul een datum in als JJJJ-MM-DD.",
        "en": "Enter a date as YYYY-MM-DD.",
    },
    "answer.not_yes_no": {"nl": "Antwoord met ja of nee.", "en": "Answer yes or no."},
    "answer.bad_choice": {
        "nl": "Kies een van: {options}.",
        "en": "Choose one of: {options}.",
    },
    "answer.bad_emotion": {
        "nl": "Kies een score van -2 tot en met +2.",
        "en": "Choose a score from -2 to +2.",
    },
    "answer.cannot_skip": {
        "nl": "Een verplichte vraag kan niet worden overgeslagen.",
        "en": "A required question cannot be skipped.",
    },
    # --- storage --------------------------------------------------------------------
    "db.newer": {
        "nl": (
            "De database {path} is gemaakt met een nieuwere versie van klantreis (schemaversie {found}, "
            "deze versie kent tot en met {known}). Er is niets gewijzigd. Werk klantreis bij om deze "
            "database te openen."
        ),
        "en": (
            "The database {path} was written by a newer version of klantreis (schema version {found}; "
            "this version knows up to {known}). Nothing was changed. Upgrade klantreis to open it."
        ),
    },
    "db.damaged": {
        "nl": (
            "De database {path} kan niet worden geopend: het bestand is beschadigd of geen "
            "klantreis-database ({error}). Er is niets gewijzigd."
        ),
        "en": (
            "The database {path} cannot be opened: the file is damaged or not a klantreis database "
            "({error}). Nothing was changed."
        ),
    },
    "db.unwritable": {
        "nl": "De database {path} kan niet worden aangemaakt of geopend: {error}",
        "en": "The database {path} cannot be created or opened: {error}",
    },
    "db.write_failed": {
        "nl": "Niet opgeslagen: de database {path} weigert de wijziging ({error}). Er is niets gewijzigd; probeer het opnieuw.",
        "en": "Not saved: the database {path} refused the change ({error}). Nothing was changed; try again.",
    },
    "db.foreign": {
        "nl": (
            "Het bestand {path} is een SQLite-database van een ander programma (tabellen: {tables}). "
            "klantreis gebruikt het niet; kies een ander pad met --db."
        ),
        "en": (
            "The file {path} is an SQLite database of another program (tables: {tables}). "
            "klantreis will not use it; choose another path with --db."
        ),
    },
    # --- command line -----------------------------------------------------------------
    "cli.description": {
        "nl": "klantreis: klantreisinterviews afnemen, vastleggen en uitwerken.",
        "en": "klantreis: run, record and write up customer-journey interviews.",
    },
    "cli.error": {"nl": "klantreis: fout: {message}", "en": "klantreis: error: {message}"},
    "cli.db_info.path": {"nl": "Database", "en": "Database"},
    "cli.db_info.schema": {"nl": "Schemaversie", "en": "Schema version"},
    "cli.db_info.counts": {"nl": "Aantallen", "en": "Counts"},
    "cli.db_info.missing": {
        "nl": "De database {path} bestaat (nog) niet. Start klantreis om hem aan te maken.",
        "en": "The database {path} does not exist (yet). Start klantreis to create it.",
    },
    "cli.qs.none": {"nl": "Geen vragenlijsten gevonden.", "en": "No question sets found."},
    "cli.qs.not_found": {"nl": "{path}: bestaat niet", "en": "{path}: does not exist"},
    "cli.qs.header": {
        "nl": "{id:<28} {version:<8} {questions:>7}  {title}",
        "en": "{id:<28} {version:<8} {questions:>7}  {title}",
    },
    "cli.qs.columns": {"nl": "id|versie|vragen|titel", "en": "id|version|questions|title"},
    # --- app ------------------------------------------------------------------------
    "app.title": {"nl": "klantreis", "en": "klantreis"},
    "home.studies": {"nl": "Onderzoeken", "en": "Studies"},
    "home.interviews": {"nl": "Interviews", "en": "Interviews"},
    "home.empty": {
        "nl": "Nog geen onderzoeken. Druk op n om een onderzoek aan te maken.",
        "en": "No studies yet. Press n to create a study.",
    },
    "home.no_interviews": {"nl": "Nog geen interviews in dit onderzoek.", "en": "No interviews in this study yet."},
    "home.col.respondent": {"nl": "Respondent", "en": "Respondent"},
    "home.col.question_set": {"nl": "Vragenlijst", "en": "Question set"},
    "home.col.status": {"nl": "Status", "en": "Status"},
    "home.col.date": {"nl": "Datum", "en": "Date"},
    "home.col.steps": {"nl": "Stappen", "en": "Steps"},
    "home.col.study": {"nl": "Onderzoek", "en": "Study"},
    "home.col.count": {"nl": "Interviews", "en": "Interviews"},
    "home.filter": {"nl": "Filter (respondent, status, vragenlijst)", "en": "Filter (respondent, status, question set)"},
    "status.bezig": {"nl": "bezig", "en": "in progress"},
    "status.afgerond": {"nl": "afgerond", "en": "completed"},
    "status.afgebroken": {"nl": "afgebroken", "en": "abandoned"},
    "status.geen toestemming": {"nl": "geen toestemming", "en": "no consent"},
    "key.quit": {"nl": "Afsluiten", "en": "Quit"},
    "key.help": {"nl": "Help", "en": "Help"},
    "key.filter": {"nl": "Filter", "en": "Filter"},
}


def set_language(lang: str) -> None:
    """Choose the language of user-facing texts for this process."""
    global _current
    if lang not in LANGUAGES:
        raise ValueError(lang)
    _current = lang


def current_language() -> str:
    return _current


def language_from_env(default: str = DEFAULT_LANGUAGE) -> str:
    lang = os.environ.get("KLANTREIS_LANG", default)
    return lang if lang in LANGUAGES else default


def t(msg_id: str, lang: str | None = None, **values: object) -> str:
    """The text for ``msg_id`` in ``lang`` (default: the current language), formatted with ``values``."""
    entry = MESSAGES[msg_id]
    text = entry.get(lang or _current) or entry[DEFAULT_LANGUAGE]
    return text.format(**values) if values else text

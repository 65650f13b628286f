"""User-facing texts in Dutch (default) and English, looked up by key."""

from __future__ import annotations

import os

from klantreis_tui.errors import KlantreisError, set_describer

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
        "nl": "veld '{field}' bestaat niet buiten de stappenlus (bekend: {known})",
        "en": "field '{field}' does not exist outside the step loop (known: {known})",
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
    # --- the assistant's word lists ----------------------------------------------------
    "assist.not_mapping": {
        "nl": "het bestand moet een YAML-mapping zijn met de sleutel(s): {keys}",
        "en": "the file must be a YAML mapping with the key(s): {keys}",
    },
    "assist.unknown_key": {"nl": "onbekende sleutel (bekend: {known})", "en": "unknown key (known: {known})"},
    "assist.alias_empty": {"nl": "een leeg patroon", "en": "an empty pattern"},
    "assist.alias_paren": {
        "nl": "haakjes in {alias!r} zijn niet goed gesloten (of genest)",
        "en": "the brackets in {alias!r} are not closed properly (or nested)",
    },
    "assist.alias_star": {
        "nl": "in {alias!r} mag * alleen aan het eind van een woord staan, buiten haakjes",
        "en": "in {alias!r}, * may only end a word, outside brackets",
    },
    "assist.alias_gap": {
        "nl": "in {alias!r} moet ... tussen twee woorden staan, buiten haakjes",
        "en": "in {alias!r}, ... must stand between two words, outside brackets",
    },
    "assist.alias_context": {
        "nl": "in {alias!r} mag [woord|woord] alleen vooraan staan, met gewone woorden erin",
        "en": "in {alias!r}, [word|word] may only start the alias and hold plain words",
    },
    "assist.alias_many": {
        "nl": "{alias!r} geeft meer dan {limit} combinaties; splits het op",
        "en": "{alias!r} gives more than {limit} combinations; split it up",
    },
    "assist.alias_taken": {
        "nl": "{alias!r} staat ook bij '{other}'",
        "en": "{alias!r} also belongs to '{other}'",
    },
    "assist.unknown_parent": {
        "nl": "part_of noemt '{name}', maar die staat niet in de lijst",
        "en": "part_of names '{name}', which is not in the list",
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
    # --- damaged databases and backups (storage/backup.py) ------------------------------
    "db.damaged_backup": {
        "nl": (
            "De database {path} kan niet worden geopend: het bestand is beschadigd of geen "
            "klantreis-database ({error}). Er is niets gewijzigd. De laatste reservekopie is {backup} "
            "({when}); zet die terug met: klantreis restore --db \"{path}\" \"{backup}\""
        ),
        "en": (
            "The database {path} cannot be opened: the file is damaged or not a klantreis database "
            "({error}). Nothing was changed. The latest backup is {backup} ({when}); restore it with: "
            "klantreis restore --db \"{path}\" \"{backup}\""
        ),
    },
    "db.truncated": {
        "nl": "het bestand is ingekort: {size} bytes, de kop vraagt er {expected}",
        "en": "the file is truncated: {size} bytes, its header asks for {expected}",
    },
    "db.no_database": {
        "nl": "het bestand is niet leeg maar bevat geen database",
        "en": "the file is not empty but holds no database",
    },
    "db.check_failed": {
        "nl": "integriteitscontrole mislukt: {problems}",
        "en": "integrity check failed: {problems}",
    },
    "backup.failed": {
        "nl": "Er is geen reservekopie gemaakt van {path} in {folder}: {error}. De database zelf is niet gewijzigd.",
        "en": "No backup was made of {path} in {folder}: {error}. The database itself was not changed.",
    },
    "backup.rotate_failed": {
        "nl": "De reservekopie {backup} is gemaakt, maar oudere reservekopieën in {folder} konden niet worden verwijderd: {error}",
        "en": "The backup {backup} was made, but older backups in {folder} could not be deleted: {error}",
    },
    "backup.missing": {
        "nl": "De reservekopie {backup} bestaat niet of is geen bestand. Er is niets gewijzigd aan {path}.",
        "en": "The backup {backup} does not exist or is not a file. Nothing was changed in {path}.",
    },
    "backup.same": {
        "nl": "{backup} is de database zelf, geen reservekopie. Er is niets gewijzigd.",
        "en": "{backup} is the database itself, not a backup. Nothing was changed.",
    },
    "backup.damaged": {
        "nl": (
            "De reservekopie {backup} is beschadigd of geen klantreis-database ({error}). Er is niets "
            "teruggezet; de database {path} is niet gewijzigd."
        ),
        "en": (
            "The backup {backup} is damaged or not a klantreis database ({error}). Nothing was restored; "
            "the database {path} was not changed."
        ),
    },
    "backup.refused": {
        "nl": "De reservekopie {backup} is niet teruggezet; de database {path} is niet gewijzigd. Reden: {reason}",
        "en": "The backup {backup} was not restored; the database {path} was not changed. Reason: {reason}",
    },
    "backup.empty": {
        "nl": "De reservekopie {backup} bevat geen klantreis-gegevens. Er is niets teruggezet; de database {path} is niet gewijzigd.",
        "en": "The backup {backup} holds no klantreis data. Nothing was restored; the database {path} was not changed.",
    },
    "backup.restore_failed": {
        "nl": "De reservekopie {backup} kon niet worden teruggezet in {path}: {error}. De database is niet gewijzigd.",
        "en": "The backup {backup} could not be restored into {path}: {error}. The database was not changed.",
    },
    "backup.restore_failed_aside": {
        "nl": (
            "De reservekopie {backup} kon niet worden teruggezet in {path}: {error}. De vorige database "
            "staat nog in {aside}; zet die zelf terug."
        ),
        "en": (
            "The backup {backup} could not be restored into {path}: {error}. The previous database is still "
            "in {aside}; move it back yourself."
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
    "cli.db_info.backups": {
        "nl": "Reservekopieën: {count} (laatste: {latest})",
        "en": "Backups: {count} (latest: {latest})",
    },
    "cli.db_info.privacy_log": {
        "nl": "Privacylog (vergeten, opgeschoond): {count} regel(s)",
        "en": "Privacy log (forgotten, purged): {count} line(s)",
    },
    "cli.db_info.log_line": {
        "nl": "{interviews} interview(s), {answers} antwoord(en), {steps} stap(pen) verwijderd",
        "en": "{interviews} interview(s), {answers} answer(s), {steps} step(s) deleted",
    },
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

UI_MESSAGES: dict[str, tuple[str, str]] = {
    # privacy: forgetting, retention, the key table, personal data in free text
    "pii.bsn": ("BSN", "BSN"),
    "pii.iban": ("IBAN", "IBAN"),
    "pii.phone": ("telefoonnummer", "phone number"),
    "pii.email": ("e-mailadres", "e-mail address"),
    "pii.address": ("adres", "address"),
    "pii.warning": (
        "⚠ Dit lijkt persoonsgegevens te bevatten ({kinds}). Noteer ze liever niet; in verslagen en exports worden ze weggelakt.",
        "⚠ This looks like personal data ({kinds}). Better not to record it; summaries and exports redact it.",
    ),
    "privacy.not_found": ("Geen respondent met code {code}{where}.", "No respondent with code {code}{where}."),
    "privacy.in_study": (" in onderzoek '{study}'", " in study '{study}'"),
    "privacy.ambiguous": (
        "Code {code} komt voor in meer onderzoeken ({studies}); kies er een met --study.",
        "Code {code} is used in several studies ({studies}); choose one with --study.",
    ),
    "privacy.forget.what": (
        "Respondent {code} in onderzoek '{study}': {interviews} interview(s), {steps} stappen en {answers} antwoorden"
        "{identity} worden definitief verwijderd, ook uit de reservekopieën.",
        "Respondent {code} in study '{study}': {interviews} interview(s), {steps} step(s) and {answers} answer(s)"
        "{identity} will be deleted for good, from the backups too.",
    ),
    "privacy.forget.identity": (" en de gegevens in de sleuteltabel", " and the key-table entry"),
    "privacy.forget.type_code": ("Typ de code ({code}) om te bevestigen: ", "Type the code ({code}) to confirm: "),
    "privacy.forget.done": (
        "Respondent {code} is vergeten: {interviews} interview(s), {answers} antwoorden en {steps} stappen verwijderd "
        "en overschreven in het databasebestand.",
        "Respondent {code} is forgotten: {interviews} interview(s), {answers} answer(s) and {steps} step(s) deleted "
        "and overwritten in the database file.",
    ),
    "privacy.backups_cleaned": ("Ook verwijderd uit {count} reservekopie(ën).", "Also deleted from {count} backup(s)."),
    "privacy.backup_failed": (
        "LET OP: niet verwijderd uit reservekopie {path}: {error} Verwijder dat bestand zelf.",
        "WARNING: not deleted from backup {path}: {error} Delete that file yourself.",
    ),
    "privacy.log_busy": (
        "LET OP: een ander klantreis-venster heeft de database open; het logbestand ({path}-wal) kan nog oude "
        "gegevens bevatten tot dat venster sluit.",
        "WARNING: another klantreis window has the database open; its log file ({path}-wal) may hold old data "
        "until that window closes.",
    ),
    "privacy.needs_confirmation": (
        "Bevestiging nodig: voer dit uit in een terminal, of geef --yes.",
        "Confirmation needed: run this in a terminal, or give --yes.",
    ),
    "privacy.cancelled": ("Afgebroken; er is niets verwijderd.", "Cancelled; nothing was deleted."),
    "privacy.purge.none": ("Geen onderzoeken over hun bewaartermijn.", "No studies past their retention date."),
    "privacy.purge.item": (
        "  {title} (bewaren tot {until}; {count} interview(s))",
        "  {title} (keep until {until}; {count} interview(s))",
    ),
    "privacy.purge.what": (
        "{count} onderzoek(en) over de bewaartermijn; alles daarin wordt definitief verwijderd, ook uit de reservekopieën:",
        "{count} study(ies) past the retention date; everything in them will be deleted for good, from the backups too:",
    ),
    "privacy.purge.type_yes": ("Typ 'ja' om te bevestigen: ", "Type 'yes' to confirm: "),
    "privacy.purge.yes": ("ja", "yes"),
    "privacy.purge.done": (
        "{studies} onderzoek(en) verwijderd: {interviews} interview(s) van {respondents} respondent(en).",
        "{studies} study(ies) deleted: {interviews} interview(s) of {respondents} respondent(s).",
    ),
    "privacy.purge.needs_expired": (
        "Geef --expired om de onderzoeken over hun bewaartermijn te verwijderen.",
        "Give --expired to delete the studies past their retention date.",
    ),
    "export.identities_warning": (
        "LET OP: deze export bevat namen en contactgegevens uit de sleuteltabel ({count}). Bewaar en vervoer hem "
        "beveiligd, bij voorkeur versleuteld (--encrypt).",
        "WARNING: this export holds names and contact details from the key table ({count}). Store and carry it "
        "securely, preferably encrypted (--encrypt).",
    ),
    "export.pii_kept": (
        "LET OP: persoonsgegevens in vrije tekst zijn niet weggelakt (--keep-personal-data).",
        "WARNING: personal data in free text is not redacted (--keep-personal-data).",
    ),
    "import.forgotten": (
        "{count} interview(s) van respondenten die hier vergeten zijn, zijn niet geïmporteerd.",
        "{count} interview(s) of respondents forgotten here were not imported.",
    ),
    "import.identities": ("{count} sleutel(s) (namen, contactgegevens) geïmporteerd.", "{count} key-table entries (names, contact details) imported."),
    # encrypted bundles
    "seal.passphrase": ("Wachtwoordzin: ", "Passphrase: "),
    "seal.passphrase_again": ("Nogmaals: ", "Again: "),
    "seal.mismatch": ("De wachtwoordzinnen verschillen; er is niets geschreven.", "The passphrases differ; nothing was written."),
    "seal.too_short": (
        "Kies een wachtwoordzin van minstens {n} tekens; er is niets geschreven.",
        "Choose a passphrase of at least {n} characters; nothing was written.",
    ),
    "seal.needs_passphrase": (
        "{path} is versleuteld: geef de wachtwoordzin (in een terminal, of via ${env}).",
        "{path} is encrypted: give the passphrase (in a terminal, or through ${env}).",
    ),
    "seal.empty_passphrase": ("{path}: een lege wachtwoordzin kan niet.", "{path}: an empty passphrase is not allowed."),
    "seal.not_sealed": ("{path}: geen versleutelde klantreis-bundel.", "{path}: not an encrypted klantreis bundle."),
    "seal.damaged": (
        "{path}: de versleutelde bundel is beschadigd of onvolledig. Er is niets geïmporteerd.",
        "{path}: the encrypted bundle is damaged or incomplete ({detail}). Nothing was imported.",
    ),
    "seal.newer_version": (
        "{path}: versleuteld met een nieuwere versie van klantreis. Werk klantreis bij. Er is niets geïmporteerd.",
        "{path}: encrypted by a newer version of klantreis ({detail}). Upgrade klantreis. Nothing was imported.",
    ),
    "seal.wrong_passphrase_or_tampered": (
        "{path}: verkeerde wachtwoordzin, of het bestand is onderweg veranderd. Er is niets geïmporteerd.",
        "{path}: wrong passphrase, or the file was changed on the way. Nothing was imported.",
    ),
    "seal.needs_output": (
        "Een versleutelde bundel gaat naar een bestand: geef -o BESTAND.",
        "An encrypted bundle goes to a file: give -o FILE.",
    ),
    "export.bundle_only": (
        "--include-identities en --encrypt gelden alleen voor een JSON-bundel (--format json).",
        "--include-identities and --encrypt apply to a JSON bundle only (--format json).",
    ),
    "cli.bundle_written": ("Bundel geschreven: {path} ({count} interviews).", "Bundle written: {path} ({count} interviews)."),
    "seal.written": ("Versleutelde bundel geschreven: {path}", "Encrypted bundle written: {path}"),
    # backups
    "backup.made": ("Reservekopie gemaakt: {path}", "Backup made: {path}"),
    "backup.nothing": ("Geen database om te kopiëren: {path}", "No database to copy: {path}"),
    "backup.none": ("Geen reservekopieën van {path}.", "No backups of {path}."),
    "backup.item": ("  {created}  {size:>10}  {path}", "  {created}  {size:>10}  {path}"),
    "backup.header": ("Reservekopieën van {path} (nieuwste eerst):", "Backups of {path} (newest first):"),
    "backup.restore_what": (
        "De database {path} wordt vervangen door de reservekopie {backup}. De huidige database blijft bewaard als "
        "{aside}-bestand.",
        "The database {path} will be replaced by the backup {backup}. The current database is kept as a "
        "{aside} file.",
    ),
    "backup.restored": (
        "Teruggezet: {backup}. De vorige database staat in {aside}.",
        "Restored: {backup}. The previous database is in {aside}.",
    ),
    "sqlite.full": ("de schijf is vol", "the disk is full"),
    "sqlite.readonly": ("het bestand is alleen-lezen", "the file is read-only"),
    "sqlite.not_a_database": ("dit is geen databasebestand", "this is not a database file"),
    "sqlite.malformed": ("het bestand is beschadigd", "the file is damaged"),
    "sqlite.io": ("de schijf gaf een lees- of schrijffout", "the disk gave a read or write error"),
    "sqlite.cannot_open": ("het bestand kan niet worden geopend", "the file cannot be opened"),
    "sqlite.locked": ("de database is bezet door een ander programma", "the database is locked by another program"),
    "sqlite.constraint": ("de wijziging past niet bij wat er al staat", "the change does not fit what is stored"),
    "backup.in_use": (
        "klantreis heeft de database {path} nu open in een ander venster. Sluit dat eerst; er is niets teruggezet.",
        "klantreis has the database {path} open in another window. Close it first; nothing was restored.",
    ),
    "privacy.busy": (
        "Respondent {code} heeft een interview dat open is in een ander klantreis-venster (op {host}, proces {pid}). "
        "Sluit het daar eerst; er is niets verwijderd.",
        "Respondent {code} has an interview open in another klantreis window (on {host}, process {pid}). "
        "Close it there first; nothing was deleted.",
    ),
    "backup.restored_new": ("Teruggezet: {backup} staat nu in {path}.", "Restored: {backup} is now {path}."),
    "backup.failed_on_start": (
        "LET OP: er kon geen reservekopie worden gemaakt: {error}",
        "WARNING: no backup could be made: {error}",
    ),
    # home and interview: privacy
    "home.expired": ("⚠ bewaartermijn verlopen", "⚠ retention date passed"),
    "home.expired_note": (
        "⚠ {count} onderzoek(en) over de bewaartermijn: verwijder ze met klantreis purge --expired.",
        "⚠ {count} study(ies) past the retention date: delete them with klantreis purge --expired.",
    ),
    "home.busy": ("in gebruik", "in use"),
    "home.busy_refused": (
        "Dit interview is open in een ander klantreis-venster (op {host}, proces {pid}). Sluit het daar eerst.",
        "This interview is open in another klantreis window (on {host}, process {pid}). Close it there first.",
    ),
    "home.forget": ("Respondent vergeten", "Forget respondent"),
    "home.identity": ("Sleutel (naam, contact)", "Key (name, contact)"),
    "forget.title": ("Respondent {code} vergeten?", "Forget respondent {code}?"),
    "forget.type_code": ("Typ de code {code} om te bevestigen", "Type the code {code} to confirm"),
    "mark.quote_refused": (
        "De respondent gaf geen toestemming voor citaten: dit wordt geen citaat.",
        "The respondent did not consent to quotes: this does not become a quote.",
    ),
    "app.crashed": (
        "klantreis is gestopt door een onverwachte fout (hierboven). Alles wat als opgeslagen (✓) was getoond, "
        "staat in de database: start klantreis opnieuw en hervat het interview met r.",
        "klantreis stopped on an unexpected error (above). Everything shown as saved (✓) is in the database: "
        "start klantreis again and resume the interview with r.",
    ),
    "iv.confirm_refusal": (
        "De respondent doet toch niet mee? Dan worden alle antwoorden en stappen van dit interview definitief "
        "verwijderd (ook uit de reservekopieën); alleen de weigering blijft bewaard. Doorgaan?",
        "The respondent does not take part after all? Then every answer and step of this interview is deleted "
        "for good (from the backups too); only the refusal is kept. Go on?",
    ),
    "privacy.earlier_exports": (
        "Exports en verslagen die eerder zijn gemaakt (bijvoorbeeld in de map klantreis bij je documenten) vallen "
        "hierbuiten: verwijder die zelf.",
        "Exports and summaries made earlier (for example in the klantreis folder among your documents) are not "
        "touched: delete those yourself.",
    ),
    "forget.confirm": ("Definitief verwijderen", "Delete for good"),
    "forget.done": ("Respondent {code} is vergeten.", "Respondent {code} is forgotten."),
    "forget.wrong_code": ("De code klopt niet; er is niets verwijderd.", "The code does not match; nothing was deleted."),
    "identity.title": ("Sleuteltabel: respondent {code}", "Key table: respondent {code}"),
    "identity.note": (
        "Alleen voor contact achteraf. Staat los van het interview en gaat nooit mee in verslagen of exports "
        "(behalve met --include-identities). Leeg alles om de sleutel te verwijderen.",
        "Only for contact afterwards. Kept apart from the interview and never part of summaries or exports "
        "(unless --include-identities). Clear every field to remove the key.",
    ),
    "identity.name": ("Naam", "Name"),
    "identity.contact": ("Contact (telefoon, e-mail)", "Contact (phone, e-mail)"),
    "identity.note_field": ("Notitie", "Note"),
    "identity.saved": ("Sleutel opgeslagen.", "Key saved."),
    "identity.removed": ("Sleutel verwijderd.", "Key removed."),
    # home
    "home.new_study": ("Nieuw onderzoek", "New study"),
    "home.start": ("Interview starten", "Start interview"),
    "home.open": ("Openen", "Open"),
    "home.resume": ("Hervatten", "Resume"),
    "home.nothing_to_resume": ("Geen onderbroken interview om te hervatten.", "No unfinished interview to resume."),
    "home.no_study": ("Maak eerst een onderzoek aan (n).", "Create a study first (n)."),
    # forms
    "form.save": ("Opslaan", "Save"),
    "form.cancel": ("Annuleren", "Cancel"),
    "form.required": ("{field} is verplicht.", "{field} is required."),
    "form.bad_date": ("{field}: vul een datum in als JJJJ-MM-DD.", "{field}: enter a date as YYYY-MM-DD."),
    "study.title": ("Titel van het onderzoek", "Title of the study"),
    "study.doelgroep": ("Doelgroep", "Target group"),
    "study.trigger": ("Levensgebeurtenis / aanleiding", "Life event / trigger"),
    "study.journey_start": ("Begin van de reis", "Start of the journey"),
    "study.journey_end": ("Einde van de reis", "End of the journey"),
    "study.retention_until": ("Bewaren tot (JJJJ-MM-DD)", "Keep until (YYYY-MM-DD)"),
    "study.edit_title": ("Onderzoek wijzigen (startdocument)", "Edit study (start document)"),
    "key.edit_study": ("Onderzoek wijzigen", "Edit study"),
    "study.form_title": ("Nieuw onderzoek (startdocument)", "New study (start document)"),
    "start.form_title": ("Interview starten: {study}", "Start interview: {study}"),
    "start.question_set": ("Vragenlijst", "Question set"),
    "start.respondent": ("Respondentcode", "Respondent code"),
    "start.interviewer": ("Initialen interviewer", "Interviewer initials"),
    "start.code_taken": ("Code {code} is al gebruikt in dit onderzoek.", "Code {code} is already used in this study."),
    "start.bad_code": ("Gebruik letters, cijfers, - of _ (hoogstens 20).", "Use letters, digits, - or _ (20 at most)."),
    "start.no_sets": ("Geen geldige vragenlijsten gevonden.", "No valid question sets found."),
    # interview
    "iv.title": ("{study} · {code}", "{study} · {code}"),
    "iv.progress": ("{section}  {done}/{total}", "{section}  {done}/{total}"),
    "iv.chat": ("Gesprek", "Conversation"),
    "iv.journey": ("Reis van {code}", "Journey of {code}"),
    "iv.heartbeat": ("Hartslag", "Heartbeat"),
    "iv.no_steps": ("Nog geen stappen.", "No steps yet."),
    "iv.hint": ("tip: {text}", "tip: {text}"),
    "iv.probe": ("doorvragen: {text}", "probe: {text}"),
    "iv.step_header": ("Stap {n}", "Step {n}"),
    "iv.loop_first": ("Eerste stap van de reis beginnen?", "Start the first step of the journey?"),
    "iv.loop_more": ("Nog een stap? (nu {n} stappen)", "Another step? (now {n} steps)"),
    "iv.skipped": ("(overgeslagen)", "(skipped)"),
    "iv.saved": ("opgeslagen", "saved"),
    "iv.revision": ("wijziging {n}", "revision {n}"),
    "iv.editing": ("Wijzigen (Esc: terug naar de huidige vraag)", "Changing (Esc: back to the current question)"),
    "iv.ended": ("Einde van de vragenlijst. F10 rondt het interview af.", "End of the question set. F10 completes the interview."),
    "iv.refused": ("Geen toestemming om mee te doen: het interview is gestopt. Alleen de weigering is bewaard.", "No consent to take part: the interview has stopped. Only the refusal is stored."),
    "iv.closed": ("Dit interview is {status}. Wijzigingen worden nog steeds opgeslagen.", "This interview is {status}. Changes are still saved."),
    "iv.not_saved": ("NIET opgeslagen: {error}", "NOT saved: {error}"),
    "iv.input_text": ("Typ het antwoord en druk Enter", "Type the answer and press Enter"),
    "iv.input_long": ("Typ het antwoord; Enter slaat op, Ctrl+J geeft een nieuwe regel", "Type the answer; Enter saves, Ctrl+J starts a new line"),
    "iv.input_list": ("Meerdere scheiden met een komma; → vult aan", "Separate several with a comma; → completes"),
    "iv.keys_yes_no": ("[{yes}] ja   [{no}] nee", "[{yes}] yes   [{no}] no"),
    "iv.keys_choice": ("Kies met een cijfer of pijltjes + Enter", "Choose with a number or arrows + Enter"),
    "iv.keys_multi": ("Cijfer of spatie kiest, Enter slaat op", "Number or space toggles, Enter saves"),
    "iv.nothing_to_undo": ("Niets om ongedaan te maken.", "Nothing to undo."),
    "iv.undone": ("Laatste antwoord ongedaan gemaakt.", "Last answer undone."),
    "iv.no_earlier": ("Er is geen eerdere vraag.", "There is no earlier question."),
    "iv.marked": ("Gemarkeerd als {kind} bij stap {n}.", "Marked as {kind} of step {n}."),
    "iv.nothing_to_mark": ("Geen antwoord om te markeren.", "No answer to mark."),
    "iv.no_step_to_mark": ("Er is nog geen stap om dit aan te koppelen.", "There is no step to attach this to yet."),
    "iv.paused": ("Interview gepauzeerd; hervat het vanaf het startscherm.", "Interview paused; resume it from the home screen."),
    "iv.finished": ("Interview afgerond.", "Interview completed."),
    "iv.abandoned": ("Interview afgebroken.", "Interview abandoned."),
    "iv.confirm_finish_open": ("Er staan nog vragen open. Toch afronden?", "There are open questions. Complete anyway?"),
    "iv.confirm_abandon": ("Interview afbreken? Het blijft bewaard met status 'afgebroken'.", "Abandon the interview? It stays stored with status 'abandoned'."),
    "iv.confirm_delete": ("Stap {n} verwijderen: {text}?", "Delete step {n}: {text}?"),
    "iv.merge_last": ("Dit is de laatste stap; er is geen volgende om mee samen te voegen.", "This is the last step; there is no next step to merge with."),
    "iv.merged": ("Stap {n} en {m} samengevoegd.", "Steps {n} and {m} merged."),
    "iv.step_saved": ("Stap {n} opgeslagen.", "Step {n} saved."),
    "iv.step_deleted": ("Stap {n} verwijderd.", "Step {n} deleted."),
    "kind.quote": ("citaat", "quote"),
    "kind.pain_point": ("knelpunt", "pain point"),
    "kind.opportunity": ("kans", "idea"),
    "yes": ("ja", "yes"),
    "no": ("nee", "no"),
    "emotion.-2": ("zeer negatief", "very negative"),
    "emotion.-1": ("negatief", "negative"),
    "emotion.0": ("neutraal", "neutral"),
    "emotion.1": ("positief", "positive"),
    "emotion.2": ("zeer positief", "very positive"),
    "confirm.yes": ("Ja", "Yes"),
    "confirm.no": ("Nee", "No"),
    # step editor
    "step.form_title": ("Stap {n} bewerken", "Edit step {n}"),
    "step.phase": ("Fase", "Phase"),
    "step.description": ("Wat gebeurde er", "What happened"),
    "step.instances": ("Instanties (komma's)", "Organisations (commas)"),
    "step.channels": ("Kanalen (komma's)", "Channels (commas)"),
    "step.emotion": ("Emotie -2..+2 (leeg: niet gevraagd)", "Emotion -2..+2 (empty: not asked)"),
    "step.emotion_words": ("Emotiewoorden (komma's)", "Emotion words (commas)"),
    "step.quotes": ("Citaten (één per regel)", "Quotes (one per line)"),
    "step.pain_point": ("Knelpunt", "Pain point"),
    "step.opportunity": ("Kans / verbeterpunt", "Opportunity / idea"),
    "step.duration": ("Duur", "Duration"),
    "step.moment_of_truth": ("Moment van de waarheid", "Moment of truth"),
    # key descriptions
    "key.help": ("Help", "Help"),
    "key.new_study": ("Nieuw onderzoek", "New study"),
    "key.start": ("Interview", "Interview"),
    "key.open": ("Openen", "Open"),
    "key.resume": ("Hervatten", "Resume"),
    "key.new_step": ("Nieuwe stap", "New step"),
    "key.edit_step": ("Stap bewerken", "Edit step"),
    "key.insert_step": ("Stap ervoor", "Step before"),
    "key.add_step": ("Stap erna", "Step after"),
    "key.move_up": ("Stap omhoog", "Step up"),
    "key.move_down": ("Stap omlaag", "Step down"),
    "key.merge": ("Samenvoegen met volgende", "Merge with next"),
    "key.delete_step": ("Stap verwijderen", "Delete step"),
    "key.quote": ("Citaat", "Quote"),
    "key.pain_point": ("Knelpunt", "Pain point"),
    "key.opportunity": ("Kans", "Idea"),
    "key.back": ("Vorige vraag", "Previous question"),
    "key.cancel_edit": ("Terug naar huidige vraag", "Back to current question"),
    "key.undo": ("Ongedaan maken", "Undo"),
    "key.skip": ("Overslaan", "Skip"),
    "key.journey": ("Reispaneel", "Journey panel"),
    "key.pause": ("Pauze", "Pause"),
    "key.finish": ("Afronden", "Complete"),
    "key.abandon": ("Afbreken", "Abandon"),
    "key.close": ("Sluiten", "Close"),
    "help.title": ("Toetsen", "Keys"),
    "help.intro": ("Alle toetsen van dit scherm. Toetsen zijn aan te passen in {path}.", "All keys of this screen. Keys can be remapped in {path}."),
    "help.key": ("Toets", "Key"),
    "help.action": ("Actie", "Action"),
    "bundle.not_utf8": ("{path}: geen UTF-8-tekst. Er is niets geïmporteerd.", "{path}: not UTF-8 text. Nothing was imported."),
    "bundle.bad_json": ("{path}: geen geldige JSON (regel {line}, kolom {column}: {error}); is het bestand afgebroken? Er is niets geïmporteerd.", "{path}: not valid JSON (line {line}, column {column}: {error}); is the file truncated? Nothing was imported."),
    "bundle.not_bundle": ("{path}: dit is geen klantreis-bundel (veld 'format' ontbreekt of klopt niet). Er is niets geïmporteerd.", "{path}: this is not a klantreis bundle (field 'format' is missing or wrong). Nothing was imported."),
    "bundle.newer": ("{path}: deze bundel heeft schemaversie {found}, gemaakt door een nieuwere klantreis (deze versie leest {expected}). Er is niets geïmporteerd.", "{path}: this bundle has schema version {found}, made by a newer klantreis (this version reads {expected}). Nothing was imported."),
    "bundle.older": ("{path}: onbekende schemaversie {found} (verwacht {expected}). Er is niets geïmporteerd.", "{path}: unknown schema version {found} (expected {expected}). Nothing was imported."),
    "bundle.invalid": ("{path}: de bundel klopt niet: {problems}. Er is niets geïmporteerd.", "{path}: the bundle is not valid: {problems}. Nothing was imported."),
    "bundle.too_large": ("{path}: te groot voor een bundel ({size} bytes). Er is niets geïmporteerd.", "{path}: too large for a bundle ({size} bytes). Nothing was imported."),
    "bundle.unreadable": ("{path}: kan niet worden gelezen: {error}. Er is niets geïmporteerd.", "{path}: cannot be read: {error}. Nothing was imported."),
    "import.summary": ("Geïmporteerd: {added} interview(s), {studies} nieuw(e) onderzoek(en); al aanwezig en overgeslagen: {skipped}.", "Imported: {added} interview(s), {studies} new stud(y/ies); already present and skipped: {skipped}."),
    "import.step_conflict": ("{count} stap(pen) in de bundel hebben een id dat hier al bij een ander interview hoort (bijvoorbeeld {first}). Er is niets geïmporteerd.", "{count} step(s) in the bundle have an id that already belongs to another interview here (for example {first}). Nothing was imported."),
    "import.respondent_conflict": ("Respondent {id} in de bundel hoort hier al bij een ander onderzoek. Er is niets geïmporteerd.", "Respondent {id} in the bundle already belongs to another study here. Nothing was imported."),
    "iv.unknown_set": ("Dit interview gebruikt vragenlijst '{set_id}' (versie {version}), die op deze laptop niet gevonden is. Zet het bestand in de map met vragenlijsten; samenvatting en export werken wel.", "This interview uses question set '{set_id}' (version {version}), which is not on this laptop. Put its file in the question-set folder; summary and export do work."),
    "import.renamed": ("Respondentcode {old} bestond al in '{study}' voor een andere respondent: geïmporteerd als {new}.", "Respondent code {old} already existed in '{study}' for another respondent: imported as {new}."),
    "cli.write_failed": ("Kan niet schrijven naar {path}: {error}. Er is niets weggeschreven.", "Cannot write to {path}: {error}. Nothing was written."),
    "cli.no_interviews": ("Geen interviews gevonden die hierbij passen.", "No interviews match."),
    "cli.csv_written": ("CSV-bestanden in {folder}: interviews.csv, steps.csv, answers.csv ({count} interviews).", "CSV files in {folder}: interviews.csv, steps.csv, answers.csv ({count} interviews)."),
    "key.accept": ("Voorstel overnemen", "Accept proposal"),
    "key.dismiss": ("Voorstel negeren", "Dismiss proposal"),
    "assist.keys": ("F3 overnemen · F4 negeren", "F3 accept · F4 dismiss"),
    "assist.accepted": ("Overgenomen in stap {n}: {label}", "Added to step {n}: {label}"),
    "assist.probe": ("Doorvragen: {probes}", "Probe: {probes}"),
    "assist.kind.instance": ("instantie", "organisation"),
    "assist.kind.channel": ("kanaal", "channel"),
    "assist.kind.emotion": ("emotie", "emotion"),
    "assist.kind.duration": ("duur", "duration"),
    "key.export_md": ("Markdown", "Markdown"),
    "key.export_html": ("HTML", "HTML"),
    "key.export_bundle": ("Bundel", "Bundle"),
    "key.summary": ("Verslag", "Summary"),
    "key.synthesis": ("Synthese", "Synthesis"),
    "summary.title": ("Conceptverslag van het interview: m, h of b exporteert, Esc sluit", "Draft summary of the interview: m, h or b exports, Esc closes"),
    "summary.study_title": ("Synthese van het onderzoek (afgeronde interviews): m, h of b exporteert, Esc sluit", "Synthesis of the study (completed interviews): m, h or b exports, Esc closes"),
    "summary.failed": ("Het verslag kon niet worden gemaakt", "The summary could not be made"),
    "summary.exported": ("Geëxporteerd naar {path}", "Exported to {path}"),
    "summary.export_failed": ("Exporteren mislukt: {error}", "Export failed: {error}"),
    "summary.no_interview": ("Kies eerst een interview.", "Choose an interview first."),
    "config.error": ("Het configuratiebestand {path} klopt niet: {error}", "The configuration file {path} is not valid: {error}"),
    "palette.search": ("Opdracht zoeken…", "Search for commands…"),
    "palette.search_themes": ("Thema zoeken…", "Search for themes…"),
    "palette.theme": ("Thema", "Theme"),
    "palette.theme_help": ("Het kleurenthema wijzigen", "Change the current theme"),
    "palette.quit": ("Afsluiten", "Quit"),
    "palette.quit_help": ("Het programma meteen afsluiten", "Quit the application as soon as possible"),
    "palette.keys": ("Toetsen", "Keys"),
    "palette.keys_show": ("Hulp bij het actieve veld en een overzicht van de toetsen tonen", "Show help for the focused widget and a summary of available keys"),
    "palette.keys_hide": ("Het paneel met toetsen en hulp verbergen", "Hide the keys and widget help panel"),
    "palette.maximize": ("Vergroten", "Maximize"),
    "palette.maximize_help": ("Het actieve veld schermvullend tonen", "Maximize the focused widget"),
    "palette.minimize": ("Verkleinen", "Minimize"),
    "palette.minimize_help": ("Het veld weer op normale grootte tonen", "Minimize the widget and restore to normal size"),
    "palette.screenshot": ("Schermafdruk", "Screenshot"),
    "palette.screenshot_help": ("Een schermafdruk (SVG) van dit scherm opslaan", "Save an SVG 'screenshot' of the current screen"),
}

#: Textual's own key descriptions (scrolling, cursor, focus) as the help screen shows them in Dutch.
TEXTUAL_KEYS_NL: dict[str, str] = {
    "Bottom": "Naar onderen", "Top": "Naar boven", "Home": "Begin", "End": "Einde",
    "Copy selected text": "Geselecteerde tekst kopiëren", "Cursor down": "Cursor omlaag", "Cursor up": "Cursor omhoog",
    "Cursor left": "Cursor naar links", "Cursor right": "Cursor naar rechts", "Down": "Omlaag", "Up": "Omhoog",
    "First": "Eerste", "Last": "Laatste", "Focus Next": "Volgend veld", "Focus Previous": "Vorig veld",
    "Page Down": "Pagina omlaag", "Page Up": "Pagina omhoog", "Page down": "Pagina omlaag", "Page up": "Pagina omhoog",
    "Page Left": "Pagina naar links", "Page Right": "Pagina naar rechts", "Scroll Left": "Naar links schuiven",
    "Scroll Right": "Naar rechts schuiven", "Select": "Kiezen", "palette": "opdrachten", "Quit": "Afsluiten",
    "Scroll Up": "Omhoog schuiven", "Scroll Down": "Omlaag schuiven", "Scroll Home": "Naar het begin",
    "Scroll End": "Naar het einde", "Toggle": "Aan/uit", "Delete": "Verwijderen", "Cut": "Knippen", "Paste": "Plakken",
}


def textual_words(text: str, lang: str | None = None) -> str:
    """A description from Textual itself, in the UI language (it ships English only)."""
    return TEXTUAL_KEYS_NL.get(text, text) if (lang or _current) == "nl" else text


for _key, (_nl, _en) in UI_MESSAGES.items():
    MESSAGES.setdefault(_key, {"nl": _nl, "en": _en})


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


def describe(error: BaseException, lang: str | None = None) -> str:
    """The words for an error where it is shown: by its reason if it has one, else its own message."""
    if isinstance(error, KlantreisError):
        if error.reason in MESSAGES:
            return t(error.reason, lang, **error.detail)
        return error.message or error.reason
    return str(error)


set_describer(describe)

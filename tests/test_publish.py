"""The team database: written by ``publish``, read by Datasette's own Python API; nothing private in its bytes."""

from __future__ import annotations

import html
import json
from pathlib import Path

from datasette.app import Datasette

from klantreis_tui.engine import Slot
from klantreis_tui.services import Services
from tests.test_exchange import cli, open_db

BSN = "111222333"  # passes the elfproef: redacted as a BSN
PHONE = "06-12345678"
NAME = "Jolanda Verhoeven-Bakkerstraat"
CONTACT = "jolanda.verhoeven@example.org"
SECRET_NOTE = "belt liever na vijven"
QUOTE_WITH = "Ik voelde me eindelijk gehoord"
QUOTE_REFUSED = "Die ambtenaar snapte er niks van"
QUOTE_NEVER_ASKED = "Het formulier was een doolhof"


def a_team_database(tmp_path: Path) -> tuple[Path, dict[str, str]]:
    """Two studies; three interviews: quotes consented, quotes refused, quotes never asked. Personal data typed
    into steps, and a key-table entry for each respondent."""
    db = tmp_path / "k.db"
    services = open_db(db)
    study = services.create_study("Schuldhulpverlening 2026")
    other = services.create_study("Paspoort")
    ids = {}
    for name, quotes, quote in (("with", "j", QUOTE_WITH), ("refused", "n", QUOTE_REFUSED), ("never", None, QUOTE_NEVER_ASKED)):
        iv = services.start_interview(study.id, "klein", interviewer="AB")
        services.answer(iv.id, Slot("mee"), "j")
        if quotes is not None:
            services.answer(iv.id, Slot("citaten"), quotes)
        services.insert_step(iv.id, phase="aanvraag", description=f"Belde met BSN {BSN} naar {PHONE}",
                             instances=["Gemeente", "Stichting Op Orde"], channels=["telefoon"], emotion=-2,
                             pain_point="Lang wachten", quotes=[quote])
        services.insert_step(iv.id, phase="besluit", description="Brief ontvangen", instances=["Gemeente"],
                             emotion=1, opportunity="Eerder bellen", moment_of_truth=True)
        services.finish(iv.id)
        services.set_identity(services.interview(iv.id).respondent_id, name=NAME, contact=CONTACT, note=SECRET_NOTE)
        ids[name] = iv.id
    elsewhere = services.start_interview(other.id, "klein")
    services.answer(elsewhere.id, Slot("mee"), "j")
    services.insert_step(elsewhere.id, description="Paspoort aangevraagd")
    ids["other_study"] = elsewhere.id
    services.close()
    return db, ids


async def test_published_database_is_browsable_in_datasette_and_holds_nothing_private(tmp_path: Path) -> None:
    db, ids = a_team_database(tmp_path)
    out = tmp_path / "team" / "team.db"
    result = cli(tmp_path, "--db", str(db), "publish", "-o", str(out), "--study", "Schuldhulpverlening 2026")
    assert result.returncode == 0, result.stderr
    assert "datasette serve" in result.stdout
    metadata = json.loads((out.parent / "metadata.json").read_text(encoding="utf-8"))

    data = out.read_bytes()
    for private in (NAME, CONTACT, SECRET_NOTE, BSN, PHONE, QUOTE_REFUSED, QUOTE_NEVER_ASKED):
        assert private.encode("utf-8") not in data, private
    assert QUOTE_WITH.encode("utf-8") in data  # consent given: the quote may be read
    assert ids["other_study"].encode() not in data  # only the study chosen

    ds = Datasette([str(out)], metadata=metadata)
    await ds.invoke_startup()
    tables = {t["name"] for t in (await ds.client.get("/team.json")).json()["tables"]}
    assert "identities" not in tables and "interview_claims" not in tables and "privacy_log" not in tables
    assert {"onderzoeken", "respondenten", "interviews", "stap", "antwoorden"} <= tables

    stappen = (await ds.client.get("/team/stappen.json?_shape=array")).json()
    assert len(stappen) == 6
    first = stappen[0]
    assert (first["onderzoek"], first["positie"], first["fase"]) == ("Schuldhulpverlening 2026", 1, "aanvraag")
    assert (first["respondent"], first["omschrijving"]) == ("R01", "Belde met BSN [BSN] naar [telefoonnummer]")
    assert json.loads(first["organisaties"]) == ["Gemeente", "Stichting Op Orde"]
    quotes = {s["respondent"]: json.loads(s["citaten"]) for s in stappen if s["positie"] == 1}
    assert quotes == {"R01": [QUOTE_WITH], "R02": [], "R03": []}

    knelpunten = (await ds.client.get("/team/knelpunten.json?_shape=array")).json()
    assert [(k["respondent"], k["knelpunt"]) for k in knelpunten] == [("R01", "Lang wachten"), ("R02", "Lang wachten"), ("R03", "Lang wachten")]
    kansen = (await ds.client.get("/team/kansen.json?_shape=array")).json()
    assert {k["kans"] for k in kansen} == {"Eerder bellen"} and len(kansen) == 3
    hartslag = (await ds.client.get("/team/hartslag_per_fase.json?_shape=array")).json()
    assert [(h["fase"], h["stappen"], h["respondenten"], h["gemiddelde_beleving"]) for h in hartslag] == [
        ("aanvraag", 3, 3, -2.0), ("besluit", 3, 3, 1.0),
    ]
    organisaties = (await ds.client.get("/team/organisaties_per_stap.json?_shape=array")).json()
    assert sorted({o["organisatie"] for o in organisaties}) == ["Gemeente", "Stichting Op Orde"] and len(organisaties) == 9
    segments = (await ds.client.get("/team/interviews_per_segment.json?_shape=array")).json()
    assert [(s["segment"], s["interviews"], s["afgerond"]) for s in segments] == [("(geen segment)", 3, 3)]

    # lists facet as arrays; links show names (the label columns), canned queries answer
    faceted = (await ds.client.get("/team/stap.json?_facet_array=organisaties")).json()
    counts = {f["value"]: f["count"] for f in faceted["facet_results"]["organisaties"]["results"]}
    assert counts == {"Gemeente": 6, "Stichting Op Orde": 3}
    view = (await ds.client.get("/team/stappen.json")).json()  # the view's facets come from the metadata
    assert {"onderzoek", "fase", "organisaties", "kanalen"} <= set(view["facet_results"])
    steps = (await ds.client.get("/team/stap.json?_labels=on&_shape=array")).json()
    assert {s["interview_id"]["label"].split()[0] for s in steps} == {"R01", "R02", "R03"}  # names, not UUIDs
    respondents = (await ds.client.get("/team/respondenten.json?_labels=on&_shape=array")).json()
    assert {r["onderzoek_id"]["label"] for r in respondents} == {"Schuldhulpverlening 2026"}
    low = (await ds.client.get("/team/dieptepunten.json?_shape=array")).json()
    assert [row["beleving"] for row in low] == [-2, -2, -2]
    page = await ds.client.get("/team/stappen")
    assert metadata["databases"]["team"]["tables"]["stappen"]["description"] in html.unescape(page.text)


def test_publish_refuses_an_ambiguous_study(tmp_path: Path) -> None:
    db = tmp_path / "k.db"
    services: Services = open_db(db)
    services.create_study("Inburgering")
    services.create_study("Inburgering")
    services.close()
    result = cli(tmp_path, "--db", str(db), "publish", "-o", str(tmp_path / "team.db"), "--study", "Inburgering")
    assert result.returncode == 1 and "komt overeen met 2 onderzoeken" in result.stderr
    assert not (tmp_path / "team.db").exists()


def test_publish_never_overwrites_the_working_database_or_another_file(tmp_path: Path) -> None:
    db, _ = a_team_database(tmp_path)
    before = db.read_bytes()
    result = cli(tmp_path, "--db", str(db), "publish", "-o", str(db))
    assert result.returncode == 1 and "is geen teamdatabase" in result.stderr
    assert db.read_bytes() == before
    other = tmp_path / "notes.db"
    other.write_bytes(b"not a database")
    assert cli(tmp_path, "--db", str(db), "publish", "-o", str(other)).returncode == 1
    assert other.read_bytes() == b"not a database"
    # a team database written before is replaced
    team = tmp_path / "team.db"
    assert cli(tmp_path, "--db", str(db), "publish", "-o", str(team)).returncode == 0
    assert cli(tmp_path, "--db", str(db), "publish", "-o", str(team)).returncode == 0

"""The assistant and what the interviewer typed: unknown teams kept as typed, no proposal that only repeats the
field being typed or what the step holds, "online" as its own channel."""

from __future__ import annotations

import pytest

from klantreis_tui.assist import Assistant
from klantreis_tui.models import Step
from klantreis_tui.question_sets import bundled_dir, load_question_set


@pytest.fixture(scope="module")
def assistant():
    return Assistant.load()


def found(assistant, text):
    return [(p.kind, p.value) for p in assistant.propose(text)]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Gemeente EZ", [("instance", "Gemeente EZ")]),
        ("Ik mailde de Gemeente EZ over mijn aanvraag", [("channel", "e-mail"), ("instance", "Gemeente EZ")]),
        ("Gemeente Zaanstad stuurde niets", [("instance", "Gemeente Zaanstad")]),
        ("het KCC van de gemeente", [("instance", "Gemeente KCC")]),  # a known team stays the known name
        ("Gemeente KCC", [("instance", "Gemeente KCC")]),
        ("Ik ging naar de Gemeente Ik kreeg niets", [("instance", "Gemeente")]),  # not a team: a new sentence
        ("Gemeente UWV", [("instance", "Gemeente"), ("instance", "UWV")]),  # two known organisations
    ],
)
def test_an_unknown_team_after_a_known_organisation_is_proposed_as_typed(assistant, text, expected):
    assert found(assistant, text) == expected


def test_online_is_not_proposed_as_website(assistant):
    assert found(assistant, "Ik heb het online gedaan.") == [("channel", "online")]
    assert found(assistant, "Op de website stond niets.") == [("channel", "website")]


def test_a_proposal_that_repeats_the_field_being_typed_or_the_step_is_left_out(services):
    qs = load_question_set(bundled_dir() / "vng-algemeen.yaml")
    study = services.create_study("Paspoort")
    instance_q, channel_q, quote_q = (qs.question(q) for q in ("stap_instantie", "stap_kanaal", "stap_citaat"))
    step = Step(interview_id="i", position=1, instances=["Gemeente KCC"])

    def values(text, question, on_step=None):
        return [p.value for p in services.proposals(study.id, text, question, on_step)]

    assert values("Gemeente EZ", None) == ["Gemeente EZ"]  # no question given: everything
    assert values("Gemeente EZ", instance_q) == []  # typed as the organisation already
    assert values("Gemeente EZ, het KCC", instance_q) == ["Gemeente KCC"]  # a name it did not type is still offered
    assert values("telefoon", channel_q) == []
    assert values("gebeld", channel_q) == ["telefoon"]  # what it stands for is new
    assert values("Het KCC hing op", quote_q, step) == []  # the step holds it
    assert values("Het KCC hing op", quote_q) == ["Gemeente KCC"]

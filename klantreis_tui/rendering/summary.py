"""Template contexts for an interview summary and a study synthesis: plain dicts, lists, strings and numbers.

Every context holds ``lang`` ("nl" or "en") and ``labels`` (the UI words of the templates, from
``LABELS`` in ``rendering.labels``: the one place where they live). Texts typed by interviewers are passed as typed.

Privacy: quotes appear only when the respondent granted quote consent (``record.consent("quotes")``
is True). When consent was refused or never recorded, every quote list is empty and ``quotes_withheld``
says why; the narrative (``rendering.narrative``) quotes only from the step dicts, so never without consent.

Variables of an interview summary (``interview_context``; templates ``interview.md.j2``, ``interview.html.j2``):

- ``lang``, ``labels``
- ``study`` (title), ``respondent`` (code), ``segment``, ``age_band``, ``date`` (YYYY-MM-DD),
  ``interviewer``, ``status``, ``question_set`` (id), ``question_set_version``, ``question_set_title``
- ``trigger``, ``expectation``: the answers to the questions with ``field: trigger`` / ``expectation``
- ``narrative``: list of paragraphs (str), a draft story in the third person: an opening, one paragraph a step
  (a phase announced where it begins), a closing line on the low and high points
- ``steps``: list of step dicts (below); ``scores``: list of int or None, one per step
- ``heartbeat_ascii`` (str, several lines), ``heartbeat_svg`` (str, an ``<svg>`` element)
- ``low_points``, ``high_points``: steps with the lowest (negative) and highest (positive) score
- ``moments``: the moments of truth: the flagged steps, or if none is flagged the low and high points;
  ``moments_flagged`` (bool) says which
- ``pain_points``, ``ideas``: list of ``{number, phase, description, text}``
- ``quotes``: list of ``{number, phase, text}``; ``quotes_withheld``: "" or the reason (a label)
- ``instances``, ``channels``: list of ``{name, count}`` (count = steps naming it), most frequent first
- ``other_answers``: list of ``{section, items: [{question, answer}]}``, the remaining answers outside
  the step loop and consent

A step dict: ``number`` (1, 2, ...), ``phase``, ``description``, ``instances`` (list), ``instances_text``,
``channels`` (list), ``channels_text``, ``emotion`` (int or None), ``emotion_text`` ("+1", "" if none),
``emotion_label`` ("positief"), ``emotion_class`` ("negative", "neutral", "positive" or "none"),
``emotion_words`` (list), ``emotion_words_text``, ``quotes`` (list), ``pain_point``, ``opportunity``,
``duration``, ``moment_of_truth`` (bool).

Variables of a study synthesis (``study_context``; templates ``study.md.j2``, ``study.html.j2``):

- ``lang``, ``labels``, ``study`` (title), ``doelgroep``, ``study_trigger``, ``journey_start``, ``journey_end``
- ``respondent_count``, ``interview_count``
- ``respondents``: list of ``{code, age_band, segment, date, step_count, trigger, scores, emotion_average,
  emotion_average_text, heartbeat_ascii, heartbeat_svg}``, by code
- ``phases``: list of ``{name, respondent_count, step_count, n, median, median_text, min, max, min_text,
  max_text}`` in first-seen order (n counts the scored steps; median/min/max are None when n is 0);
  ``phase_heartbeat_svg`` draws the medians
- ``pain_points``, ``ideas``: list of ``{rank, text, respondent_count, emotion_average_text,
  mentions: [{code, number, phase, description, quotes}]}``, most respondents first
- ``instances``, ``channels``: list of ``{name, count, respondent_count, n, average, average_text}``
  (count = steps naming it, n = scored ones among them), most frequent first
- ``quotes_note``: "" or a note that some respondents' quotes were left out (no consent)
- ``moments``: list of ``{code, number, phase, description, emotion_text, emotion_label, flagged}``
- ``segments``: list of ``{segment, codes, count}``, largest group first
"""

from klantreis_tui.rendering.formatting import normalise, signed
from klantreis_tui.rendering.interview_summary import interview_context
from klantreis_tui.rendering.labels import LABELS, LANGUAGES, PHRASES, labels, phrases
from klantreis_tui.rendering.study_synthesis import study_context

# the one module the callers import: the contexts live in interview_summary and study_synthesis
__all__ = ["LABELS", "LANGUAGES", "PHRASES", "interview_context", "labels", "normalise", "phrases", "signed", "study_context"]

"""The words of the summary templates (``LABELS``) and the words the draft narrative fills in (``PHRASES``, number
words, channel phrases): the one place where they live, as source texts for the catalog; ``labels()`` and ``phrases()`` give them in a language. User templates
receive ``labels()`` as ``labels``.
"""

from __future__ import annotations

from functools import lru_cache

from klantreis_tui.i18n import LANGUAGES, N_, current_language, t, using_language  # noqa: F401 - LANGUAGES is re-exported by rendering.summary


#: Every word the templates show. User templates receive them, in the interview's language, as ``labels``.
LABELS: dict[str, str] = {
    'concept': N_('DRAFT'),
    'concept_note': N_('Draft, written automatically from the answers. Check and complete it before you share it.'),
    'interview_title': N_('Interview summary'),
    'study_title': N_('Study synthesis'),
    'study': N_('Study'),
    'respondent': N_('Respondent'),
    'respondents': N_('Respondents'),
    'respondent_count': N_('Number of respondents'),
    'respondent_lower': N_('respondent'),
    'respondents_lower': N_('respondents'),
    'average_emotion_lower': N_('avg. experience'),
    'heartbeats': N_('Heartbeat per respondent'),
    'interview_count': N_('Number of interviews'),
    'segment': N_('Segment'),
    'age_band': N_('Age group'),
    'date': N_('Date'),
    'interviewer': N_('Interviewer'),
    'status': N_('Status'),
    'question_set': N_('Question set'),
    'version': N_('version'),
    'doelgroep': N_('Target group'),
    'study_trigger': N_('Life event'),
    'journey': N_('Journey'),
    'journey_start': N_('Start of the journey'),
    'journey_end': N_('End of the journey'),
    'trigger': N_('Trigger'),
    'expectation': N_('Expectation'),
    'narrative': N_('Story (draft)'),
    'steps': N_('Steps'),
    'step': N_('Step'),
    'number': N_('No.'),
    'phase': N_('Phase'),
    'phases': N_('Experience per phase'),
    'instance': N_('Organisation'),
    'instances': N_('Organisations'),
    'channel': N_('Channel'),
    'channels': N_('Channels'),
    'emotion': N_('Experience'),
    'emotion_words': N_('Feeling'),
    'heartbeat': N_('Heartbeat'),
    'heartbeat_note': N_('Experience per step, from -2 (very negative) to +2 (very positive).'),
    'phase_heartbeat': N_('Median experience per phase'),
    'low_high': N_('Low points and high points'),
    'low_point': N_('Low point'),
    'high_point': N_('High point'),
    'moments': N_('Moments of truth'),
    'moments_flagged': N_('Marked during the interview.'),
    'moments_derived': N_('None marked; taken from the lowest and highest experience.'),
    'moment_legend': N_('★ = moment of truth'),
    'pain_points': N_('Pain points'),
    'pain_point': N_('Pain point'),
    'ideas': N_('Opportunities and ideas'),
    'idea': N_('Idea'),
    'quotes': N_('Quotes'),
    'quotes_refused': N_('Quotes left out: the respondent did not consent to the use of quotes.'),
    'quotes_not_recorded': N_('Quotes left out: no consent to use quotes was recorded.'),
    'quotes_some_withheld': N_('Quotes only from respondents who consented to their use.'),
    'duration': N_('Duration'),
    'count': N_('Count'),
    'steps_count': N_('Steps'),
    'rank': N_('Rank'),
    'n': N_('n'),
    'median': N_('Median'),
    'min': N_('Lowest'),
    'max': N_('Highest'),
    'average_emotion': N_('Avg. experience'),
    'other_answers': N_('Other answers'),
    'segments': N_('Respondents by segment'),
    'none': N_('—'),
    'nothing': N_('None.'),
    'no_phase': N_('(no phase)'),
    'themes': N_('Themes'),
    'unassigned_pain_points': N_('Pain points without a theme'),
    'handovers': N_('The chain: hand-overs between organisations'),
    'handover_from': N_('From'),
    'handover_to': N_('To'),
    'saturation': N_('Saturation: what each interview brought that was new'),
    'new_themes': N_('New themes'),
    'new_organisations': N_('New organisations'),
    'new_pain_points': N_('New pain points'),
    'nothing_new': N_('nothing new any more'),
    'outside_phases': N_('not one of the study\'s phases'),
    'no_segment': N_('(no segment)'),
    'personas': N_("Persona's: current and desired journey"),
    'persona_heartbeat': N_('Heartbeat of the persona'),
    'persona_goal': N_('Goal'),
    'persona_context': N_('Context'),
    'persona_story': N_('Story'),
    'persona_respondents': N_('Built from'),
    'persona_no_respondents': N_('no respondents chosen yet'),
    'persona_note': N_('Per phase: the median of the respondents\' phase scores (each the median of their steps in that phase), the spread (lowest and highest) and n, the number of respondents who scored the phase; beside it the desired score the team set.'),
    'current_journey': N_('Current (median)'),
    'desired_journey': N_('Desired'),
    'desired_ideas': N_('Ideas for the desired journey'),
    'heaviest_themes': N_('Themes that weigh most'),
    'yes': N_('yes'),
    'no': N_('no'),
    'footer': N_('Written with klantreis.'),
    'emotion_-2': N_('very negative'),
    'emotion_-1': N_('negative'),
    'emotion_0': N_('neutral'),
    'emotion_1': N_('positive'),
    'emotion_2': N_('very positive'),
}

#: Words the draft narrative shares with other texts (its sentences are in ``rendering.narrative``).
PHRASES: dict[str, str] = {
    'and': N_('and'),
    'age': N_('aged {age}'),
}

#: Small counts in words ("six steps"), from one up.
NUMBER_WORDS: tuple[str, ...] = (
    N_('one'), N_('two'), N_('three'), N_('four'), N_('five'), N_('six'),
    N_('seven'), N_('eight'), N_('nine'), N_('ten'), N_('eleven'), N_('twelve'),
)

#: How the narrative says that contact went through a channel ("Contact with X is by phone").
CHANNEL_PHRASES: dict[str, str] = {
    'phone': N_('by phone'),
    'letter': N_('by letter'),
    'email': N_('by e-mail'),
    'online': N_('online'),
    'webform': N_('through a web form'),
    'desk': N_('at the desk'),
    'sms': N_('by text message'),
    'app': N_('through an app'),
    'chat': N_('by chat'),
    'conversation': N_('in a conversation'),
    'in_person': N_('in person'),
    'home_visit': N_('during a home visit'),
    'video': N_('by video call'),
}

#: Channel names as interviewers type them (normalised), to their key in ``CHANNEL_PHRASES``.
CHANNEL_ALIASES: dict[str, str] = {
    **dict.fromkeys(('telefoon', 'telefonisch', 'bellen', 'phone', 'telephone', 'call'), 'phone'),
    **dict.fromkeys(('brief', 'post', 'letter', 'per brief'), 'letter'),
    **dict.fromkeys(('e-mail', 'email', 'mail'), 'email'),
    **dict.fromkeys(('website', 'online', 'internet', 'site', 'web'), 'online'),
    **dict.fromkeys(('webformulier', 'formulier', 'online formulier', 'web form', 'form'), 'webform'),
    **dict.fromkeys(('balie', 'loket', 'desk', 'counter'), 'desk'),
    **dict.fromkeys(('sms', 'text message'), 'sms'),
    **dict.fromkeys(('app',), 'app'),
    **dict.fromkeys(('chat', 'webchat'), 'chat'),
    **dict.fromkeys(('gesprek', 'conversation', 'meeting', 'talk'), 'conversation'),
    **dict.fromkeys(('fysiek', 'persoonlijk', 'in person', 'face to face'), 'in_person'),
    **dict.fromkeys(('huisbezoek', 'home visit'), 'home_visit'),
    **dict.fromkeys(('beeldbellen', 'videobellen', 'video call'), 'video'),
}


def labels(lang: str | None = None) -> dict[str, str]:
    """The template words in ``lang`` (Dutch for anything but "en"; default: the current language)."""
    return dict(_labels(_lang(lang or current_language())))


@lru_cache(maxsize=4)  # a synthesis asks them once per interview; the catalogs do not change while running
def _labels(lang: str) -> dict[str, str]:
    with using_language(lang):
        return {key: t(text) for key, text in LABELS.items()}


def phrases(lang: str | None = None) -> dict[str, str]:
    """The narrative's sentence pieces in ``lang`` (default: the current language)."""
    with using_language(_lang(lang or current_language())):
        return {key: t(text) for key, text in PHRASES.items()}


def _lang(lang: str) -> str:
    return "en" if lang == "en" else "nl"

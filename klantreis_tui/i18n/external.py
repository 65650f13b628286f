"""Texts that come from outside our code (Textual's key descriptions, argparse's, json's and tomllib's messages), marked for the catalog."""

from klantreis_tui.i18n import N_

#: Textual's own key and command descriptions (Textual ships English only); the help screen shows them translated.
TEXTUAL = (
    N_('Bottom'),
    N_('Top'),
    N_('Home'),
    N_('End'),
    N_('Copy selected text'),
    N_('Cursor down'),
    N_('Cursor up'),
    N_('Cursor left'),
    N_('Cursor right'),
    N_('Down'),
    N_('Up'),
    N_('First'),
    N_('Last'),
    N_('Focus Next'),
    N_('Focus Previous'),
    N_('Page Down'),
    N_('Page Up'),
    N_('Page down'),
    N_('Page up'),
    N_('Page Left'),
    N_('Page Right'),
    N_('Scroll Left'),
    N_('Scroll Right'),
    N_('Select'),
    N_('palette'),
    N_('Quit'),
    N_('Scroll Up'),
    N_('Scroll Down'),
    N_('Scroll Home'),
    N_('Scroll End'),
    N_('Toggle'),
    N_('Delete'),
    N_('Cut'),
    N_('Paste'),
)

#: What argparse says to a user (it looks its texts up through gettext's ``_``).
ARGPARSE = (
    N_('usage: '),
    N_('options'),
    N_('positional arguments'),
    N_('show this help message and exit'),
    N_('%(prog)s: error: %(message)s\n'),
    N_('unrecognized arguments: %s'),
    N_('the following arguments are required: %s'),
    N_('invalid choice: %(value)r (choose from %(choices)s)'),
    N_('expected one argument'),
    N_('argument %(argument_name)s: %(message)s'),
    N_('invalid %(type)s value: %(value)r'),
    N_('ambiguous option: %(option)s could match %(matches)s'),
)

#: what the json module says of a broken file (``JSONDecodeError.msg``, without the position)
JSON = (
    N_('Expecting value'),
    N_("Expecting ',' delimiter"),
    N_("Expecting ':' delimiter"),
    N_('Expecting property name enclosed in double quotes'),
    N_('Unterminated string starting at'),
    N_('Invalid control character at'),
    N_('Invalid \\escape'),
    N_('Invalid \\uXXXX escape'),
    N_('Extra data'),
)

#: what tomllib says of a broken configuration file (without the place, which is worded apart)
TOML = (
    N_('Cannot overwrite a value'),
    N_('Escaped character is not a Unicode scalar value'),
    N_("Expected '=' after a key in a key/value pair"),
    N_("Expected ']' at the end of a table declaration"),
    N_("Expected ']]' at the end of an array declaration"),
    N_('Expected newline or end of document after a statement'),
    N_('Invalid date or datetime'),
    N_('Invalid hex value'),
    N_('Invalid initial character for a key part'),
    N_('Invalid statement'),
    N_('Invalid value'),
    N_('Unclosed array'),
    N_('Unclosed inline table'),
    N_("Unescaped '\\' in a string"),
    N_('Unterminated string'),
)

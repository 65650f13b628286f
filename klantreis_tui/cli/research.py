"""``export --format qdpx|qdc``: the interviews as a REFI-QDA project, or their codes as a codebook."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from klantreis_tui.cli.common import fail, say
from klantreis_tui.i18n import counts, t

#: the file written without -o
DEFAULT_NAMES = {"qdpx": "klantreis-export.qdpx", "qdc": "klantreis-export.qdc"}


def export_research(args: argparse.Namespace, services, ids: list[str], fmt: str) -> int:  # type: ignore[no-untyped-def]
    """Write the project or codebook to -o (a regular file or a new path) or to the default file name."""
    if args.include_identities or args.encrypt:
        return fail(t('--include-identities and --encrypt apply to a JSON bundle only (--format json).'))
    keep = args.keep_personal_data
    if keep:
        say(t('WARNING: personal data in free text is not redacted (--keep-personal-data).'), file=sys.stderr)
    path = getattr(args, "output", None) or Path(DEFAULT_NAMES[fmt])
    services.export_research(ids, fmt, path, keep_personal_data=keep)
    if fmt == "qdpx":
        say(t('REFI-QDA project written: {path} ({interviews}). Open it in ATLAS.ti, NVivo, MAXQDA or QualCoder (File > Import > REFI-QDA project).', path=path, interviews=counts.interviews(len(ids))))
    else:
        say(t('REFI-QDA codebook written: {path}.', path=path))
    return 0

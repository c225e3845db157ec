"""How the command line ends: exit codes and the one-paragraph error message.

Exit codes: 0 success, 2 bad input (one clear paragraph, no traceback),
1 internal error (the traceback only with ``--debug``), 130 interrupted.
A user who mistyped something is told what and where; a bug in greatgame
says so, so the user does not hunt for a mistake in the scenario.
"""

from __future__ import annotations

import sys
import traceback

EXIT_OK, EXIT_INTERNAL, EXIT_BAD_INPUT, EXIT_INTERRUPTED = 0, 1, 2, 130


class UsageError(Exception):
    """Bad command-line input that is not about the scenario file's content."""


def fail(message: str, code: int) -> int:
    """Print ``error: message`` on stderr and return ``code`` as the exit code."""
    print(f"error: {message}", file=sys.stderr)
    return code


def internal_error(message: str, debug: bool) -> int:
    """Report a bug in greatgame (with the traceback under ``--debug``); exit 1.

    Called from an ``except`` block, so the traceback printed is the
    exception being handled.
    """
    if debug:
        traceback.print_exc()
    return fail(message, EXIT_INTERNAL)

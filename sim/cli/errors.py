"""How the command line ends: exit codes and the one-paragraph error message.

Exit codes: 0 success, 2 bad input (one clear paragraph, no traceback),
1 a failure of the machine (disk full, read-only folder, out of memory,
a killed worker: :mod:`sim.cli.environment`) or an internal error (the
traceback only with ``--debug``), 130 interrupted. A user who mistyped
something is told what and where; a bug in greatgame says so, so the user
does not hunt for a mistake in the scenario, and a full disk is not
called a bug.
"""

from __future__ import annotations

import sys
import traceback
from collections.abc import Callable

from sim.cli.environment import environment_message

EXIT_OK, EXIT_INTERNAL, EXIT_BAD_INPUT, EXIT_INTERRUPTED = 0, 1, 2, 130
#: A failure of the machine (disk full, out of memory...) exits as an error does.
EXIT_ENVIRONMENT = EXIT_INTERNAL


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


def bug_report(err: BaseException, what: str | None = None) -> str:
    """The message for an unexpected error: it is greatgame's fault, not the user's."""
    what = what or f"{type(err).__name__}: {err}"
    return (
        f"internal error: {what}. This is a bug in greatgame; rerun with --debug "
        "for the traceback and report it."
    )


def guarded(
    body: Callable[[], int],
    debug: bool,
    *,
    bad_input: tuple[type[BaseException], ...],
    interrupted: str | None,
    bug: Callable[[BaseException], str] = bug_report,
    saved: str | None = None,
) -> int:
    """Run a command's ``body`` and turn what it raises into an exit code.

    Every command ends the same way: bad input (``bad_input``) is one
    paragraph and exit 2, Ctrl-C says what was kept (``interrupted``) and
    exits 130, a failure of the machine says what happened and what was
    kept (``saved``, default ``interrupted``) and exits 1, anything else is
    a bug (``bug`` words it) and exits 1.
    """
    try:
        return body()
    except KeyboardInterrupt:
        if interrupted:
            print(f"\ninterrupted: {interrupted}", file=sys.stderr)
        return EXIT_INTERRUPTED
    except bad_input as err:
        return fail(str(err), EXIT_BAD_INPUT)
    except Exception as err:  # noqa: BLE001 - the CLI's last line of defence
        plain = environment_message(err, saved or interrupted)
        if plain is not None:
            if debug:
                traceback.print_exc()
            return fail(plain, EXIT_ENVIRONMENT)
        return internal_error(bug(err), debug)

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

import contextlib
import signal
import sys
import threading
import traceback
from collections.abc import Callable, Iterator

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
    ctrl_c = _CtrlC()
    try:
        with ctrl_c.watched():
            return body()
    except KeyboardInterrupt:
        return _interrupted(interrupted)
    except bad_input as err:
        if ctrl_c.pressed:
            return _interrupted(interrupted)
        return fail(str(err), EXIT_BAD_INPUT)
    except Exception as err:  # noqa: BLE001 - the CLI's last line of defence
        if ctrl_c.pressed:  # the Ctrl-C surfaced as another error (see _CtrlC)
            return _interrupted(interrupted)
        plain = environment_message(err, saved or interrupted)
        if plain is not None:
            if debug:
                traceback.print_exc()
            return fail(plain, EXIT_ENVIRONMENT)
        return internal_error(bug(err), debug)


def _interrupted(what: str | None) -> int:
    """Say what Ctrl-C kept (``what``), if anything; the exit code 130."""
    if what:
        print(f"\ninterrupted: {what}", file=sys.stderr)
    return EXIT_INTERRUPTED


class _CtrlC:
    """Whether Ctrl-C was pressed while a command ran.

    Why: Ctrl-C raises KeyboardInterrupt wherever the command is, and now
    and then that is a place that turns it into another error: a C
    extension's import cut short fails with ``ImportError: initialization
    failed``. Such an error after a Ctrl-C is the Ctrl-C, not a bug.
    """

    def __init__(self) -> None:
        self.pressed = False

    def _on_sigint(self, signum, frame) -> None:
        self.pressed = True
        raise KeyboardInterrupt

    @contextlib.contextmanager
    def watched(self) -> Iterator[None]:
        """Note Ctrl-C while inside, where Python's own handler would take it.

        A handler someone else installed (or SIGINT ignored, as in a
        background job) is left alone, as is any thread but the main one.
        """
        if threading.current_thread() is not threading.main_thread():
            yield
            return
        previous = signal.getsignal(signal.SIGINT)
        if previous is not signal.default_int_handler:
            yield
            return
        signal.signal(signal.SIGINT, self._on_sigint)
        try:
            yield
        finally:
            signal.signal(signal.SIGINT, previous)

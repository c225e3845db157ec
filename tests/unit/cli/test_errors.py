"""Exit codes and the one-line error message."""

from __future__ import annotations

import os
import signal
import time

from sim.cli.errors import (
    EXIT_BAD_INPUT,
    EXIT_INTERNAL,
    EXIT_INTERRUPTED,
    EXIT_OK,
    fail,
    guarded,
    internal_error,
)


def test_the_exit_codes_are_the_documented_ones():
    assert (EXIT_OK, EXIT_INTERNAL, EXIT_BAD_INPUT, EXIT_INTERRUPTED) == (0, 1, 2, 130)


def test_fail_prints_one_error_line_and_returns_the_code(capsys):
    assert fail("bad thing", EXIT_BAD_INPUT) == 2
    captured = capsys.readouterr()
    assert captured.out == ""
    assert captured.err == "error: bad thing\n"


def _raise_and_report(debug: bool) -> int:
    try:
        raise ValueError("inner detail")
    except ValueError:
        return internal_error("internal error: a bug", debug)


def test_an_internal_error_hides_the_traceback_without_debug(capsys):
    assert _raise_and_report(debug=False) == EXIT_INTERNAL
    err = capsys.readouterr().err
    assert err == "error: internal error: a bug\n"


def test_debug_shows_the_traceback_first(capsys):
    assert _raise_and_report(debug=True) == EXIT_INTERNAL
    err = capsys.readouterr().err
    assert err.startswith("Traceback")
    assert "ValueError: inner detail" in err
    assert err.endswith("error: internal error: a bug\n")


def _ctrl_c_then(error: Exception):
    """A command body: Ctrl-C arrives, and the code it lands in raises ``error``."""

    def body() -> int:
        try:
            os.kill(os.getpid(), signal.SIGINT)
            time.sleep(5)  # the signal is handled before this ends
        except KeyboardInterrupt:
            raise error from None  # as an import cut short by Ctrl-C does
        return 0

    return body


def test_an_error_that_a_ctrl_c_turned_into_is_told_as_the_ctrl_c(capsys):
    body = _ctrl_c_then(ImportError("initialization failed"))
    code = guarded(body, False, bad_input=(ValueError,), interrupted="nothing kept")
    assert code == EXIT_INTERRUPTED
    assert capsys.readouterr().err == "\ninterrupted: nothing kept\n"
    assert signal.getsignal(signal.SIGINT) is signal.default_int_handler


def test_the_same_error_without_a_ctrl_c_is_a_bug(capsys):
    def body() -> int:
        raise ImportError("initialization failed")

    code = guarded(body, False, bad_input=(ValueError,), interrupted="nothing kept")
    assert code == EXIT_INTERNAL
    assert "internal error: ImportError" in capsys.readouterr().err


def test_a_sigint_handler_of_someone_elses_is_left_alone():
    seen = []
    previous = signal.signal(signal.SIGINT, lambda *a: seen.append("theirs"))
    try:
        assert guarded(lambda: 0, False, bad_input=(), interrupted=None) == 0
        os.kill(os.getpid(), signal.SIGINT)
        assert seen == ["theirs"]
    finally:
        signal.signal(signal.SIGINT, previous)

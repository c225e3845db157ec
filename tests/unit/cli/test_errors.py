"""Exit codes and the one-line error message."""

from __future__ import annotations

from sim.cli.errors import (
    EXIT_BAD_INPUT,
    EXIT_INTERNAL,
    EXIT_INTERRUPTED,
    EXIT_OK,
    fail,
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

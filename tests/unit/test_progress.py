"""Progress bars: in a notebook and on a terminal, never in a log or on CI."""

from __future__ import annotations

import io
import sys
import types

import pytest

from sim import progress


class _Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


class _Kernel:
    config = {"IPKernelApp": {"connection_file": "kernel.json"}}


class _PlainIPython:
    config: dict = {}


@pytest.fixture
def place(monkeypatch):
    """Put the process somewhere: a terminal or a log, a kernel or not, CI or not."""
    monkeypatch.delenv("CI", raising=False)
    monkeypatch.delitem(sys.modules, "IPython", raising=False)

    def put(terminal: bool = False, shell=None, ci: str | None = None) -> None:
        monkeypatch.setattr(sys, "stderr", _Terminal() if terminal else io.StringIO())
        if shell is not None:
            fake = types.ModuleType("IPython")
            fake.get_ipython = lambda: shell
            monkeypatch.setitem(sys.modules, "IPython", fake)
        if ci is not None:
            monkeypatch.setenv("CI", ci)

    return put


def test_a_terminal_gets_a_bar(place):
    place(terminal=True)
    assert progress.wanted()


def test_a_log_or_a_pipe_gets_none(place):
    place(terminal=False)
    assert not progress.wanted()
    assert progress.bar(10, "run", "week") is None


def test_a_notebook_gets_a_bar_though_stderr_is_no_terminal(place):
    place(terminal=False, shell=_Kernel())
    assert progress.in_notebook()
    assert progress.wanted()


def test_ipython_in_a_terminal_is_no_notebook(place):
    place(terminal=False, shell=_PlainIPython())
    assert not progress.in_notebook()
    assert not progress.wanted()


def test_ipython_imported_without_a_shell_is_no_notebook(place):
    place(terminal=False, shell=None)
    fake = types.ModuleType("IPython")
    fake.get_ipython = lambda: None
    sys.modules["IPython"] = fake
    assert not progress.in_notebook()


@pytest.mark.parametrize("value", ["true", "1", "TRUE", "yes"])
def test_ci_gets_none_even_on_a_terminal_or_in_a_notebook(place, value):
    place(terminal=True, shell=_Kernel(), ci=value)
    assert not progress.wanted()


@pytest.mark.parametrize("value", ["", "false", "0"])
def test_ci_set_to_false_does_not_count(place, value):
    place(terminal=True, ci=value)
    assert progress.wanted()


def test_quiet_wins_and_true_forces_a_bar(place):
    place(terminal=True)
    assert not progress.wanted(False)
    assert progress.bar(10, "run", "week", progress=False) is None
    place(terminal=False, ci="true")
    assert progress.wanted(True)


def test_a_wanted_bar_counts_on_stderr(place):
    place(terminal=True)
    bar = progress.bar(4, "2016", "week", initial=1)
    assert bar is not None
    bar.update(3)
    bar.close()
    assert bar.n == 4
    assert "2016" in sys.stderr.getvalue()


def test_a_stream_without_isatty_is_no_terminal():
    assert not progress.on_terminal(object())

"""The ``greatgame`` dispatcher: top-level help, version, scenario names."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys

import pytest

import sim.cli
from sim.cli import commands
from sim.cli.commands import COMMANDS, main
from sim.results.manifest import greatgame_version
from tests.conftest import ROOT

SUBCOMMANDS = [
    "run",
    "validate",
    "plot",
    "sweep",
    "check",
    "compare",
    "calibrate",
    "serve",
]


def test_sim_cli_main_is_the_entry_function():
    assert callable(sim.cli.main)
    assert sim.cli.main is commands.main


def test_help_lists_every_subcommand_on_one_line(capsys):
    with pytest.raises(SystemExit) as exc:
        main(["--help"])
    assert exc.value.code == 0
    out = capsys.readouterr().out
    assert list(COMMANDS) == SUBCOMMANDS
    for name, (_, line) in COMMANDS.items():
        listed = [ln for ln in out.splitlines() if ln.split()[:1] == [name]]
        assert len(listed) == 1, (name, out)
        assert listed[0].split(None, 1)[1] == line
        assert line and "\n" not in line


@pytest.mark.parametrize("name", SUBCOMMANDS)
def test_every_subcommand_has_its_own_help(name, capsys):
    with pytest.raises(SystemExit) as exc:
        main([name, "--help"])
    assert exc.value.code == 0
    assert capsys.readouterr().out.startswith("usage: greatgame")


def test_version_prints_the_program_and_its_version(capsys):
    with pytest.raises(SystemExit) as exc:
        main(["--version"])
    assert exc.value.code == 0
    out = capsys.readouterr().out.strip()
    assert re.fullmatch(r"greatgame \d+\.\d+\.\d+\S*", out), out
    assert out == f"greatgame {greatgame_version()}"


def test_version_through_python_m_sim():
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    proc = subprocess.run(
        [sys.executable, "-m", "sim", "--version"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.startswith("greatgame ")


def test_no_arguments_is_bad_input_with_the_usage(capsys):
    assert main([]) == 2
    err = capsys.readouterr().err
    assert err.startswith("usage: greatgame")
    assert "error: " in err and "--help" in err


def test_a_shipped_scenario_runs_by_name_from_anywhere(tmp_path, monkeypatch, capsys):
    monkeypatch.chdir(tmp_path)  # no scenarios/ folder here
    out = tmp_path / "run"
    argv = ["2016", "--steps", "2", "--no-figures", "--quiet", "--out", str(out)]
    assert main(argv) == 0, capsys.readouterr().err
    manifest = json.loads((out / "manifest.json").read_text(encoding="utf-8"))
    assert manifest["scenario"] == "afghanistan-2016"
    assert manifest["steps"] == 2


def test_run_is_also_an_explicit_subcommand(tmp_path, monkeypatch, capsys):
    monkeypatch.chdir(tmp_path)
    out = tmp_path / "run"
    argv = ["run", "no_isis", "--steps", "1", "--no-figures", "--quiet"]
    assert main([*argv, "--out", str(out)]) == 0, capsys.readouterr().err
    assert (out / "actors.csv").is_file()


def test_a_misspelt_scenario_name_suggests_the_shipped_one(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    for argv in (["validate", "no_isiz"], ["no_isiz", "--no-figures"]):
        assert main(argv) == 2
    assert not any(tmp_path.iterdir())  # nothing written


def test_the_misspelt_name_message(tmp_path, monkeypatch, capsys):
    monkeypatch.chdir(tmp_path)
    assert main(["validate", "no_isiz"]) == 2
    err = capsys.readouterr().err
    assert err.startswith("error: no_isiz")
    assert "did you mean 'no_isis'" in err
    assert "\n" not in err.strip()


COMMAND_LIST = "run, validate, plot, sweep, check, compare, calibrate, serve"
SHIPPED = (
    "2016, iran_backs_taliban, no_isis, no_russian_aid, taliban_united, "
    "us_withdrawal_2016"
)


@pytest.mark.parametrize(
    ("argv", "meant"), [(["swep"], "sweep"), (["chek", "2016"], "check")]
)
def test_a_misspelt_command_names_it(argv, meant, tmp_path, monkeypatch, capsys):
    monkeypatch.chdir(tmp_path)
    assert main(argv) == 2
    assert capsys.readouterr().err == (
        f"error: '{argv[0]}' is not a command, a scenario file or a shipped "
        f"scenario; did you mean 'greatgame {meant}'? (commands: {COMMAND_LIST}; "
        f"shipped scenarios: {SHIPPED})\n"
    )
    assert not any(tmp_path.iterdir())


def test_a_file_named_like_a_command_is_still_a_scenario(tmp_path, monkeypatch, capsys):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "swep").write_text("name: x\n", encoding="utf-8")
    assert main(["swep", "--no-figures"]) == 2
    err = capsys.readouterr().err
    assert err.startswith("error: swep") and "is not a command" not in err


def test_a_word_far_from_every_command_is_left_to_the_run(
    tmp_path, monkeypatch, capsys
):
    monkeypatch.chdir(tmp_path)
    assert main(["no_isiz"]) == 2
    err = capsys.readouterr().err
    assert "did you mean 'no_isis'" in err and "is not a command" not in err


def test_a_misspelt_command_through_run_py_is_one_line():
    proc = subprocess.run(
        [sys.executable, "run.py", "swep"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert proc.returncode == 2
    assert proc.stdout == ""
    assert proc.stderr.count("\n") == 1, proc.stderr
    assert "did you mean 'greatgame sweep'?" in proc.stderr


def test_a_command_imports_its_own_module_only():
    code = (
        "import sys\n"
        "from sim.cli import main\n"
        "assert main(['validate', '2016']) == 0\n"
        "print(' '.join(sorted(m for m in sys.modules if m.startswith('sim.cli.'))))\n"
    )
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    proc = subprocess.run(
        [sys.executable, "-c", code],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert proc.returncode == 0, proc.stderr
    modules = set(proc.stdout.splitlines()[-1].split())
    loaded = modules & {f"sim.cli.{n}" for n in SUBCOMMANDS}
    assert loaded == {"sim.cli.validate"}, proc.stdout


class TestEntryPoint:
    """The program's entry returns main's exit code and freezes the heap for exit."""

    def test_returns_the_exit_code_and_freezes(self, monkeypatch):
        frozen = []
        monkeypatch.setattr(commands, "main", lambda: 3)
        monkeypatch.setattr(commands.gc, "freeze", lambda: frozen.append(True))
        assert commands.entry_point() == 3
        assert frozen == [True]

    def test_freezes_when_the_command_exits_early(self, monkeypatch):
        frozen = []

        def early():
            raise SystemExit(2)

        monkeypatch.setattr(commands, "main", early)
        monkeypatch.setattr(commands.gc, "freeze", lambda: frozen.append(True))
        with pytest.raises(SystemExit):
            commands.entry_point()
        assert frozen == [True]

    @pytest.mark.parametrize("launcher", [["run.py"], ["-m", "sim"]])
    def test_the_launchers_use_it(self, launcher):
        out = subprocess.run(
            [sys.executable, *launcher, "--version"],
            cwd=ROOT,
            capture_output=True,
            text=True,
            check=False,
        )
        assert out.returncode == 0, out.stderr
        assert greatgame_version() in out.stdout
        source = (ROOT / "run.py").read_text() + (ROOT / "sim/__main__.py").read_text()
        assert source.count("entry_point()") == 2

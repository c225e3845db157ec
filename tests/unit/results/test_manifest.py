"""The manifest: versions, the git commit, and never a failed run over them."""

from __future__ import annotations

import datetime as dt
import shutil
import subprocess
import tomllib

import pytest

from sim.results import manifest as mf
from tests.conftest import ROOT

NOW = dt.datetime(2026, 1, 2, 3, 4, 5, tzinfo=dt.UTC)


def _clone_head() -> str | None:
    if shutil.which("git") is None:
        return None
    done = subprocess.run(
        ["git", "rev-parse", "--show-toplevel", "HEAD"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=False,
    )
    lines = done.stdout.splitlines()
    if done.returncode or len(lines) != 2 or lines[0] != str(ROOT.resolve()):
        return None
    return lines[1]


def test_manifest_records_the_run_and_every_dependency():
    m = mf.manifest({"name": "x"}, 7, 3, NOW, NOW, ["steps=3"])
    assert (m["scenario"], m["seed"], m["steps"], m["overrides"]) == (
        "x",
        7,
        3,
        ["steps=3"],
    )
    assert set(m["dependencies"]) == {"python", *mf.SCIENTIFIC_DEPENDENCIES}
    for name in mf.SCIENTIFIC_DEPENDENCIES:
        assert m["dependencies"][name] not in ("", None, "unknown"), name
    assert m["mesa_version"] == m["dependencies"]["mesa"]
    assert m["started"] == "2026-01-02T03:04:05+00:00"


def test_the_scientific_dependencies_are_those_the_package_declares():
    with (ROOT / "pyproject.toml").open("rb") as f:
        declared = tomllib.load(f)["project"]["dependencies"]
    names = {d.split(">")[0].split("<")[0].split("=")[0].strip() for d in declared}
    assert names == set(mf.SCIENTIFIC_DEPENDENCIES)


def test_a_clone_records_its_commit():
    head = _clone_head()
    if head is None:
        pytest.skip("not run from a git clone with git installed")
    assert mf.git_commit() == head
    assert mf.manifest({}, 1, 1, NOW, NOW, [])["git_commit"] == head


def test_no_git_gives_no_commit(monkeypatch, tmp_path):
    monkeypatch.setenv("PATH", str(tmp_path))  # no git executable anywhere
    assert mf.git_commit() is None
    assert mf.manifest({}, 1, 1, NOW, NOW, [])["git_commit"] is None


def test_a_slow_git_gives_no_commit(monkeypatch):
    def slow(*args, **kwargs):
        raise subprocess.TimeoutExpired(args[0], kwargs.get("timeout"))

    monkeypatch.setattr(mf.subprocess, "run", slow)
    assert mf.git_commit() is None


def test_a_folder_outside_any_clone_has_no_commit(tmp_path):
    package = tmp_path / "site-packages" / "sim"
    package.mkdir(parents=True)
    assert mf.git_commit(package) is None


def test_a_copy_nested_in_another_repository_has_no_commit():
    if _clone_head() is None:
        pytest.skip("not run from a git clone with git installed")
    # sim/results sits in the clone, but its parent is not the clone's top
    assert mf.git_commit(ROOT / "sim" / "results") is None


def test_without_metadata_the_version_comes_from_pyproject(monkeypatch):
    with (ROOT / "pyproject.toml").open("rb") as f:
        declared = tomllib.load(f)["project"]["version"]
    monkeypatch.setattr(mf, "package_version", lambda name: "unknown")
    assert mf.greatgame_version() == declared


def test_an_unknown_distribution_is_unknown():
    assert mf.package_version("surely-not-installed-dist-xyz") == "unknown"


def test_versions_are_those_importlib_metadata_gives():
    from importlib.metadata import version

    for name in mf.SCIENTIFIC_DEPENDENCIES:
        expected = version(name) if mf.package_version(name) != "unknown" else None
        assert mf.package_version(name) == (expected or "unknown"), name


def test_a_version_is_read_from_the_headers_without_parsing_the_metadata(
    monkeypatch,
):
    from importlib.metadata import Distribution

    def parse(self):
        raise AssertionError("the whole metadata was parsed")

    monkeypatch.setattr(Distribution, "metadata", property(parse))
    mf.package_version.cache_clear()
    try:
        assert mf.package_version("numpy") not in ("", "unknown")
    finally:
        mf.package_version.cache_clear()

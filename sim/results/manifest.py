"""What a run was made with: the manifest written as ``manifest.json``.

Enough to reproduce a run: the resolved scenario, the seed, the overrides,
greatgame's version and git commit, and the version of every scientific
library the numbers depend on (an upgrade of numpy or Mesa may change
them). Times live here only, never in the tables, so tables of the same
seed stay byte-identical.
"""

from __future__ import annotations

import datetime as dt
import functools
import platform
import subprocess
from importlib.metadata import PackageNotFoundError, distribution
from pathlib import Path

#: The distributions whose versions a manifest records (PyPI names).
SCIENTIFIC_DEPENDENCIES = (
    "mesa",
    "numpy",
    "scipy",
    "pandas",
    "networkx",
    "matplotlib",
    "pydantic",
    "pyyaml",
    "tqdm",
    "contourpy",
    "pillow",
    "threadpoolctl",
)

#: Seconds ``git`` may take before the commit is given up as unknown.
GIT_TIMEOUT = 2.0

_PACKAGE_DIR = Path(__file__).resolve().parent.parent


@functools.cache
def package_version(name: str) -> str:
    """The installed version of distribution ``name``, or ``"unknown"``.

    Read from the ``Version`` line of the distribution's metadata headers:
    ``importlib.metadata.version`` parses the whole file as an e-mail
    (several milliseconds for a long description), a dozen times a run.
    Kept for the process: the modules it describes are loaded already.
    """
    try:
        dist = distribution(name)
    except PackageNotFoundError:
        return "unknown"
    return _header_version(dist) or dist.version


def _header_version(dist) -> str | None:
    """The ``Version:`` header of a distribution's metadata, None if not found."""
    text = dist.read_text("METADATA") or dist.read_text("PKG-INFO") or ""
    for line in text.splitlines():
        if not line.strip():
            return None  # the headers end at the first empty line
        if line.startswith("Version:"):
            return line.removeprefix("Version:").strip() or None
    return None


def greatgame_version() -> str:
    """The version of greatgame: installed metadata, else a clone's pyproject.toml.

    A clone used without ``pip install`` has no metadata, yet its
    ``pyproject.toml`` says which version it is.
    """
    found = package_version("greatgame")
    if found != "unknown":
        return found
    import tomllib  # only a clone without metadata needs it

    try:
        with (_PACKAGE_DIR.parent / "pyproject.toml").open("rb") as f:
            return str(tomllib.load(f)["project"]["version"])
    except (OSError, KeyError, TypeError, tomllib.TOMLDecodeError):
        return "unknown"


def git_commit(package_dir: Path = _PACKAGE_DIR) -> str | None:
    """The commit of the clone the code runs from, or None outside a clone.

    Only a repository whose top folder holds ``package_dir`` counts: an
    installed copy inside some other repository (a virtualenv in a user's
    project) must not report that project's commit. No git, a slow git or
    any git error gives None, never a failed run.
    """
    try:
        done = subprocess.run(
            ["git", "rev-parse", "--show-toplevel", "HEAD"],
            cwd=package_dir,
            capture_output=True,
            text=True,
            timeout=GIT_TIMEOUT,
            check=False,
        )
    except (OSError, subprocess.SubprocessError):
        return None
    lines = done.stdout.splitlines()
    if done.returncode != 0 or len(lines) != 2:
        return None
    top, commit = lines
    if Path(top).resolve() != Path(package_dir).resolve().parent:
        return None
    return commit


def dependency_versions() -> dict[str, str]:
    """Python's version and that of each scientific dependency, by name."""
    versions = {"python": platform.python_version()}
    versions.update({name: package_version(name) for name in SCIENTIFIC_DEPENDENCIES})
    return versions


def manifest(
    scenario: dict,
    seed: int,
    steps: int,
    started: dt.datetime,
    finished: dt.datetime,
    overrides: list[str],
) -> dict:
    """What was run, with what, when: enough to reproduce the run."""
    return {
        "scenario": scenario.get("name"),
        "seed": seed,
        "steps": steps,
        "overrides": overrides,
        "greatgame_version": greatgame_version(),
        "git_commit": git_commit(),
        "mesa_version": package_version("mesa"),
        "numpy_version": package_version("numpy"),
        "dependencies": dependency_versions(),
        "started": started.isoformat(timespec="seconds"),
        "finished": finished.isoformat(timespec="seconds"),
        "resolved_scenario": scenario,
    }

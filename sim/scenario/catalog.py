"""The scenarios that ship with greatgame, found by name or by path.

``greatgame 2016`` and ``GreatGame("2016")`` must work in an installed copy
far from any clone, so a bare name is looked up among the scenario files
packaged with ``sim`` (the repository's ``scenarios/`` folder).
"""

from __future__ import annotations

from importlib import resources
from pathlib import Path


def shipped_dir() -> Path:
    """The folder of the scenario files that ship with the package."""
    return Path(str(resources.files("sim") / "scenarios"))


def shipped_names() -> list[str]:
    """Names of the shipped scenarios (file stems, e.g. ``2016``), sorted."""
    folder = shipped_dir()
    return sorted(p.stem for p in folder.glob("*.yaml")) if folder.is_dir() else []


def find_scenario(name_or_path: str | Path) -> Path:
    """The scenario file a user means: an existing path, else a shipped name.

    ``"scenarios/2016.yaml"`` is a path and is returned as given (checked
    later by the loader, which names the file in its errors); ``"2016"`` or
    ``"no_isis"`` is a shipped scenario. A name that is neither is returned
    as a path, so the loader reports the missing file in its usual words.
    """
    path = Path(name_or_path)
    if path.exists() or path.suffix in {".yaml", ".yml"} or len(path.parts) > 1:
        return path
    shipped = shipped_dir() / f"{path.name}.yaml"
    return shipped if shipped.is_file() else path

"""The package's shape: imports run one way, from input toward the front ends.

The order of the stages is scenario input and the world, then the
processes and the model core, then results, figures, experiments, and the
dashboard and command line on top. A module may import its own stage or a
lower one; an import upward would tie a lower stage to a front end (the
kind of knot that made results import the command line once).
"""

from __future__ import annotations

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
SIM = ROOT / "sim"

#: Stage of each sub-package (and of the shared modules), lowest first.
STAGES = {
    "text": 0,
    "vocabulary": 0,
    "files": 0,
    "progress": 0,
    "world": 1,
    "scenario": 2,
    "processes": 3,
    "core": 4,
    "results": 5,
    "plots": 6,
    "experiments": 7,
    "dashboard": 8,
    "cli": 8,
}
TOP = 9  # sim/__init__.py and sim/__main__.py: the public front door

#: Upward imports that are meant: a finished run's conveniences
#: (``RunResult.save`` and ``.plot``) draw figures, lazily, inside the method.
ALLOWED = {
    ("sim/results/export.py", "sim.plots"),
    ("sim/results/rundata.py", "sim.plots"),
}


def _stage(module: str) -> int | None:
    parts = module.split(".")
    if parts[0] != "sim":
        return None
    return TOP if len(parts) == 1 else STAGES.get(parts[1], TOP)


def _imports(path: Path):
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.ImportFrom) and node.module:
            if node.module == "sim":
                yield node.lineno, [f"sim.{a.name}" for a in node.names]
            else:
                yield node.lineno, [node.module]
        elif isinstance(node, ast.Import):
            yield node.lineno, [a.name for a in node.names]


def _upward_imports(sim: Path = SIM) -> list[str]:
    found = []
    for path in sorted(sim.rglob("*.py")):
        rel = path.relative_to(sim.parent).as_posix()
        parts = path.relative_to(sim).with_suffix("").parts
        own = TOP if parts[0] in ("__init__", "__main__") else STAGES.get(parts[0])
        for line, targets in _imports(path):
            for target in targets:
                stage = _stage(target)
                if stage is None or own is None or stage <= own:
                    continue
                if (rel, target) not in ALLOWED:
                    found.append(f"{rel}:{line} imports {target}")
    return found


def test_every_sub_package_has_a_stage():
    packages = {p.name for p in SIM.iterdir() if (p / "__init__.py").is_file()}
    assert packages <= set(STAGES), packages - set(STAGES)


def test_no_module_imports_a_later_stage():
    assert _upward_imports() == []


def test_the_check_sees_an_upward_import(tmp_path):
    fake = tmp_path / "sim"
    (fake / "processes").mkdir(parents=True)
    (fake / "processes" / "combat.py").write_text(
        "from sim.cli import main\nfrom sim.world import geography\n", encoding="utf-8"
    )
    assert _upward_imports(fake) == ["sim/processes/combat.py:1 imports sim.cli"]

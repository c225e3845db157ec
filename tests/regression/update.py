"""Refresh the golden baselines on purpose: ``python tests/regression/update.py``.

Runs every scenario in ``scenarios/`` (seed 1, full steps), rewrites
``tests/regression/baselines/<stem>.json`` and prints what changed. Works
from any folder. Commit the new baselines together with the change in
behaviour that explains them.
"""

from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from tests.regression import golden  # noqa: E402


def main() -> int:
    stems = set()
    for scenario in golden.scenario_files():
        stems.add(scenario.stem)
        path = golden.baseline_path(scenario)
        new = golden.summarize(scenario)
        if not path.exists():
            print(f"{scenario.name}: new baseline {path.name}")
        else:
            changes = golden.diff(golden.load(path), new)
            print(f"{scenario.name}: " + ("unchanged" if not changes else "changed"))
            for line in changes:
                print(f"  {line}")
        golden.dump(new, path)
    for stale in sorted(golden.BASELINES.glob("*.json")):
        if stale.stem not in stems:
            stale.unlink()
            print(f"{stale.name}: removed (no scenarios/{stale.stem}.yaml)")
    return 0


if __name__ == "__main__":
    sys.exit(main())

"""``python -m sim``: the same command line as ``run.py``."""

from __future__ import annotations

import sys

from sim.cli import entry_point

sys.exit(entry_point())

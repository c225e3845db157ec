"""Run a greatgame scenario from a clone: ``python run.py 2016`` (see README).

The same command line as ``greatgame`` and ``python -m sim``.
"""

from __future__ import annotations

import sys

from sim.cli import entry_point

if __name__ == "__main__":
    sys.exit(entry_point())

"""Run a greatgame scenario: ``python run.py scenarios/2016.yaml`` (see README)."""

import sys

from sim.cli import main

if __name__ == "__main__":
    sys.exit(main())

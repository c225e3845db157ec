"""Fixtures of the scenario unit tests."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.unit.scenario.helpers import BASE, write


@pytest.fixture
def base(tmp_path: Path) -> Path:
    return write(tmp_path, "base.yaml", BASE)

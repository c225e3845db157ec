"""The dashboard's export: the run on screen as the run directory, zipped."""

from __future__ import annotations

import io
import json
import zipfile
from pathlib import Path

from sim.dashboard.controls import DashboardGame
from sim.dashboard.export import export_name, run_zip, snapshot

ROOT = Path(__file__).resolve().parents[3]


def test_the_zip_holds_the_run_directory_up_to_the_week_shown():
    m = DashboardGame(str(ROOT / "scenarios/2016.yaml"), seed=5)
    m.run(6)
    result = snapshot(m)
    m.run(3)  # later steps do not change the snapshot
    name = export_name(m)
    assert name == "2016-seed5-week9.zip"
    data = run_zip(result, "2016-seed5-week6.zip", figures=False)
    archive = zipfile.ZipFile(io.BytesIO(data))
    files = {Path(n).name for n in archive.namelist()}
    assert {"provinces.csv", "events.jsonl", "manifest.json", "chronicle.md"} <= files
    assert {Path(n).parts[0] for n in archive.namelist()} == {"2016-seed5-week6"}
    manifest = json.loads(archive.read("2016-seed5-week6/manifest.json"))
    assert manifest["seed"] == 5
    provinces = archive.read("2016-seed5-week6/provinces.csv").decode()
    assert max(int(line.split(",")[0]) for line in provinces.splitlines()[1:]) == 6

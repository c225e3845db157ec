"""Golden-baseline summaries of each scenario, to catch silent changes.

A summary is small and readable: final controller per province, final
strength per actor (whole fighters), final alliance status per pair, event
counts by type and a sha256 of each table exactly as
:func:`sim.results.tables.write_run`
writes it. :func:`diff` turns two summaries into readable lines.
"""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
SCENARIOS = ROOT / "scenarios"
BASELINES = Path(__file__).resolve().parent / "baselines"
SEED = 1


def scenario_files() -> list[Path]:
    return sorted(SCENARIOS.glob("*.yaml"))


def baseline_path(scenario: Path) -> Path:
    return BASELINES / f"{scenario.stem}.json"


def _sha(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def summarize(scenario: Path, seed: int = SEED) -> dict:
    """Run ``scenario`` for its full steps with ``seed`` and summarise the end."""
    from sim.core.model import GreatGame
    from sim.results import tables as outputs
    from sim.scenario.loader import load_scenario

    h = GreatGame(load_scenario(scenario), seed=seed).run().history
    tables = {
        "actors.csv": outputs.actors_table(h),
        "provinces.csv": outputs.provinces_table(h),
        "relations.csv": outputs.relations_table(h),
        "supply.csv": outputs.supply_table(h),
        "defections.csv": outputs.defections_table(h),
        "balance.csv": outputs.balance_table(h),
        "threat.csv": outputs.threat_table(h),
    }
    # the same text write_run writes (DataFrame.to_csv, "\n" line ends, UTF-8)
    hashes = {
        name: _sha(df.to_csv(index=False, lineterminator="\n"))
        for name, df in tables.items()
    }
    hashes["events.jsonl"] = _sha(outputs.events_jsonl(h))
    actors, provinces, relations = (
        tables[k] for k in ("actors.csv", "provinces.csv", "relations.csv")
    )
    last_a = actors[actors.step == actors.step.max()]
    last_p = provinces[provinces.step == provinces.step.max()]
    last_r = relations[relations.step == relations.step.max()]
    status: dict[str, str] = {}
    for a, b, s in zip(last_r.actor_a, last_r.actor_b, last_r.status, strict=True):
        key = "–".join(sorted((str(a), str(b))))
        if key in status and status[key] != s:  # asymmetric: keep both views
            status[key] = f"{status[key]}/{s}"
        else:
            status.setdefault(key, str(s))
    counts: dict[str, int] = {}
    for e in h.events:
        counts[e["type"]] = counts.get(e["type"], 0) + 1
    return {
        "scenario": f"scenarios/{scenario.name}",
        "seed": seed,
        "steps": int(actors.step.max()),
        "control": dict(zip(last_p.province, last_p.controller, strict=True)),
        "strength": {
            str(a): int(round(float(s)))
            for a, s in zip(last_a.actor, last_a.strength, strict=True)
        },
        "alliances": dict(sorted(status.items())),
        "events": dict(sorted(counts.items())),
        "hashes": hashes,
    }


def load(path: Path) -> dict:
    return json.loads(path.read_text(encoding="utf-8"))


def dump(summary: dict, path: Path) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(
        json.dumps(summary, indent=2, ensure_ascii=False) + "\n", encoding="utf-8"
    )


def _show(v: object) -> str:
    if v is None:
        return "(absent)"
    return f"{v:,}" if isinstance(v, int) else str(v)


def diff(old: dict, new: dict) -> list[str]:
    """Readable lines, one per difference, e.g. 'Kunduz: taliban -> contested'."""
    lines: list[str] = []
    for key in ("seed", "steps"):
        if old.get(key) != new.get(key):
            lines.append(f"{key}: {_show(old.get(key))} -> {_show(new.get(key))}")
    sections = (
        ("control", "{k}: {a} -> {b}"),
        ("strength", "{k} strength {a} -> {b}"),
        ("alliances", "{k}: {a} -> {b}"),
        ("events", "{k} events {a} -> {b}"),
    )
    for section, fmt in sections:
        o, n = old.get(section, {}), new.get(section, {})
        for k in [*o, *(k for k in n if k not in o)]:
            if o.get(k) != n.get(k):
                lines.append(fmt.format(k=k, a=_show(o.get(k)), b=_show(n.get(k))))
    o, n = old.get("hashes", {}), new.get("hashes", {})
    for k in [*o, *(k for k in n if k not in o)]:
        if o.get(k) != n.get(k):
            lines.append(f"{k} hash changed")
    return lines

"""Fuzzed scenarios: every invalid input fails plainly, every valid one runs.

Invalid input: a catalogue of mutations (:mod:`tests.property.mutations`)
applied to ``scenarios/2016.yaml`` and to a synthetic-map scenario, plus
Hypothesis-drawn mutations of generated scenarios. Each case must raise a
:class:`ScenarioError`, never anything else, whose one-line message names the
file (or the ``--set``), the key path and, for a misspelt name, the closest
valid one; through the command line it must exit 2 with that message, no
traceback and no run directory. At least 200 distinct cases, counted by
``(mutation, site)``, run every time.

Valid input: scenarios drawn by :mod:`tests.property.strategies` on the real
map and on synthetic ones load, equal their dict, and run 10 steps with
finite tables.

Hypothesis runs derandomized (the same examples in every CI run) with a
bounded number of examples: profile ``greatgame-fuzz``. Set
``GREATGAME_FUZZ_EXAMPLES`` to draw more, e.g. in a nightly job.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import io
import os
import subprocess
import sys
import tempfile
from collections import Counter
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
import yaml
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st

from sim.cli import main as cli_main
from sim.core.model import GreatGame
from sim.results import tables as outputs
from sim.results.chronicle import chronicle
from sim.scenario.loader import (
    ScenarioError,
    load_scenario,
    resolved_dict,
    scenario_from_dict,
)
from sim.scenario.schema import MapSpec
from sim.world.geography import geography_for
from sim.world.synthetic import synthetic_scenario
from tests.conftest import RUN_FILES
from tests.property import mutations as mu
from tests.property.strategies import maps, real_map, scenarios, synthetic_maps

ROOT = Path(__file__).resolve().parents[2]
S2016 = ROOT / "scenarios" / "2016.yaml"
MIN_DISTINCT_INVALID = 200

settings.register_profile(
    "greatgame-fuzz",
    max_examples=int(os.environ.get("GREATGAME_FUZZ_EXAMPLES", "30")),
    deadline=None,  # a run's time depends on the map's size, not on a regression
    derandomize=True,  # the same examples in every CI run
    database=None,  # nothing to replay: derandomized runs find the same examples
    # a scenario is a big nested draw (a synthetic map is built for it), so its
    # generation time is the machine's load more than the strategy's fault
    suppress_health_check=[HealthCheck.too_slow],
)
FUZZ = settings.get_profile("greatgame-fuzz")

#: distinct invalid cases checked in this session, by (mutation, site)
EXERCISED: set[tuple[str, str]] = set()


# --- the bases: 2016 and a synthetic-map scenario ----------------------------------


def _names_of(data: dict) -> mu.Names:
    spec = data.get("map")
    geo = geography_for(MapSpec.model_validate(spec) if spec else None)
    return mu.Names(
        actors=tuple(data["actors"]),
        places=(*geo.names, *geo.region_names, "all"),
        provinces=tuple(geo.names),
        staging=tuple(geo.staging_keys),
    )


def _synthetic_base() -> dict:
    data = synthetic_scenario("planar", provinces=30, actors=5, seed=3)
    data["start"] = yaml.safe_load(data["start"])  # a date, as YAML would read it
    actors = data["actors"]
    actors["s1"] |= {"staging": ["border_north", "air"], "intent": {"i1": 0.5}}
    actors["i1"]["forces"] |= {"P7": {"strength": 300, "equipment": 1.5}}
    data["parameters"] = {
        "sigar_bands": [0.1, 0.3, 0.5, 0.9],
        "terrain": {"mixed": 1.1},
    }
    data["events"] = [
        {
            "step": 2,
            "do": "splinter",
            "actor": "i1",
            "into": "i2",
            "share": 0.1,
            "provinces": ["P3", "P12"],
        },
        {
            "at": data["start"],
            "do": "shock",
            "actor": "gov",
            "toward": "i1",
            "affinity": -0.2,
            "mutual": True,
        },
        {"step": 4, "do": "aid", "actor": "s1", "to": "gov", "amount": 20},
        {"step": 5, "do": "set", "path": "actors.s1.resources", "value": 3.5},
        {"step": 6, "do": "set", "path": "parameters.interdiction", "value": 0.7},
    ]
    scenario_from_dict(data)  # the base itself must be valid
    return data


def catalogue() -> list[mu.Case]:
    """The fixed catalogue of invalid cases, distinct by (mutation, site)."""
    real = yaml.safe_load(S2016.read_text(encoding="utf-8"))
    synth = _synthetic_base()
    cases: list[mu.Case] = []
    for tag, data, per_kind in (("", real, 6), ("synthetic:", synth, 3)):
        cases += mu.data_cases(data, _names_of(data), tag, per_kind)
    text = mu.dump(real).decode()
    sites = [s for s, _ in mu.key_lines(text).items()]
    cases += mu.limit_per_kind(list(mu.text_cases(text, sites[::7])), 4)
    cases += list(mu.cut_cases(text, every=60))
    valid = mu.dump(real)
    cases += list(mu.file_cases(valid))
    cases += list(mu.extends_cases(valid))
    numbers = [
        "steps",
        "parameters.eta",
        "parameters.lambda",
        "actors.russia.resources",
        "actors.taliban.forces.Kunduz",
        "relations[0].affinity",
        "actors.isis_k.cohesion",
    ]
    cases += list(mu.override_cases(valid, numbers, "russia", "Kunduz"))
    cases += list(_map_cases(synth))
    unique = {c.key: c for c in cases}
    return list(unique.values())


def _map_cases(synth: dict) -> list[mu.Case]:
    """The ``map:`` key: kinds, sizes, and names that are not on the map."""

    def case(kind, change, path, *expect):
        data = mu._deepcopy(synth)
        change(data)
        return mu.Case(
            kind, "map", {"scenario.yaml": mu.dump(data)}, path=path, expect=expect
        )

    def set_map(**kw):
        return lambda d: d["map"].update(kw)

    def forces(key):
        return lambda d: d["actors"]["i1"]["forces"].update({key: 100})

    return [
        case(
            "map_unknown_kind", set_map(kind="hexagonal"), "map.kind", "expected one of"
        ),
        case(
            "map_misspelt_kind",
            set_map(kind="grdi"),
            "map.kind",
            "did you mean 'grid'?",
        ),
        case(
            "map_zero_provinces", set_map(provinces=0), "map.provinces", "must be ≥ 4"
        ),
        case(
            "map_huge_provinces", set_map(provinces=10**9), "map.provinces", "must be ≤"
        ),
        case(
            "map_text_provinces",
            set_map(provinces="lots"),
            "map.provinces",
            "expected a whole number",
        ),
        case(
            "map_fraction_provinces",
            set_map(provinces=12.5),
            "map.provinces",
            "whole number",
        ),
        case(
            "map_afghanistan_size",
            set_map(kind="afghanistan", provinces=50),
            "map",
            "the Afghan map has 34 provinces",
        ),
        case("map_negative_seed", set_map(seed=-1), "map.seed", "must be ≥ 0"),
        case("map_unknown_key", set_map(sead=1), "map.sead", "did you mean 'seed'?"),
        case(
            "map_not_a_mapping",
            lambda d: d.update(map="grid"),
            "map",
            "expected a mapping",
        ),
        case(
            "map_real_province",
            forces("Kunduz"),
            "actors.i1.forces.Kunduz",
            "unknown province or region 'Kunduz'",
        ),
        case(
            "map_province_past_the_end",
            forces("P31"),
            "actors.i1.forces.P31",
            "unknown province or region 'P31'",
            "did you mean",
        ),
        case(
            "map_real_region",
            forces("northeast"),
            "actors.i1.forces.northeast",
            "did you mean 'north'?",
        ),
        case(
            "map_real_staging",
            lambda d: d["actors"]["s1"].update(staging=["tajikistan"]),
            "actors.s1.staging[0]",
            "unknown staging node 'tajikistan'",
        ),
        case(
            "map_misspelt_staging",
            lambda d: d["actors"]["s1"].update(staging=["border_nort"]),
            "actors.s1.staging[0]",
            "did you mean 'border_north'?",
        ),
        case(
            "map_event_province",
            lambda d: d["events"][0].update(provinces=["P3", "Kabul"]),
            "events[0].provinces[1]",
            "unknown province 'Kabul'",
        ),
    ]


# --- checking one case ---------------------------------------------------------------


def materialise(case: mu.Case, folder: Path) -> Path:
    """Write the case's files under ``folder``; returns the file to load."""
    for name, body in case.files.items():
        path = folder / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(body() if callable(body) else body)
    return folder / case.main


def check_error(case: mu.Case, err: ScenarioError, folder: Path) -> list[str]:
    """What is wrong with the error ``case`` gave (an empty list: nothing)."""
    text, problems = str(err), []
    if case.overrides:
        if not text.startswith("--set "):
            problems.append("does not start with the --set at fault")
    else:
        blamed = os.path.normpath(folder / (case.blame or case.main))
        if not text.startswith(blamed):
            problems.append(f"does not start with the file {blamed}")
    if case.path is not None:
        ok = (
            (err.path or "").startswith(case.path)
            if case.prefix
            else err.path == case.path
        )
        if not ok:
            problems.append(f"path {err.path!r}, expected {case.path!r}")
    if err.path and err.path.isprintable() and f"at {err.path}:" not in text:
        problems.append("the key path is not in the message")
    if case.line is not None and err.line != case.line:
        problems.append(f"line {err.line}, expected {case.line}")
    problems += [f"no {w!r}" for w in case.expect if w not in text]
    if "\n" in text:
        problems.append("the message is more than one line")
    if len(text) > 2000 and not case.kind.startswith("long"):
        problems.append(f"the message is {len(text):,} characters long")
    return problems


def run_case(case: mu.Case, folder: Path, via_cli: bool) -> list[str]:
    """Load ``case`` (and, with ``via_cli``, run it in-process); list problems."""
    folder.mkdir(parents=True, exist_ok=True)
    path = materialise(case, folder)
    try:
        load_scenario(path, case.overrides)
    except ScenarioError as err:
        problems = check_error(case, err, folder)
    except Exception as err:  # exactly what must not happen
        return [f"raised {type(err).__name__}: {str(err)[:300]}"]
    else:
        return ["loaded without error"]
    if via_cli:
        out = folder / "out"
        sets = [a for s in case.overrides for a in ("--set", s)]
        stderr = io.StringIO()
        with (
            contextlib.redirect_stderr(stderr),
            contextlib.redirect_stdout(io.StringIO()),
        ):
            code = cli_main(
                [str(path), "--out", str(out), "--quiet", "--no-figures", *sets]
            )
        if code != 2:
            problems.append(f"run.py exited {code}, not 2")
        if "Traceback" in stderr.getvalue():
            problems.append("a traceback on stderr")
        if out.exists() or list(folder.glob(".out*")):
            problems.append("an output directory (or a partial one) was written")
    return problems


def check_cases(cases: list[mu.Case], root: Path, cli_every: int = 4) -> list[str]:
    """Run every case; one line per failing case."""
    failures = []
    for i, case in enumerate(cases):
        problems = run_case(case, root / f"case{i}", via_cli=i % cli_every == 0)
        if problems:
            failures.append(f"{case.kind} @ {case.site[:80]}: {'; '.join(problems)}")
        else:
            EXERCISED.add(case.key)
    return failures


CATALOGUE = catalogue()
KINDS = sorted({c.kind.split(":")[0] for c in CATALOGUE})


@pytest.mark.parametrize("family", KINDS)
def test_invalid_catalogue(family, tmp_path):
    cases = [c for c in CATALOGUE if c.kind.split(":")[0] == family]
    failures = check_cases(cases, tmp_path)
    assert not failures, f"{len(failures)} of {len(cases)} cases failed:\n" + "\n".join(
        failures
    )


def test_at_least_200_distinct_invalid_cases(tmp_path):
    """Counts the cases that passed; runs any the family tests did not (e.g. -k)."""
    missing = [c for c in CATALOGUE if c.key not in EXERCISED]
    failures = check_cases(missing, tmp_path, cli_every=10**9)
    assert not failures, "\n".join(failures)
    assert len({c.key for c in CATALOGUE} & EXERCISED) >= MIN_DISTINCT_INVALID
    kinds = Counter(kind.split(":")[0] for kind, _ in EXERCISED)
    assert len(kinds) >= 40, kinds  # many kinds of mistake, not one kind many times


# --- the real command line, in a batch of subprocesses ------------------------------


def _cli_sample() -> list[mu.Case]:
    """One case of each of a spread of kinds, for the subprocess test."""
    wanted = [
        "text_for_number",
        "unknown_name:forces",
        "unknown_key",
        "missing_key:name",
        "below_range",
        "nan",
        "unknown_name:actor",
        "unknown_literal",
        "deep_nesting",
        "alias_bomb",
        "latin1_bytes",
        "duplicate_key",
        "python_tag",
        "empty_file",
        "extends_self",
        "extends_bad_parent",
        "set_misspelt_key",
        "set_deep",
        "map_misspelt_kind",
        "too_late",
    ]
    by_kind = {}
    for c in CATALOGUE:
        by_kind.setdefault(c.kind, c)
    return [by_kind[k] for k in wanted if k in by_kind]


def _subprocess(args: list[str], cwd: Path) -> subprocess.CompletedProcess:
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    return subprocess.run(
        [sys.executable, str(ROOT / "run.py"), *args],
        cwd=cwd,
        capture_output=True,
        text=True,
        timeout=120,
        env=env,
    )


def test_invalid_cases_through_the_real_command_line(tmp_path):
    """20 cases, one subprocess each: two in three ``run.py FILE``, the rest
    ``run.py validate FILE``, four at a time."""
    sample = _cli_sample()
    assert len(sample) == 20
    jobs = []
    for i, case in enumerate(sample):
        folder = tmp_path / f"case{i}"
        folder.mkdir()
        path = materialise(case, folder)
        sets = [a for s in case.overrides for a in ("--set", s)]
        out = folder / "out"
        if i % 3 == 2:
            jobs.append((case, folder, None, ["validate", str(path), *sets]))
        else:
            args = [str(path), "--out", str(out), "--no-figures", *sets]
            jobs.append((case, folder, out, args))
    with ThreadPoolExecutor(max_workers=4) as pool:
        results = list(pool.map(lambda j: _subprocess(j[3], j[1]), jobs))
    failures = []
    for (case, folder, out, args), res in zip(jobs, results, strict=True):
        what = f"{case.kind} ({args[0]})"
        if res.returncode != 2:
            failures.append(f"{what}: exit {res.returncode}: {res.stderr[-300:]}")
        if "Traceback" in res.stderr:
            failures.append(f"{what}: traceback")
        message = res.stderr.strip()
        if not message.startswith("error: ") or message.count("\n"):
            failures.append(f"{what}: not one 'error:' line: {message[:200]!r}")
        where = "--set" if case.overrides else str(folder)
        if where not in message:
            failures.append(f"{what}: the file or --set is not named")
        if case.path and f"at {case.path}" not in message:
            failures.append(f"{what}: the key path {case.path} is not named")
        if out is not None and (out.exists() or list(folder.glob(".out*"))):
            failures.append(f"{what}: wrote an output directory")
        if res.stdout:
            failures.append(f"{what}: printed {res.stdout[:100]!r}")
    assert not failures, "\n".join(failures)


# --- Hypothesis: mutations of generated scenarios -------------------------------------


@st.composite
def mutated(draw) -> mu.Case:
    """A generated scenario with one mutation, drawn from all that apply."""
    data = draw(scenarios(max_actors=4))
    options = [
        m
        for m in mu.data_mutations(data, _names_of(data))
        if m.kind not in ("long_text", "long_name")  # 1 MB each: the catalogue has them
    ]
    kind, segs, make, path, expect, prefix = draw(st.sampled_from(options))
    if kind.startswith("unknown_name:") or kind == "unknown_literal":
        expect = tuple(w for w in expect if not w.startswith("did you mean"))
        expect += ("did you mean '",)  # the closest name may be another generated one
    if kind == "unknown_key":
        expect = tuple(w for w in expect if not w.startswith("did you mean")) + (
            "did you mean '",
        )
    return mu.Case(
        kind,
        "generated:" + mu.fmt(segs),
        {"scenario.yaml": mu.dump(make())},
        path=path,
        expect=expect,
        prefix=prefix,
    )


@settings(FUZZ, max_examples=3 * FUZZ.max_examples)
@given(case=mutated())
def test_mutated_generated_scenarios_fail_cleanly(case):
    with tempfile.TemporaryDirectory() as folder:
        problems = run_case(case, Path(folder), via_cli=False)
    assert not problems, f"{case.kind} @ {case.site}: {problems}"
    EXERCISED.add(case.key)


@settings(FUZZ, max_examples=FUZZ.max_examples)
@given(body=st.binary(min_size=0, max_size=400))
def test_random_bytes_fail_cleanly(body):
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "junk.yaml"
        path.write_bytes(body)
        with pytest.raises(ScenarioError) as info:
            load_scenario(path)
    assert str(info.value).startswith(str(path)) and "\n" not in str(info.value)


# --- valid scenarios load and run -------------------------------------------------


def _finite_tables(model: GreatGame) -> None:
    h = model.history
    for name in (
        "strength",
        "equipment",
        "affinity",
        "government_share",
        "aid_sent",
        "aid_received",
        "aid_budget",
        "losses",
        "recruits",
    ):
        values = np.asarray(getattr(h, name), dtype=float)
        assert np.isfinite(values).all(), f"history.{name} is not finite"
    for table in (
        outputs.actors_table(h),
        outputs.provinces_table(h),
        outputs.relations_table(h),
        outputs.supply_table(h),
    ):
        numbers = table.select_dtypes("number").to_numpy(dtype=float)
        assert np.isfinite(numbers).all(), "a table holds NaN or inf"


def _load_and_run(data: dict, folder: Path) -> GreatGame:
    path = folder / "scenario.yaml"
    path.write_bytes(mu.dump(data))
    sc = load_scenario(path)
    assert sc == scenario_from_dict(data), "the file and the dict disagree"
    assert scenario_from_dict(resolved_dict(sc)) == sc, "manifest does not round-trip"
    model = GreatGame(sc).run(10)
    assert model.history.n_rows == 11
    _finite_tables(model)
    return model


@settings(FUZZ)
@given(data=scenarios(map_strategy=maps()))
def test_valid_scenarios_load_and_run_ten_steps(data):
    with tempfile.TemporaryDirectory() as folder:
        _load_and_run(data, Path(folder))


@settings(FUZZ, max_examples=max(5, FUZZ.max_examples // 4))
@given(data=scenarios(map_strategy=synthetic_maps(), min_actors=4))
def test_valid_synthetic_map_scenarios_run_and_write(data):
    with tempfile.TemporaryDirectory() as folder:
        model = _load_and_run(data, Path(folder))
        h, sc = model.history, model.config
        meta = outputs.manifest(resolved_dict(sc), sc.seed, 10, *[_NOW] * 2, [])
        text = chronicle(h, sc.title or sc.name, sc.description, sc.seed)
        out = outputs.write_run(Path(folder) / "run", h, meta, text)
        assert {p.name for p in out.iterdir()} == RUN_FILES
        assert "nan" not in (out / "actors.csv").read_text().lower()


_NOW = dt.datetime(2026, 1, 1, tzinfo=dt.UTC)


def test_generated_scenarios_run_through_the_command_line(tmp_path):
    """Two drawn scenarios, one on each kind of map, through ``run.py`` itself."""
    drawn = []

    @settings(FUZZ, max_examples=1, phases=[Phase.generate])
    @given(
        st.tuples(
            scenarios(map_strategy=real_map(), max_actors=4),
            scenarios(map_strategy=synthetic_maps(20, 40), max_actors=4),
        )
    )
    def collect(pair):
        drawn[:] = pair

    collect()
    for i, data in enumerate(drawn):
        path = tmp_path / f"s{i}.yaml"
        path.write_bytes(mu.dump(data))
        out = tmp_path / f"out{i}"
        args = [
            str(path),
            "--steps",
            "10",
            "--out",
            str(out),
            "--quiet",
            "--no-figures",
        ]
        res = _subprocess(args, tmp_path)
        assert res.returncode == 0, res.stderr
        assert "Traceback" not in res.stderr
        for name in ("actors.csv", "provinces.csv", "relations.csv", "supply.csv"):
            table = pd.read_csv(out / name)
            numbers = table.select_dtypes("number").to_numpy(dtype=float)
            assert np.isfinite(numbers).all(), f"{name} holds NaN or inf"
        assert pd.read_csv(out / "actors.csv")["step"].max() == 10

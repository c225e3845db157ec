"""Fuzzed facts files and GeoJSON: every input loads or fails plainly.

The facts loader (``run.py check --facts``) and the GeoJSON reader (a
scenario's ``geometry:``, ``--geometry``) are fuzzed as the scenario loader
is in ``test_fuzz_scenarios.py``: random bytes, random text edits of the
shipped file, and any node of the shipped file replaced by a drawn value
(huge numbers, NaN, deep lists, long text, dates, YAML aliases). Each input
must give either a loaded object or the project's input error
(:class:`FactsError`, :class:`GeometryError`: one line, the file named, not a
flood of text), never another exception, which the command line would call
a bug.

Hypothesis runs derandomized with a bounded number of examples, as the
scenario fuzzing does; ``GREATGAME_FUZZ_EXAMPLES`` draws more.
"""

from __future__ import annotations

import json
import math
import os
import tempfile
from pathlib import Path
from typing import Any

import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from sim.experiments.scorecard import Facts, FactsError, default_facts_path, load_facts
from sim.plots.geometry import (
    GeometryError,
    ProvinceShapes,
    load_geojson,
    shipped_geojson,
)
from sim.scenario.catalog import find_scenario
from sim.scenario.loader import load_scenario

FUZZ = settings(
    max_examples=int(os.environ.get("GREATGAME_FUZZ_EXAMPLES", "30")),
    deadline=None,
    derandomize=True,
    database=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
MAX_MESSAGE = 3000  # characters: a message quotes values clipped, never whole

FACTS_TEXT = default_facts_path().read_text(encoding="utf-8")
FACTS_DATA = yaml.safe_load(FACTS_TEXT)
GEOJSON_DATA = json.loads(shipped_geojson().read_text(encoding="utf-8"))
S2016 = load_scenario(find_scenario("2016"))

# --- drawn values ---------------------------------------------------------------

_scalars = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(),
    st.sampled_from([10**400, -(10**400), 2**63, 0, -1]),
    st.floats(allow_nan=True, allow_infinity=True),
    st.text(max_size=30),
    st.sampled_from(["", "x" * 100_000, "end", "start", "2016-13-45", "> 0", "\x00"]),
    st.dates(),
)
values = st.recursive(
    _scalars,
    lambda inner: st.one_of(
        st.lists(inner, max_size=4),
        st.dictionaries(st.text(max_size=12), inner, max_size=4),
    ),
    max_leaves=12,
)
deep = st.integers(1, 200).map(lambda n: _nest(n))  # deeper: the unit tests


def _nest(n: int) -> Any:
    out: Any = 1
    for _ in range(n):
        out = [out]
    return out


def _children(node: Any) -> list:
    if isinstance(node, dict):
        return list(node)
    return list(range(len(node))) if isinstance(node, list) else []


@st.composite
def replaced(draw, data: Any, value_strategy=None) -> Any:
    """``data`` (copied) with one node, found by a random walk, replaced."""
    data = json.loads(json.dumps(data, default=str))  # a copy; dates as text
    new = draw(value_strategy or st.one_of(values, deep))
    parent, key = None, None
    node = data
    while _children(node) and (parent is None or draw(st.booleans())):
        parent, key = node, draw(st.sampled_from(_children(node)))
        node = node[key]
    if parent is None:
        return new
    parent[key] = new
    return data


@st.composite
def edited_text(draw, text: str) -> str:
    """``text`` with a few lines cut, repeated or spliced with drawn characters."""
    lines = text.splitlines(keepends=True)
    for _ in range(draw(st.integers(1, 3))):
        i = draw(st.integers(0, len(lines) - 1))
        action = draw(st.sampled_from(["cut", "repeat", "splice", "truncate"]))
        if action == "cut":
            del lines[i]
        elif action == "repeat":
            lines.insert(i, lines[i])
        elif action == "splice":
            at = draw(st.integers(0, len(lines[i])))
            bit = draw(
                st.sampled_from(["&a ", "*a", "<<: ", "!!", ": ", "- ", "{", "["])
            )
            bit = draw(st.one_of(st.just(bit), st.text(max_size=8)))
            lines[i] = lines[i][:at] + bit + lines[i][at:]
        else:
            lines = lines[: i + 1]
        if not lines:
            lines = [""]
    return "".join(lines)


# --- checks --------------------------------------------------------------------


def _check_message(err: Exception, path: Path) -> None:
    text = str(err)
    assert str(path) in text, text[:300]
    assert "\n" not in text, text[:300]
    assert len(text) < MAX_MESSAGE, text[:300]


def facts_outcome(body: bytes, with_scenario: bool) -> None:
    """Load ``body`` as a facts file: Facts, or a clean FactsError."""
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "facts.yaml"
        path.write_bytes(body)
        try:
            facts = load_facts(path, S2016 if with_scenario else None)
        except FactsError as err:
            _check_message(err, path)
        else:
            assert isinstance(facts, Facts)


def geojson_outcome(body: bytes) -> None:
    """Load ``body`` as GeoJSON: shapes, or a clean GeometryError."""
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "shapes.geojson"
        path.write_bytes(body)
        try:
            shapes = load_geojson(path)
        except GeometryError as err:
            _check_message(err, path)
        else:
            assert isinstance(shapes, ProvinceShapes) and len(shapes) == 34
            for rings in shapes.polygons:
                assert all(math.isfinite(float(r.sum())) for r in rings)


def _yaml(data: Any) -> bytes:
    return yaml.safe_dump(data, allow_unicode=True, sort_keys=False).encode()


# --- facts files ---------------------------------------------------------------


def test_the_shipped_facts_pass_the_checks():
    facts_outcome(FACTS_TEXT.encode(), with_scenario=True)


@FUZZ
@given(body=st.binary(max_size=400))
def test_random_bytes_as_facts(body):
    facts_outcome(body, with_scenario=False)


@settings(FUZZ, max_examples=2 * FUZZ.max_examples)
@given(data=replaced(FACTS_DATA), with_scenario=st.booleans())
def test_facts_with_one_node_replaced(data, with_scenario):
    facts_outcome(_yaml(data), with_scenario)


@settings(FUZZ, max_examples=2 * FUZZ.max_examples)
@given(text=edited_text(FACTS_TEXT), with_scenario=st.booleans())
def test_facts_with_lines_edited(text, with_scenario):
    facts_outcome(text.encode(), with_scenario)


# --- GeoJSON -------------------------------------------------------------------


def test_the_shipped_geojson_passes_the_checks():
    geojson_outcome(json.dumps(GEOJSON_DATA).encode())


@FUZZ
@given(body=st.binary(max_size=400))
def test_random_bytes_as_geojson(body):
    geojson_outcome(body)


@FUZZ
@given(data=replaced(GEOJSON_DATA))
def test_geojson_with_one_node_replaced(data):
    geojson_outcome(json.dumps(data, default=str).encode())


@st.composite
def geometry_replaced(draw) -> dict:
    """The shipped GeoJSON with one node of one feature's geometry replaced."""
    data = json.loads(json.dumps(GEOJSON_DATA))
    feature = data["features"][draw(st.integers(0, len(data["features"]) - 1))]
    feature["geometry"] = draw(replaced(feature["geometry"]))
    return data


@settings(FUZZ, max_examples=max(5, FUZZ.max_examples // 2))
@given(data=geometry_replaced())
def test_geojson_with_one_coordinate_node_replaced(data):
    geojson_outcome(json.dumps(data, default=str).encode())


@FUZZ
@given(data=values)
def test_any_json_document_as_geojson(data):
    geojson_outcome(json.dumps(data, default=str).encode())


@FUZZ
@given(features=st.lists(values, max_size=5))
def test_any_features_in_a_feature_collection(features):
    doc = {"type": "FeatureCollection", "features": features}
    geojson_outcome(json.dumps(doc, default=str).encode())

"""Reading a facts file (sim.experiments.scorecard.facts_file): the shipped facts
and every way a file can be wrong, each refused with the file and fact named.
"""

from __future__ import annotations

import pytest

from sim.experiments.scorecard import FactsError, default_facts_path, load_facts
from sim.scenario.catalog import find_scenario
from sim.scenario.loader import load_scenario

S2016 = find_scenario("2016")


def test_the_shipped_facts_validate_against_the_2016_scenario():
    sc = load_scenario(S2016)
    facts = load_facts(scenario=sc)
    assert default_facts_path().name == "facts.yaml"
    ids = [f.id for f in facts]
    assert len(ids) == len(set(ids)) >= 20
    kinds = {f.kind for f in facts}
    assert kinds == {"outcome", "input", "counterfactual"}
    for f in facts:
        assert len(f.source) > 10, f"fact {f.id} names no source"
        assert f.statement and f.why and f.observed, f.id
        if f.measurable:
            assert f.lo <= f.hi, f.id
    assert {f.variant for f in facts if f.kind == "counterfactual"} == {
        "no_isis",
        "no_russian_aid",
        "us_exit",
    }


def test_the_shipped_facts_name_sources_for_every_fact():
    raw = default_facts_path().read_text(encoding="utf-8")
    facts = load_facts()
    assert raw.count("source:") == len(facts)


def fact_yaml(**changes) -> str:
    fact = {
        "id": "x",
        "kind": "outcome",
        "class": "validation",
        "statement": "s",
        "source": "Test Gazette, 2016",
        "observed": "2016",
        "metric": "strength:taliban",
        "at": "2016-04-29",
        "range": "[1, 2]",
        "why": "w",
    }
    fact.update(changes)
    body = "\n".join(f"    {k}: {v}" for k, v in fact.items() if v is not None)
    return (
        "actors: [taliban, isis_k, russia]\n"
        "variants:\n  v: {set: {actors.russia.resources: 0}}\n"
        "facts:\n  - " + body.lstrip()
    )


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"metric": "strenght:taliban"}, "did you mean 'strength'"),
        ({"metric": "strength:talban"}, "unknown actor 'talban'"),
        ({"range": "[3, 1]"}, "lo > hi"),
        ({"range": "[1, .inf]"}, "must be finite"),
        ({"range": "[1]"}, "'range' must be [lo, hi]"),
        ({"source": None}, "'source' is missing"),
        ({"kind": "outcomes"}, "'kind' must be one of"),
        ({"class": None}, "'class' must be one of validation, calibration, input"),
        ({"class": "validaton"}, "did you mean 'validation'"),
        ({"kind": "input", "at": "start"}, "a fact of kind input is of class input"),
        ({"at": "2016-13-01"}, "month must be in 1..12"),
        ({"at": "soon"}, "must be a date"),
        ({"at": None}, "give either 'at'"),
        ({"over": "[start, end]"}, "give either 'at'"),
        (
            {
                "metric": "ever_allied:russia:taliban",
                "at": None,
                "over": "[start, end]",
                "reduce": "max",
            },
            "whole-run metric",
        ),
        ({"at": None, "over": "[start, end]", "reduce": "sum"}, "needs 'reduce'"),
        ({"holds_if": "'about 1'"}, "'holds_if' must be a comparison"),
        ({"holds_if": "'> 0'"}, "range is a share of seeds"),
        (
            {
                "kind": "counterfactual",
                "variant": "w",
                "compare": "'variant - baseline'",
            },
            "'variant' must name a variant",
        ),
        (
            {"kind": "counterfactual", "variant": "v", "compare": "difference"},
            "'compare' must be one of",
        ),
        ({"variant": "v"}, "counterfactual facts only"),
        ({"colour": "red"}, "unknown key(s) colour"),
        ({"id": "Bad-Id"}, "'id' must be a short name"),
    ],
)
def test_bad_facts_are_refused_with_the_fact_named(tmp_path, changes, message):
    path = tmp_path / "facts.yaml"
    path.write_text(fact_yaml(**changes), encoding="utf-8")
    with pytest.raises(FactsError) as err:
        load_facts(path)
    assert message in str(err.value)
    assert str(path) in str(err.value)


def test_dates_outside_the_scenario_are_refused(tmp_path):
    path = tmp_path / "facts.yaml"
    path.write_text(fact_yaml(at="2019-01-01"), encoding="utf-8")
    load_facts(path)  # valid on its own
    with pytest.raises(FactsError, match="fact 'x': 2019-01-01 is outside the run"):
        load_facts(path, load_scenario(S2016))
    path.write_text(fact_yaml(at="2015-01-01"), encoding="utf-8")
    with pytest.raises(FactsError, match="outside the run"):
        load_facts(path, load_scenario(S2016))


def test_duplicate_ids_and_bad_variants_are_refused(tmp_path):
    path = tmp_path / "facts.yaml"
    one = fact_yaml()
    path.write_text(one + "\n  - " + one.split("facts:\n  - ")[1], encoding="utf-8")
    with pytest.raises(FactsError, match="fact 'x' is given twice"):
        load_facts(path)
    path.write_text(
        fact_yaml().replace("actors.russia.resources", "actors.russia.resorces"),
        encoding="utf-8",
    )
    with pytest.raises(FactsError, match="did you mean 'resources'"):
        load_facts(path)
    path.write_text("facts: [", encoding="utf-8")
    with pytest.raises(FactsError, match="YAML syntax error"):
        load_facts(path)
    with pytest.raises(FactsError, match="the file cannot be read: No such file"):
        load_facts(tmp_path / "missing.yaml")


def test_unknown_top_level_keys_are_named_with_the_nearest_known_one(tmp_path):
    path = tmp_path / "facts.yaml"
    path.write_text("factz: []\n" + fact_yaml(), encoding="utf-8")
    with pytest.raises(FactsError) as err:
        load_facts(path)
    assert "unknown top-level key(s) factz; did you mean 'facts'?" in str(err.value)


def test_unknown_variant_keys_are_named(tmp_path):
    path = tmp_path / "facts.yaml"
    text = fact_yaml().replace("{set:", "{colour: red, set:")
    path.write_text(text, encoding="utf-8")
    with pytest.raises(FactsError, match=r"variant 'v': unknown key\(s\) colour$"):
        load_facts(path)


def test_a_not_measurable_fact_takes_no_metric(tmp_path):
    path = tmp_path / "facts.yaml"
    path.write_text(fact_yaml(not_measurable="no civilians"), encoding="utf-8")
    with pytest.raises(FactsError, match="a not_measurable fact has no at, metric"):
        load_facts(path)
    path.write_text(
        fact_yaml(not_measurable="no civilians", metric=None, at=None, range=None),
        encoding="utf-8",
    )
    fact = load_facts(path)["x"]
    assert not fact.measurable and fact.not_measurable == "no civilians"


def test_a_file_without_facts_is_refused(tmp_path):
    path = tmp_path / "facts.yaml"
    path.write_text("actors: [taliban]\nfacts: []\n", encoding="utf-8")
    with pytest.raises(FactsError, match="'facts' must be a non-empty list"):
        load_facts(path)
    path.write_text("- a list\n", encoding="utf-8")
    with pytest.raises(FactsError, match=r"must be a mapping \(facts: ...\), got a"):
        load_facts(path)


def test_an_input_fact_needs_no_class_and_every_shipped_fact_names_one(tmp_path):
    path = tmp_path / "facts.yaml"
    path.write_text(fact_yaml(kind="input", at="start", **{"class": None}))
    assert load_facts(path).facts[0].fact_class == "input"
    raw = default_facts_path().read_text(encoding="utf-8")
    assert raw.count("\n    class: ") == len(load_facts())


# --- the facts file is read as strictly as a scenario --------------------------


def test_a_duplicate_range_key_names_both_lines(tmp_path):
    path = tmp_path / "facts.yaml"
    text = fact_yaml().replace(
        "    range: [1, 2]", "    range: [1, 2]\n    range: [5, 9]"
    )
    path.write_text(text, encoding="utf-8")
    with pytest.raises(FactsError) as err:
        load_facts(path)
    lines = text.splitlines()
    first, second = (i + 1 for i, s in enumerate(lines) if "range:" in s)
    message = str(err.value)
    assert message.startswith(f"{path}, line {second}, at facts[0].range: ")
    assert f"duplicate key 'range' (first on line {first})" in message


def test_deep_nesting_is_an_error_with_its_key_path_not_a_crash(tmp_path):
    path = tmp_path / "facts.yaml"
    path.write_text(fact_yaml(why="[" * 5000 + "]" * 5000), encoding="utf-8")
    with pytest.raises(FactsError) as err:
        load_facts(path)
    assert str(err.value).startswith(f"{path}, line ")
    assert "nested more than 32 levels deep" in str(err.value)
    assert "at facts[0].why" in str(err.value)


def alias_bomb(levels: int) -> str:
    """A flow list whose last item expands to 8**levels values (lol-style)."""
    items = ['&a0 ["lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol"]']
    for i in range(1, levels + 1):
        items.append(f"&a{i} [" + ", ".join([f"*a{i - 1}"] * 8) + "]")
    return "[" + ", ".join(items) + "]"


def test_an_alias_bomb_is_refused_before_it_expands(tmp_path):
    path = tmp_path / "facts.yaml"
    path.write_text(fact_yaml(why=alias_bomb(6)), encoding="utf-8")
    with pytest.raises(FactsError) as err:
        load_facts(path)
    assert "expands to more than 100,000 values" in str(err.value)
    assert "at facts[0].why" in str(err.value)


@pytest.mark.parametrize(
    "changes",
    [
        {"kind": "k" * 100_000},
        {"id": "X" * 100_000},
        {"range": "[1, " + "9" * 5000 + "]"},
    ],
)
def test_huge_values_are_clipped_in_messages(tmp_path, changes):
    path = tmp_path / "facts.yaml"
    path.write_text(fact_yaml(**changes), encoding="utf-8")
    with pytest.raises(FactsError) as err:
        load_facts(path)
    assert len(str(err.value)) < 500, str(err.value)[:300]


def test_tags_are_refused(tmp_path):
    path = tmp_path / "facts.yaml"
    path.write_text(fact_yaml(why="!!python/name:os.system ''"), encoding="utf-8")
    with pytest.raises(FactsError, match="is not allowed"):
        load_facts(path)


def test_a_bad_fact_names_the_line_it_starts_on(tmp_path):
    path = tmp_path / "facts.yaml"
    text = fact_yaml(kind="outcomes")
    path.write_text(text, encoding="utf-8")
    line = next(i + 1 for i, s in enumerate(text.splitlines()) if "- id: x" in s)
    with pytest.raises(FactsError) as err:
        load_facts(path)
    assert str(err.value).startswith(f"{path}, line {line}: fact 'x': 'kind' must be")


def test_a_facts_file_that_is_no_regular_file_is_refused(tmp_path):
    with pytest.raises(FactsError, match="is a directory, not a regular file"):
        load_facts(tmp_path)
    big = tmp_path / "big.yaml"
    big.write_text(fact_yaml() + "\n#" + "x" * 1_200_000, encoding="utf-8")
    with pytest.raises(FactsError, match="a facts file may be at most 1.0 MB"):
        load_facts(big)

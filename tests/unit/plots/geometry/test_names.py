"""Matching a boundary file's spellings to the 34 provinces."""

from __future__ import annotations

from sim.plots.geometry import ALIASES
from sim.plots.geometry.names import normalise, province_lookup, suggest
from sim.world.geography import load_geography


def test_every_alias_names_a_province_and_finds_it():
    geo = load_geography()
    lookup = province_lookup()
    assert set(ALIASES) == set(geo.names)
    for name, spellings in ALIASES.items():
        assert spellings, name
        for s in spellings:
            assert lookup[normalise(s)] == geo.index[name], s


def test_a_name_over_two_lines_keeps_every_spelling():
    assert ALIASES["Sar-e Pol"][0] == "Sari Pul"
    assert "Sare Pol" in ALIASES["Sar-e Pol"]
    assert len(ALIASES["Sar-e Pol"]) == 10


def test_spellings_are_normalised():
    assert normalise("Kunduz Province") == normalise("KUNDUZ") == "kunduz"
    assert normalise("Sar-e Pol") == "sarepol"
    assert province_lookup()[normalise("AF-KDZ")] == load_geography().index["Kunduz"]


def test_a_misspelling_gets_the_closest_province():
    assert suggest("Helmund") == "Helmand"
    assert suggest("Sari Pool") == "Sar-e Pol"
    assert suggest("xyz") is None

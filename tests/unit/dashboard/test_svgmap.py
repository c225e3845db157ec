"""The SVG province map: outlines built once, colours per step."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET

import numpy as np

from sim.dashboard.svgmap import (
    CONTESTED_FILL,
    DIFFERENCE_STROKE,
    map_geometry,
    map_svg,
    province_styles,
)


def test_the_shipped_boundaries_give_one_path_per_province():
    g = map_geometry()
    assert len(g.paths) == len(g.names) == len(g.label_points) == 34
    assert g.width == 1000 and 600 < g.height < 900  # Afghanistan is wider than tall
    for d in g.paths:
        xs = [float(v) for v in re.findall(r"-?\d+\.\d", d)]
        assert xs and min(xs) >= -0.1 and max(xs) <= 1000.1
    assert map_geometry() is g  # built once per process


def test_styles_colour_by_controller_and_outline_differences():
    names = ("A", "B", "C")
    styles = province_styles(
        np.array([0, -1, 1]),
        ["#111111", "#222222"],
        names,
        ["Gov", "Tal"],
        differs=np.array([False, True, False]),
    )
    assert [s.fill for s in styles] == ["#111111", CONTESTED_FILL, "#222222"]
    assert (
        styles[1].stroke == DIFFERENCE_STROKE and styles[0].stroke != DIFFERENCE_STROKE
    )
    assert styles[1].title == "B: contested (differs)"


def test_the_whole_map_is_valid_svg_with_escaped_names():
    g = map_geometry()
    styles = province_styles(
        np.zeros(34, dtype=int), ["#abcdef"], g.names, ["<Gov & co>"]
    )
    svg = map_svg(g, styles)
    root = ET.fromstring(svg)
    assert len(root.findall("{http://www.w3.org/2000/svg}path")) == 34
    assert "&lt;Gov &amp; co&gt;" in svg


def test_the_page_gets_the_outlines_once_as_json():
    import json

    from sim.dashboard.svgmap import shape_json

    g = map_geometry()
    text = shape_json(g)
    assert shape_json(g) is text  # built once
    shape = json.loads(text)
    assert shape["paths"] == list(g.paths) and shape["view_box"] == g.view_box
    assert len(shape["names"]) == len(shape["label_points"]) == 34

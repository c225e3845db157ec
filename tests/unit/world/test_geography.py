import networkx as nx
import numpy as np
import pytest

from sim.world.geography import ETHNIC_GROUPS, load_geography

geo = load_geography()


def idx(name):
    return geo.index[name]


def test_34_provinces_with_facts():
    assert geo.n_provinces == 34
    assert len(set(geo.names)) == 34
    assert geo.population.sum() == 27_101_365  # CSO 1394 settled total
    assert np.allclose(geo.ethnic.sum(axis=1), 1.0)
    assert geo.ethnic.shape == (34, len(ETHNIC_GROUPS))
    assert ((geo.lat > 29) & (geo.lat < 39) & (geo.lon > 60) & (geo.lon < 75)).all()


def test_province_graph_connected_and_symmetric():
    g = geo.province_graph()
    assert nx.is_connected(g)
    assert g.number_of_edges() == 79
    for p in range(34):
        for q in geo.neighbours(p):
            assert p in geo.neighbours(q)


@pytest.mark.parametrize(
    "a,b",
    [
        ("Kunduz", "Takhar"),
        ("Kunduz", "Baghlan"),
        ("Badakhshan", "Takhar"),
        ("Helmand", "Kandahar"),
        ("Herat", "Farah"),
        ("Bamyan", "Ghazni"),
    ],
)
def test_known_borders_present(a, b):
    assert idx(b) in geo.neighbours(idx(a))


@pytest.mark.parametrize(
    "a,b", [("Kunduz", "Helmand"), ("Baghlan", "Balkh"), ("Nangarhar", "Paktia")]
)
def test_absent_or_disputed_borders_left_out(a, b):
    assert idx(b) not in geo.neighbours(idx(a))


def test_staging_nodes_match_foreign_borders():
    for key, node, linked in zip(
        geo.staging_keys, geo.staging_ids, geo.staging_links, strict=True
    ):
        assert geo.graph.nodes[node]["kind"] == "staging"
        if key == "air":
            assert {geo.names[p] for p in linked} == {
                "Kabul",
                "Parwan",
                "Kandahar",
                "Balkh",
                "Herat",
            }
            continue
        country = geo.staging_names[geo.staging_keys.index(key)]
        bordering = {p for p in range(34) if country in geo.foreign_borders[p]}
        assert set(linked) == bordering
    tajik = geo.staging_links[geo.staging_keys.index("tajikistan")]
    assert {geo.names[p] for p in tajik} == {"Badakhshan", "Takhar", "Kunduz", "Balkh"}


def test_layout_has_every_node():
    lay = geo.layout()
    assert set(lay) == set(geo.graph.nodes)

"""kg.views.nx_view: the NetworkX view and GraphML for Gephi."""

from __future__ import annotations

import xml.etree.ElementTree as ET

import networkx as nx

from kg.iri import document_iri
from kg.views.nx_view import TYPE_COLOURS, gephi_safe, graphml_id, to_networkx, write_graphml


def test_nodes_and_edges(graph, kg, sample):
    G = to_networkx(graph)
    assert isinstance(G, nx.MultiDiGraph)
    assert G.number_of_nodes() == len(kg.entities) + len(kg.documents)
    assert G.number_of_edges() == len(kg.relations)
    n = G.nodes[sample.HUAJING]
    assert n["label"] == "华东精工机械有限公司"
    assert n["type"] == "Company"
    assert n["aliases"] == ["华东精工", "华精"]
    assert n["n_documents"] == 2
    assert n["n_mentions"] == 6
    d1 = G.nodes[document_iri(sample.D1)]
    assert d1["type"] == "Document" and d1["label"] == "华东精工一季度营收136亿元"
    # two holdsPosition statements (one per document) → two parallel edges
    edges = G.get_edge_data(sample.ZHANG, sample.HUAJING)
    assert len(edges) == 2
    for key, attrs in edges.items():
        assert key.startswith("https://w3id.org/industry-kg/id/rel/")
        assert attrs["predicate"] == "holdsPosition"
        assert attrs["title"] == attrs["label"] == "董事长"
        assert attrs["doc"] in (sample.D1, sample.D2)
        assert "张伟" in attrs["evidence"]
    assert G.has_edge(sample.LI, document_iri(sample.D1))  # authorOf → the document node
    located = G.get_edge_data(sample.HUAJING, sample.JIANGZHOU)
    assert [a["label"] for a in located.values()] == ["locatedIn"]
    assert all("title" not in a for a in located.values())


def test_graphml_reads_back(graph, tmp_path, sample):
    G = to_networkx(graph)
    path = tmp_path / "graph.graphml"
    write_graphml(G, path)
    H = nx.read_graphml(path, force_multigraph=True)
    assert H.number_of_nodes() == G.number_of_nodes()
    assert H.number_of_edges() == G.number_of_edges()
    n = H.nodes[graphml_id(sample.HUAJING)]
    assert n["iri"] == sample.HUAJING
    assert n["label"] == "华东精工机械有限公司"
    assert n["aliases"] == "华东精工|华精"
    assert (n["r"], n["g"], n["b"]) == TYPE_COLOURS["Company"]
    assert n["n_documents"] == 2
    for _, _, key, attrs in H.edges(keys=True, data=True):
        assert key.startswith("rel:") and attrs["iri"].endswith(key[len("rel:"):])
        assert attrs["label"]
        assert attrs["predicate"]
        assert "None" not in attrs.values()


def test_graphml_edge_ids_are_unique_and_no_none(graph, tmp_path):
    path = tmp_path / "graph.graphml"
    write_graphml(to_networkx(graph), path)
    root = ET.parse(path).getroot()
    ns = {"g": "http://graphml.graphdrawing.org/xmlns"}
    ids = [e.get("id") for e in root.iterfind(".//g:edge", ns)]
    assert all(ids) and len(ids) == len(set(ids))
    for data in root.iterfind(".//g:data", ns):
        assert data.text not in (None, "None")
    names = {k.get("attr.name") for k in root.iterfind("g:key", ns)}
    assert {"label", "type", "r", "g", "b", "predicate"} <= names


def test_graphml_is_deterministic(graph, tmp_path):
    a, b = tmp_path / "a.graphml", tmp_path / "b.graphml"
    write_graphml(to_networkx(graph), a)
    write_graphml(to_networkx(graph), b)
    assert a.read_bytes() == b.read_bytes()


def test_control_characters_are_stripped(tmp_path):
    G = nx.MultiDiGraph()
    G.add_node("a", label="华\x00东\x0b精工", type="Company", aliases=["x\x1fy", None], n_documents=1, note=None)
    G.add_node("b", label="b", type="Mystery")
    G.add_edge("a", "b", key="k1", predicate="produces", evidence="bad\x07char\nok")
    G.add_edge("a", "b", key="k1-dup", predicate="produces")
    path = tmp_path / "g.graphml"
    write_graphml(G, path)
    H = nx.read_graphml(path, force_multigraph=True)
    assert H.nodes["a"]["label"] == "华东精工"
    assert H.nodes["a"]["aliases"] == "xy"
    assert "note" not in H.nodes["a"]
    assert (H.nodes["b"]["r"], H.nodes["b"]["g"], H.nodes["b"]["b"]) == TYPE_COLOURS["Unknown"]
    evid = [d.get("evidence") for _, _, d in H.edges(data=True) if d.get("evidence")]
    assert evid == ["badchar\nok"]
    assert all(d["label"] == "produces" for _, _, d in H.edges(data=True))


def test_gephi_safe():
    assert gephi_safe(["a", "b"]) == "a|b"
    assert gephi_safe(None) is None
    assert gephi_safe(3) == 3
    assert gephi_safe("x\x01") == "x"

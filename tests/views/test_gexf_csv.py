"""kg.views.gexf and kg.views.csv_export, on the sample graph."""

from __future__ import annotations

import csv
import xml.etree.ElementTree as ET

import networkx as nx
import pandas as pd
import pytest

from kg.views.csv_export import EDGE_HEADER, NODE_HEADER, csv_tables, write_csv
from kg.views.gexf import LAYOUT_SCALE, layout, node_size, write_gexf
from kg.views.nx_view import TYPE_COLOURS, to_networkx

GEXF_NS = {"g": "http://www.gexf.net/1.2draft", "viz": "http://www.gexf.net/1.2draft/viz"}


@pytest.fixture(scope="module")
def G(graph):
    return to_networkx(graph)


@pytest.fixture(scope="module")
def gexf_path(G, tmp_path_factory):
    path = tmp_path_factory.mktemp("gexf") / "graph.gexf"
    write_gexf(G, path)
    return path


def test_gexf_reads_back_with_viz(G, gexf_path, sample):
    H = nx.read_gexf(gexf_path)
    assert isinstance(H, nx.MultiDiGraph)
    assert H.number_of_nodes() == G.number_of_nodes()
    assert H.number_of_edges() == G.number_of_edges()
    n = H.nodes[sample.HUAJING]
    assert n["label"] == "华东精工机械有限公司"
    assert n["aliases"] == "华东精工|华精"
    assert n["n_figures"] == 2
    viz = n["viz"]
    assert (viz["color"]["r"], viz["color"]["g"], viz["color"]["b"]) == TYPE_COLOURS["Company"]
    assert viz["size"] == node_size(G.degree(sample.HUAJING)) > node_size(0)
    assert abs(viz["position"]["x"]) <= LAYOUT_SCALE and abs(viz["position"]["y"]) <= LAYOUT_SCALE
    # edge ids are the relation IRIs; character offsets are not read as time bounds
    for u, v, k, d in H.edges(keys=True, data=True):
        assert k.startswith("https://w3id.org/industry-kg/id/rel/")
        assert d["label"] and d["predicate"]
        assert isinstance(d["char_start"], int) and d["char_end"] > d["char_start"]


def test_gexf_structure(gexf_path, G):
    text = gexf_path.read_text(encoding="utf-8")
    assert "lastmodifieddate" not in text  # no date stamp: rebuilds are byte-identical
    assert "华东精工机械有限公司" in text  # characters as they are, not &#…; references
    root = ET.parse(gexf_path).getroot()
    graph = root.find("g:graph", GEXF_NS)
    assert graph.get("mode") == "static"
    nodes = root.findall(".//g:node", GEXF_NS)
    assert len(nodes) == G.number_of_nodes()
    for node in nodes:
        assert node.find("viz:color", GEXF_NS) is not None
        assert float(node.find("viz:size", GEXF_NS).get("value")) >= 4
        assert node.find("viz:position", GEXF_NS) is not None
    ids = [e.get("id") for e in root.iterfind(".//g:edge", GEXF_NS)]
    assert len(ids) == len(set(ids)) == G.number_of_edges()


def test_gexf_is_deterministic(G, gexf_path, tmp_path, graph):
    again = tmp_path / "again.gexf"
    write_gexf(to_networkx(graph), again)
    assert again.read_bytes() == gexf_path.read_bytes()


def test_layout_spreads_nodes(G):
    pos = layout(G)
    assert set(pos) == set(G)
    assert len(set(pos.values())) == len(pos)  # no two nodes on the same spot
    assert layout(G) == pos


def test_node_size_grows_with_degree():
    assert node_size(0) == 4.0
    assert node_size(1) < node_size(4) < node_size(16)


def test_gexf_cleans_attributes(tmp_path):
    G = nx.MultiDiGraph()
    G.add_node("a", label="甲\x01乙", type="Company", aliases=["x", "y"], note=None)
    G.add_node("b", label="b", type="Mystery")
    G.add_edge("a", "b", key="k", predicate="produces", start=3, end=5)
    G.add_edge("a", "b", key="k2", predicate="produces", start=None)
    write_gexf(G, tmp_path / "g.gexf")
    H = nx.read_gexf(tmp_path / "g.gexf")
    assert H.nodes["a"]["label"] == "甲乙" and H.nodes["a"]["aliases"] == "x|y"
    assert "note" not in H.nodes["a"]
    c = H.nodes["b"]["viz"]["color"]
    assert (c["r"], c["g"], c["b"]) == TYPE_COLOURS["Unknown"]
    assert sorted(k for _, _, k in H.edges(keys=True)) == ["k", "k2"]


# ---------------------------------------------------------------- CSV


@pytest.fixture(scope="module")
def csv_dir(G, tmp_path_factory):
    folder = tmp_path_factory.mktemp("csv") / "tables"
    write_csv(G, folder)
    return folder


def test_csv_headers_follow_neo4j_import(csv_dir):
    with open(csv_dir / "nodes.csv", encoding="utf-8", newline="") as fh:
        assert next(csv.reader(fh)) == NODE_HEADER
    with open(csv_dir / "edges.csv", encoding="utf-8", newline="") as fh:
        assert next(csv.reader(fh)) == EDGE_HEADER
    assert {"id:ID", ":LABEL"} <= set(NODE_HEADER)
    assert {":START_ID", ":END_ID", ":TYPE"} <= set(EDGE_HEADER)


def test_csv_reads_into_pandas(csv_dir, G, sample):
    nodes = pd.read_csv(csv_dir / "nodes.csv", keep_default_na=False)
    edges = pd.read_csv(csv_dir / "edges.csv", keep_default_na=False)
    assert len(nodes) == G.number_of_nodes() and len(edges) == G.number_of_edges()
    assert nodes["id:ID"].is_unique and edges["id"].is_unique
    row = nodes.set_index("id:ID").loc[sample.HUAJING]
    assert row["name"] == "华东精工机械有限公司" and row[":LABEL"] == "Company"
    assert row["aliases:string[]"].split(";") == ["华东精工", "华精"]
    assert row["n_mentions:int"] == 6 and row["n_figures:int"] == 2
    assert str(nodes["n_documents:int"].dtype).startswith("int")
    # every edge end is a node: what Neo4j's import checks
    assert set(edges[":START_ID"]) | set(edges[":END_ID"]) <= set(nodes["id:ID"])
    posts = edges[edges[":TYPE"] == "holdsPosition"]
    assert set(posts["title"]) == {"董事长"} and len(posts) == 2
    assert (edges["end:int"] > edges["start:int"]).all()


def test_csv_has_no_line_breaks_inside_fields(csv_dir, G):
    lines = (csv_dir / "edges.csv").read_text(encoding="utf-8").splitlines()
    assert len(lines) == G.number_of_edges() + 1  # one physical line per row


def test_csv_cleans_values():
    G = nx.MultiDiGraph()
    G.add_node("a", label="甲\n乙", type="Company", aliases=["x;y", "z"], figures=[])
    G.add_node("b", label="b")
    G.add_edge("a", "b", key="e1", predicate="produces", evidence="一\r\n二\x07三", start=1, end=4)
    nodes, edges = csv_tables(G)
    rows = list(csv.reader(nodes.splitlines()))
    assert rows[1][:4] == ["a", "甲 乙", "Company", "x；y;z"]
    assert rows[2][2] == "Unknown"
    erow = list(csv.reader(edges.splitlines()))[1]
    assert erow == ["a", "b", "produces", "e1", "", "", "一 二 三", "1", "4"]


def test_csv_is_deterministic(G, graph):
    assert csv_tables(G) == csv_tables(to_networkx(graph))

"""GraphML written by kg is valid against the GraphML schema (offline:
tests/data/graphml/graphml-structure.xsd, see the note at its top) and its
values match the declared attr.type."""

from __future__ import annotations

import importlib.util
import json
import sys
import xml.etree.ElementTree as ET
from pathlib import Path

import networkx as nx
import pytest
import xmlschema

from kg.views.nx_view import from_export, graphml_id, to_networkx, write_graphml

XSD = Path(__file__).resolve().parents[1] / "data" / "graphml" / "graphml-structure.xsd"
NS = {"g": "http://graphml.graphdrawing.org/xmlns"}


def _support():
    name = "_industry_kg_cli_support"
    mod = sys.modules.get(name)
    if mod is None:
        path = Path(__file__).resolve().parents[1] / "cli" / "__init__.py"
        spec = importlib.util.spec_from_file_location(name, path)
        mod = importlib.util.module_from_spec(spec)
        sys.modules[name] = mod
        spec.loader.exec_module(mod)
    return mod


@pytest.fixture(scope="module")
def schema():
    # allow="local": the schema imports nothing, and nothing is fetched from the network
    return xmlschema.XMLSchema(str(XSD), allow="local")


def _errors(schema, path) -> list[str]:
    return [str(e.reason or e) for e in schema.iter_errors(str(path), use_location_hints=False)]


def _check_values(path) -> int:
    """Every <data> parses as its key's attr.type; returns how many were checked."""
    root = ET.parse(path).getroot()
    types = {k.get("id"): k.get("attr.type", "string") for k in root.iterfind("g:key", NS)}
    n = 0
    for d in root.iterfind(".//g:data", NS):
        t, text = types[d.get("key")], d.text or ""
        if t in ("int", "long"):
            int(text)
        elif t in ("float", "double"):
            float(text)
        elif t == "boolean":
            assert text in ("true", "false"), text
        assert text != "None"
        n += 1
    return n


def test_sample_graphml_is_valid(graph, schema, tmp_path):
    path = tmp_path / "g.graphml"
    write_graphml(to_networkx(graph), path)
    assert _errors(schema, path) == []
    assert _check_values(path) > 50


def test_corpus_graphml_is_valid(schema, tmp_path_factory, tmp_path):
    out = _support().shared_build(tmp_path_factory)
    data = json.loads((out / "graph.json").read_text(encoding="utf-8"))
    path = tmp_path / "corpus.graphml"
    write_graphml(from_export(data), path)
    assert _errors(schema, path) == []
    assert _check_values(path) > 1000
    H = nx.read_graphml(path, force_multigraph=True)
    assert {d["iri"] for _, d in H.nodes(data=True)} == (
        {e["id"] for e in data["entities"]} | {d["iri"] for d in data["documents"]})


def test_schema_rejects_what_gephi_would_choke_on(schema, tmp_path):
    """The schema is not a rubber stamp: IRIs as ids, undeclared keys, duplicate
    edge ids and dangling edges are all refused."""
    base = ('<graphml xmlns="http://graphml.graphdrawing.org/xmlns">'
            '<key id="d0" for="node" attr.name="label" attr.type="string"/>'
            '<graph edgedefault="directed">{}</graph></graphml>')
    cases = {
        "ok": '<node id="a"><data key="d0">甲</data></node><node id="b"/><edge id="e" source="a" target="b"/>',
        "iri id": '<node id="https://w3id.org/x/a"/>',
        "undeclared key": '<node id="a"><data key="d9">x</data></node>',
        "duplicate edge id": '<node id="a"/><edge id="e" source="a" target="a"/><edge id="e" source="a" target="a"/>',
        "dangling edge": '<node id="a"/><edge source="a" target="b"/>',
    }
    results = {}
    for name, body in cases.items():
        p = tmp_path / f"{name.replace(' ', '_')}.graphml"
        p.write_text(base.format(body), encoding="utf-8")
        results[name] = bool(_errors(schema, p))
    assert results == {"ok": False, "iri id": True, "undeclared key": True,
                       "duplicate edge id": True, "dangling edge": True}


def test_graphml_id_is_an_nmtoken():
    assert graphml_id("https://w3id.org/industry-kg/id/company/8429095f5deb5ab0") == (
        "company:8429095f5deb5ab0")
    assert graphml_id("https://w3id.org/industry-kg/id/doc/001_a%20b.txt") == "doc:001_a_20b.txt"
    assert graphml_id("http://example.org/x y") == "http:__example.org_x_y"
    assert graphml_id("华东精工") == "华东精工"


def test_ids_that_clash_after_cleaning_stay_apart(schema, tmp_path):
    G = nx.MultiDiGraph()
    G.add_node("x/y", label="one", type="Company")
    G.add_node("x y", label="two", type="Company")
    G.add_edge("x/y", "x y", key="r/1", predicate="cooperatesWith")
    G.add_edge("x y", "x/y", key="r 1", predicate="cooperatesWith")
    path = tmp_path / "clash.graphml"
    write_graphml(G, path)
    assert _errors(schema, path) == []
    H = nx.read_graphml(path, force_multigraph=True)
    assert sorted(H.nodes) == ["x_y", "x_y-1"]
    assert {d["iri"]: d["label"] for _, d in H.nodes(data=True)} == {"x/y": "one", "x y": "two"}
    assert sorted(k for _, _, k in H.edges(keys=True)) == ["r_1", "r_1-1"]

"""Every output stays valid on hostile text: control characters, lone surrogates,
``<``, ``&``, quotes, backslashes and braces in names, titles and evidence.
Turtle parses with rdflib and pyoxigraph, GraphML is well-formed XML that
networkx reads back, JSON and JSON-LD load, N-Triples parse."""

from __future__ import annotations

import dataclasses
import json
import re
import xml.etree.ElementTree as ET
from pathlib import Path

import networkx as nx
import pyoxigraph as ox
import pytest

from kg import api

# what a name may hold; the lone surrogates cannot be written as UTF-8 at all
HOSTILE = '\x00\x01\x08\x0b\x0c\x1b\x1f\x7f\ud800\udfff<&>"\'\\{}\n\r\t@zh^^ ]]> ."""'
# what a corpus *file* may hold (decoded text has no lone surrogates and no NUL)
HOSTILE_FILE = '\x01\x08\x0b\x0c\x1b\x1f\x7f<&>"\'\\{}\t@zh^^ ]]> ."""'


def _hostile_kg(kg):
    """The sample graph with every name, alias, title and evidence made hostile."""
    h = HOSTILE

    def doc(d):
        return dataclasses.replace(d, title=(d.title or "") + h, publisher=h, place=h + "江北")

    def ent(e):
        return dataclasses.replace(e, name=e.name + h, aliases=tuple(a + h for a in e.aliases),
                                   merge_reasons=tuple((a + h, r + h) for a, r in e.merge_reasons))

    def rel(r):
        return dataclasses.replace(r, evidence=r.evidence + h, title=(r.title + h) if r.title else None)

    def fig(f):
        return dataclasses.replace(f, metric=(f.metric or "") + h, unit=f.unit + h, evidence=h,
                                   period=h)

    return dataclasses.replace(kg, documents=tuple(map(doc, kg.documents)),
                               entities=tuple(map(ent, kg.entities)),
                               relations=tuple(map(rel, kg.relations)),
                               figures=tuple(map(fig, kg.figures)))


def _expected(text: str) -> str:
    """A string as it survives: lone surrogates become U+FFFD (Turtle, JSON)."""
    return "".join("\ufffd" if 0xD800 <= ord(c) <= 0xDFFF else c for c in text)


def _check_all_outputs(out: Path, tmp: Path) -> dict:
    """Parse every output of a build and every export; return graph.json."""
    ttl = out / "graph.ttl"
    rdf = api.load_graph(out)  # rdflib
    store = ox.Store()
    store.load(path=str(ttl), format=ox.RdfFormat.TURTLE)  # pyoxigraph
    assert len(store) == len(rdf) == api.load_build_info(out)["triples"]
    ttl.read_bytes().decode("utf-8")  # valid UTF-8

    data = json.loads((out / "graph.json").read_bytes().decode("utf-8"))
    json.loads((out / "build.json").read_bytes().decode("utf-8"))

    graphml = api.export(out, "graphml", tmp / "g.graphml")
    ET.parse(graphml)  # well-formed XML
    G = nx.read_graphml(graphml)
    assert G.number_of_nodes() == len(data["entities"]) + len(data["documents"])

    jsonld = api.export(out, "jsonld", tmp / "g.jsonld")
    json.loads(jsonld.read_bytes().decode("utf-8"))
    nt = api.export(out, "nt", tmp / "g.nt")
    nt_store = ox.Store()
    nt_store.load(path=str(nt), format=ox.RdfFormat.N_TRIPLES)
    assert len(nt_store) == len(store)
    return data


def test_hostile_names_in_every_output(kg, tmp_path: Path) -> None:
    from kg.rdf.graph import to_rdf, write_turtle
    from kg.views.json_export import graph_to_json, write_json

    hostile = _hostile_kg(kg)
    graph = to_rdf(hostile)
    out = tmp_path / "out"
    out.mkdir()
    write_turtle(graph, out / "graph.ttl")
    write_json(graph_to_json(graph), out / "graph.json")
    (out / "build.json").write_text(json.dumps({"triples": len(graph)}), encoding="utf-8")

    # the files written straight from the records (as kg build does) are the same bytes
    from kg.rdf.stream import StreamedGraph
    from kg.views.json_export import write_export

    streamed = tmp_path / "streamed"
    streamed.mkdir()
    sg = StreamedGraph(hostile)
    assert sg.write_turtle(streamed / "graph.ttl") == len(graph)
    write_export(hostile, streamed / "graph.json", sg.mention_texts())
    for name in ("graph.ttl", "graph.json"):
        assert (streamed / name).read_bytes() == (out / name).read_bytes()

    data = _check_all_outputs(out, tmp_path)
    # names come back as they were (lone surrogates as U+FFFD)
    assert sorted(e["name"] for e in data["entities"]) == sorted(
        _expected(e.name) for e in hostile.entities)
    parsed = {str(o) for o in api.load_graph(out).objects()}
    for e in hostile.entities:
        assert _expected(e.name) in parsed
    store = ox.Store()
    store.load(path=str(out / "graph.ttl"), format=ox.RdfFormat.TURTLE)
    assert {t.object.value for t in store if isinstance(t.object, ox.Literal)} >= {
        _expected(e.name) for e in hostile.entities}
    G = nx.read_graphml(tmp_path / "g.graphml")
    labels = {d.get("label") for _, d in G.nodes(data=True)}
    # XML cannot hold control characters: they are left out, the rest is kept (an XML
    # reader turns a raw carriage return into a line feed)
    for e in hostile.entities:
        xml_text = re.sub("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]", "", _expected(e.name))
        assert xml_text.replace("\r\n", "\n").replace("\r", "\n") in labels


def test_hostile_corpus_through_the_whole_build(tmp_path: Path, kg_run) -> None:
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    h = HOSTILE_FILE
    (corpus / "a.txt").write_text(
        f"江北\"精工\\轴承}}有限公司董事长李明远表示{h}，公司营业收入达到8.6亿元。\n"
        f"河西{{重工}}机械有限公司总经理赵文博说：“{h}”A&B<精工>科技有限公司与"
        f"SELECT * WHERE {{ ?s ?p ?o }}有限公司签署协议。\n", encoding="utf-8")
    toml_h = h.replace("\\", "\\\\").replace('"', '\\"')
    toml_h = "".join(f"\\u{ord(c):04X}" if ord(c) < 0x20 or ord(c) == 0x7F else c for c in toml_h)
    (corpus / "manifest.toml").write_text(
        f'[[document]]\nid = "a.txt"\ntitle = "标题{toml_h}"\npublisher = "{toml_h}"\n',
        encoding="utf-8")
    out = tmp_path / "out"
    code, _, err = kg_run("build", "--corpus", corpus, "--out", out)
    assert code == 0, err

    data = _check_all_outputs(out, tmp_path)
    (doc,) = data["documents"]
    assert doc["title"] == "标题" + h
    names = {e["name"] for e in data["entities"]}
    assert any("\\" in n for n in names) and any("}" in n for n in names), names
    # offsets still point at the original characters
    original = (corpus / "a.txt").read_text(encoding="utf-8")
    for e in data["entities"]:
        for m in e["mentions"]:
            assert 0 <= m["start"] < m["end"] <= len(original)


@pytest.mark.parametrize("name", ['"', "}", "\\", '"} . ?s ?p ?o } #', "SELECT * WHERE { ?s ?p ?o }",
                                  'x" ; DELETE WHERE { ?s ?p ?o } ; "', "\\u0022"])
def test_lookup_takes_any_text_literally(tmp_path_factory, kg_run, name: str) -> None:
    """kg lookup builds no SPARQL: it matches names in graph.json, so quotes, braces,
    backslashes and SPARQL keywords are just characters; the build is unchanged."""
    out = _hostile_build(tmp_path_factory)
    before = {p.name: p.read_bytes() for p in out.iterdir()}
    code, stdout, err = kg_run("lookup", name, "--out", out, "--format", "json")
    assert code == 0, err
    hits = json.loads(stdout)
    for hit in hits:  # only real matches of the text itself
        norm = name.replace(" ", "").casefold()
        assert any(norm in x.replace(" ", "").casefold() or x.replace(" ", "").casefold() in norm
                   for x in [hit["name"], *hit["aliases"]])
    assert {p.name: p.read_bytes() for p in out.iterdir()} == before


def test_lookup_finds_names_with_sparql_syntax(tmp_path_factory, kg_run) -> None:
    out = _hostile_build(tmp_path_factory)
    names = {e["name"] for e in api.load_export(out)["entities"]}
    for name in sorted(n for n in names if any(c in n for c in '\\{}"')):
        code, stdout, err = kg_run("lookup", name, "--out", out, "--format", "json")
        assert code == 0, err
        assert json.loads(stdout)[0]["name"] == name and json.loads(stdout)[0]["match"] == "exact"


def test_query_is_the_users_text_and_updates_are_refused(tmp_path_factory, kg_run) -> None:
    """kg query runs the text it is given as the query (nothing is pasted into a
    template), through pyoxigraph's parser, on an in-memory copy; updates are
    refused before parsing, whatever hides them."""
    out = _hostile_build(tmp_path_factory)
    before = {p.name: p.read_bytes() for p in out.iterdir()}
    for text in ["DELETE WHERE { ?s ?p ?o }",
                 "PREFIX x: <http://x/> # comment\n DROP ALL",
                 "INSERT DATA { <http://x/a> <http://x/b> \"}\" }"]:
        code, _, err = kg_run("query", text, "--out", out)
        assert code == 2 and "updates are refused" in err
    # a query that is not one statement ends at the parser
    code, _, err = kg_run("query", 'SELECT * WHERE { ?s ?p ?o } ; DELETE WHERE { ?s ?p ?o }',
                          "--out", out)
    assert code == 2 and "SPARQL syntax error" in err
    # names with quotes and backslashes are found with properly escaped literals
    name = next(e["name"] for e in api.load_export(out)["entities"] if "\\" in e["name"])
    literal = name.replace("\\", "\\\\").replace('"', '\\"')
    code, stdout, err = kg_run("query", f'SELECT ?e WHERE {{ ?e skos:prefLabel "{literal}"@zh }}',
                               "--out", out, "--format", "json")
    assert code == 0, err
    assert len(json.loads(stdout)["results"]["bindings"]) == 1
    assert {p.name: p.read_bytes() for p in out.iterdir()} == before


def _hostile_build(tmp_path_factory) -> Path:
    """A build of a corpus whose names hold SPARQL syntax (made once per session)."""
    root = tmp_path_factory.getbasetemp() / "kg-hostile-build"
    out = root / "out"
    if not (out / "build.json").is_file():
        corpus = root / "corpus"
        corpus.mkdir(parents=True, exist_ok=True)
        (corpus / "a.txt").write_text(
            "江北\"精工\\轴承}有限公司董事长李明远表示，公司营业收入达到8.6亿元。\n"
            "河西{重工}机械有限公司总经理赵文博说，公司与江北大学签署协议。\n", encoding="utf-8")
        api.build(corpus, out)
    return out

"""kg.rdf.stream and kg.views.json_export.write_export: graph.ttl and graph.json written
straight from the resolved records are the files the rdflib graph gives (the oracle:
``write_turtle(to_rdf(kg))`` and ``write_json(graph_to_json(to_rdf(kg)))``), byte for byte,
also where records share an IRI and where IRIs do not sort in the usual way."""

from __future__ import annotations

import dataclasses
import json

import pytest
from rdflib import Graph
from rdflib.compare import isomorphic, to_isomorphic

from kg.iri import DATA
from kg.models import Predicate, ResolvedRelation
from kg.rdf import stream
from kg.rdf.graph import to_rdf, write_turtle
from kg.rdf.stream import StreamedGraph
from kg.views.json_export import graph_to_json, kg_to_json, write_export, write_json


def _oracle(kg, folder):
    folder.mkdir()
    g = to_rdf(kg)
    write_turtle(g, folder / "graph.ttl")
    write_json(graph_to_json(g), folder / "graph.json")
    return g


def _streamed(kg, folder):
    folder.mkdir()
    sg = StreamedGraph(kg)
    n = sg.write_turtle(folder / "graph.ttl")
    counts = write_export(kg, folder / "graph.json", sg.mention_texts())
    return n, counts


def _same_outputs(kg, tmp_path, name="x"):
    g = _oracle(kg, tmp_path / f"{name}-old")
    n, counts = _streamed(kg, tmp_path / f"{name}-new")
    old, new = tmp_path / f"{name}-old", tmp_path / f"{name}-new"
    assert (new / "graph.ttl").read_bytes() == (old / "graph.ttl").read_bytes()
    assert (new / "graph.json").read_bytes() == (old / "graph.json").read_bytes()
    assert n == len(g)
    assert sorted(p.name for p in new.iterdir()) == ["graph.json", "graph.ttl"]  # no .tmp left
    return g, new, counts


def test_streamed_outputs_are_the_rdflib_graphs_files(kg, tmp_path):
    g, new, counts = _same_outputs(kg, tmp_path)
    back = Graph()
    back.parse(new / "graph.ttl", format="turtle")
    assert set(back) == set(g)
    assert isomorphic(back, g)
    assert to_isomorphic(back) == to_isomorphic(g)
    data = json.loads((new / "graph.json").read_text(encoding="utf-8"))
    assert data == graph_to_json(g) == kg_to_json(kg)
    # the counts of the build summary are those of the file
    assert counts["documents"] == len(data["documents"]) == 2
    assert counts["figures"] == len(data["figures"]) == 4
    assert counts["mentions"] == sum(len(e["mentions"]) for e in data["entities"])
    assert dict(counts["entities_by_type"]) == {
        t: sum(e["type"] == t for e in data["entities"]) for t in {e["type"] for e in data["entities"]}}
    assert counts["relations_by_predicate"][Predicate.holdsPosition.value] == 2


def test_record_order_does_not_matter(kg, sample, tmp_path):
    shuffled = sample.shuffled(kg, 3)
    _streamed(kg, tmp_path / "a")
    _streamed(shuffled, tmp_path / "b")
    for f in ("graph.ttl", "graph.json"):
        assert (tmp_path / "a" / f).read_bytes() == (tmp_path / "b" / f).read_bytes()


def test_records_sharing_an_iri_are_merged_as_in_the_graph(kg, tmp_path):
    """Two records with one IRI are one node in the graph (values united, the export keeping
    the least): the streamed files say the same."""
    e0, e1 = kg.entities[0], kg.entities[1]
    m = e0.mentions[0]
    twin = dataclasses.replace(e1, mentions=e1.mentions + (dataclasses.replace(m, text="另一个写法"),))
    r = kg.relations[0]
    f = kg.figures[0]
    d = kg.documents[0]
    odd = dataclasses.replace(
        kg,
        documents=kg.documents + (dataclasses.replace(d, title="另一个标题", publisher=None),),
        entities=(e0, twin) + kg.entities[2:] + (dataclasses.replace(e0, name="别名", aliases=("华精", "别名X")),),
        relations=kg.relations + (dataclasses.replace(r, evidence="另一段证据", title="总经理"),
                                  # a relation in a document that is not listed, whose subject is no entity
                                  ResolvedRelation(iri=DATA + "rel/dangling", subject=DATA + "company/nobody",
                                                   predicate=Predicate.investsIn, object=e0.iri,
                                                   doc="999_missing.txt", evidence="投资", start=0, end=2)),
        figures=kg.figures + (dataclasses.replace(f, value=7, is_growth=True, subject=None),),
    )
    _, new, _ = _same_outputs(odd, tmp_path)
    data = json.loads((new / "graph.json").read_text(encoding="utf-8"))
    assert "999_missing.txt" in {x["id"] for x in data["documents"]}
    shared = [x for x in data["entities"] if x["id"] == e1.iri][0]["mentions"]
    assert {"doc": m.doc, "text": min(m.text, "另一个写法"), "start": m.start, "end": m.end} in shared


def test_iris_that_sort_out_of_the_usual_order_fall_back_to_a_full_sort(kg, tmp_path, monkeypatch):
    """An entity IRI right under the data namespace is written ``kgd:zz`` while its alias
    nodes are written in full (<https://…/id/zz#alias-…>): they sort before <item/1>, another
    entity, though they are made after it. The writer notices and writes the file again
    with every subject sorted at once."""
    calls = []
    write = StreamedGraph._write

    def spy(self, tmp, groups, strict):
        calls.append(strict)
        return write(self, tmp, groups, strict)

    monkeypatch.setattr(StreamedGraph, "_write", spy)
    e0, e1 = kg.entities[0], kg.entities[1]
    assert e0.merge_reasons
    odd = dataclasses.replace(kg, entities=(dataclasses.replace(e0, iri=DATA + "zz"),
                                            dataclasses.replace(e1, iri=DATA + "item/1"))
                              + kg.entities[2:])
    _same_outputs(odd, tmp_path)
    assert calls == [True, False]
    calls.clear()
    _same_outputs(kg, tmp_path, "usual")
    assert calls == [True]  # the usual IRIs stream in one pass


def test_empty_and_document_only_graphs(kg, tmp_path):
    from kg.models import KnowledgeGraph

    _same_outputs(KnowledgeGraph(documents=(), entities=(), relations=(), figures=()), tmp_path, "empty")
    _same_outputs(KnowledgeGraph(documents=kg.documents, entities=(), relations=(), figures=()),
                  tmp_path, "docs")


def test_mentions_of_documents_not_listed(kg, tmp_path):
    """Without its document a mention's quote is its own text, and the document gets a
    minimal node (a mention alone in its group is written through the fast templates)."""
    g, new, _ = _same_outputs(dataclasses.replace(kg, documents=kg.documents[:1]), tmp_path)
    assert kg.documents[1].id in (new / "graph.ttl").read_text(encoding="utf-8")


def test_a_failed_write_leaves_no_file(kg, tmp_path, monkeypatch):
    sg = StreamedGraph(kg)

    def boom(*args):
        raise OSError("disk full")

    monkeypatch.setattr(stream, "_plain", boom)
    with pytest.raises(OSError, match="disk full"):
        sg.write_turtle(tmp_path / "graph.ttl")
    assert list(tmp_path.iterdir()) == []

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
    calls = _spied_writes(monkeypatch)
    assert kg.entities[0].merge_reasons
    odd = _odd_iris(kg)
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


def _spied_writes(monkeypatch) -> list[bool]:
    """The ``strict`` argument of every StreamedGraph._write call from now on (True: the
    streaming pass, False: the full sort it falls back to)."""
    calls: list[bool] = []
    write = StreamedGraph._write

    def spy(self, tmp, groups, strict, head=True):
        calls.append(strict)
        return write(self, tmp, groups, strict, head)

    monkeypatch.setattr(StreamedGraph, "_write", spy)
    return calls


def _odd_iris(kg):
    """The graph of the test above whose IRIs do not stream in order."""
    e0, e1 = kg.entities[0], kg.entities[1]
    return dataclasses.replace(kg, entities=(dataclasses.replace(e0, iri=DATA + "zz"),
                                             dataclasses.replace(e1, iri=DATA + "item/1"))
                               + kg.entities[2:])


def _in_two(kg, path, stop):
    """graph.ttl written by two writers (in turn, here) cutting the units at ``stop``."""
    sg = StreamedGraph(kg)
    part = sg.write_part(path.with_name("graph.ttl.part"), stop)
    return sg.write_turtle(path, stop=stop, rest=lambda: part)


@pytest.mark.parametrize("odd", [False, True])
def test_two_writers_cut_anywhere_give_the_file_of_one(kg, tmp_path, monkeypatch, odd):
    """Cut at every unit: the file is the one writer's, byte for byte, with its number of
    triples, and no part file is left. Cut at the start of a subject, both parts are
    streamed and joined; cut inside one (its blocks in both parts), or with IRIs out of
    the usual order, the file is written again with every subject sorted at once."""
    if odd:
        kg = _odd_iris(kg)
    one = tmp_path / "one.ttl"
    n = StreamedGraph(kg).write_turtle(one)
    keys = [u[0] for u in StreamedGraph(kg).units()]
    starts = {i for i in range(len(keys) + 1) if i in (0, len(keys)) or keys[i - 1] != keys[i]}
    assert 5 < len(starts) < len(keys)  # subjects of one unit and of several
    calls = _spied_writes(monkeypatch)
    folder = tmp_path / "two"
    folder.mkdir()
    for stop in range(len(keys) + 1):
        calls.clear()
        assert _in_two(kg, folder / "graph.ttl", stop) == n, stop
        assert (folder / "graph.ttl").read_bytes() == one.read_bytes(), stop
        assert [p.name for p in folder.iterdir()] == ["graph.ttl"]
        streamed = stop in starts and not odd
        assert calls == ([True, True] if streamed else [True, True, False]), stop


def test_cut_shares_the_work_at_the_start_of_a_subject(kg):
    sg = StreamedGraph(kg)
    units = sg.units()
    work = [stream.WORK_US[u[1]] for u in units]
    total = sum(work)
    for ahead in (0, total / 4, total / 2):
        i = sg.cut(ahead)
        assert 0 < i < len(units) and units[i - 1][0] != units[i][0]
        first, second = sum(work[:i]), sum(work[i:]) + ahead
        # as equal as whole subjects allow
        assert abs(first - second) <= 2 * max(work) * max(len(g) for g in sg.groups())
    assert sg.cut(-total) == 0  # the second writer has time for everything
    assert sg.cut(total) == len(units)  # and for nothing
    assert StreamedGraph(dataclasses.replace(kg, documents=(), entities=(), relations=(),
                                             figures=())).cut(5) == 0

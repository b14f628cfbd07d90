"""ontology/shapes.ttl: a real build of corpus/ conforms (pyshacl, SHACL core, no
inference); graphs that break the provenance contract do not."""

from __future__ import annotations

from pathlib import Path

import pytest
from rdflib import Graph, Literal, URIRef
from rdflib.namespace import PROV, RDFS

from kg.iri import ONTOLOGY
from kg.rdf.namespace import IKG, OA

import pyshacl  # the `test` extra installs it

ONTOLOGY_DIR = Path(__file__).resolve().parents[2] / "ontology"
SH = "http://www.w3.org/ns/shacl#"


@pytest.fixture(scope="module")
def shapes() -> Graph:
    g = Graph()
    g.parse(ONTOLOGY_DIR / "shapes.ttl", format="turtle")
    return g


@pytest.fixture(scope="module")
def ontology() -> Graph:
    g = Graph()
    g.parse(ONTOLOGY_DIR / "industry-kg.ttl", format="turtle")
    return g


def validate(data: Graph, shapes: Graph, ontology: Graph) -> tuple[bool, Graph]:
    """Validate ``data`` (modified in place: the ontology is mixed into it)."""
    conforms, report, _ = pyshacl.validate(
        data, shacl_graph=shapes, ont_graph=ontology, inference="none",
        advanced=False, allow_warnings=False, inplace=True)
    return conforms, report


def copy(graph: Graph) -> Graph:
    g = Graph()
    for t in graph:
        g.add(t)
    return g


def focus_nodes(report: Graph) -> set[URIRef]:
    """The nodes the validation report finds at fault."""
    return set(report.objects(None, URIRef(SH + "focusNode")))


def test_every_ikg_term_of_the_shapes_is_declared_in_the_ontology(shapes, ontology):
    used = {t for triple in shapes for t in triple
            if isinstance(t, URIRef) and str(t).startswith(ONTOLOGY)}
    assert len(used) > 30
    undeclared = {str(t) for t in used if (t, RDFS.label, None) not in ontology}
    assert undeclared == set()


def test_a_build_of_the_corpus_conforms(corpus_build, shapes, ontology):
    data = Graph()
    data.parse(corpus_build / "graph.ttl", format="turtle")
    conforms, report = validate(data, shapes, ontology)
    assert conforms, report.serialize(format="turtle")[:3000]


def test_the_sample_graph_conforms(graph, shapes, ontology):
    conforms, report = validate(copy(graph), shapes, ontology)
    assert conforms, report.serialize(format="turtle")[:3000]


def _one_of(graph: Graph, rdf_class) -> URIRef:
    return sorted(graph.subjects(URIRef("http://www.w3.org/1999/02/22-rdf-syntax-ns#type"),
                                 rdf_class))[0]


def test_a_mention_without_its_quote_fails(graph, shapes, ontology):
    g = copy(graph)
    m = _one_of(g, IKG.Mention)
    g.remove((URIRef(str(m) + "#target"), OA.hasSelector, URIRef(str(m) + "#quote")))
    conforms, report = validate(g, shapes, ontology)
    assert not conforms
    assert m in focus_nodes(report)


def test_a_figure_without_its_document_fails(graph, shapes, ontology):
    g = copy(graph)
    f = _one_of(g, IKG.Figure)
    g.remove((f, PROV.wasDerivedFrom, None))
    conforms, report = validate(g, shapes, ontology)
    assert not conforms
    assert focus_nodes(report) == {f}


def test_a_statement_whose_start_is_after_its_end_fails(graph, shapes, ontology):
    g = copy(graph)
    s = _one_of(g, IKG.RelationStatement)
    pos = URIRef(str(s) + "#pos")
    start = g.value(pos, OA.start)
    g.set((pos, OA.end, Literal(int(start) - 1, datatype=start.datatype)))
    conforms, report = validate(g, shapes, ontology)
    assert not conforms
    assert s in focus_nodes(report)


def test_an_entity_with_an_english_second_label_fails(graph, shapes, ontology):
    g = copy(graph)
    e = _one_of(g, IKG.Company)
    g.add((e, RDFS.label, Literal("some company", lang="en")))
    conforms, report = validate(g, shapes, ontology)
    assert not conforms
    assert focus_nodes(report) == {e}

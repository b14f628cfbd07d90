"""kg.rdf.graph: the shape of the RDF graph and its canonical Turtle."""

from __future__ import annotations

import dataclasses
from decimal import Decimal

import pyoxigraph as ox
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from rdflib import BNode, Graph, Literal, URIRef
from rdflib.compare import isomorphic
from rdflib import namespace as rns
from rdflib.namespace import DCTERMS, PROV, RDF, RDFS, SKOS

from kg.iri import DATA, document_iri, mention_iri
from kg.rdf.graph import _TurtleWriter, decimal_lexical, role_iri, serialize_turtle, to_rdf, write_turtle
from kg.rdf.namespace import IKG, OA, ORG, PREFIXES, QUDT_CUR, QUDT_UNIT, SCHEMA


def test_turtle_parses_with_rdflib_and_pyoxigraph(graph, ttl_path):
    back = Graph()
    back.parse(ttl_path, format="turtle")
    assert len(back) == len(graph)
    assert isomorphic(back, graph)
    assert set(back) == set(graph)

    store = ox.Store()
    store.load(path=str(ttl_path), format=ox.RdfFormat.TURTLE)
    assert len(store) == len(graph)


def test_two_serialisations_are_byte_identical(kg, tmp_path):
    a, b = tmp_path / "a.ttl", tmp_path / "b.ttl"
    write_turtle(to_rdf(kg), a)
    write_turtle(to_rdf(kg), b)
    assert a.read_bytes() == b.read_bytes()
    assert a.read_bytes().endswith(b"\n")


def test_turtle_does_not_depend_on_record_order(kg, sample):
    shuffled = sample.shuffled(kg, 7)
    assert serialize_turtle(to_rdf(shuffled)) == serialize_turtle(to_rdf(kg))


def test_no_blank_nodes(graph, ttl_path):
    assert not any(isinstance(t, BNode) for triple in graph for t in triple)
    assert "_:" not in ttl_path.read_text(encoding="utf-8")
    assert "[" not in ttl_path.read_text(encoding="utf-8")


def test_blank_nodes_are_refused():
    g = Graph()
    g.add((BNode(), RDFS.label, Literal("x")))
    with pytest.raises(ValueError):
        serialize_turtle(g)


def test_documents(graph, sample):
    d1 = URIRef(document_iri(sample.D1))
    assert (d1, RDF.type, IKG.Document) in graph
    assert (d1, RDF.type, SCHEMA.Article) in graph
    assert (d1, DCTERMS.identifier, Literal(sample.D1)) in graph
    assert graph.value(d1, DCTERMS.date) == Literal("2022-04-20", datatype=rns.XSD.date)
    assert graph.value(URIRef(document_iri(sample.D2)), DCTERMS.date).datatype == rns.XSD.gYearMonth
    assert graph.value(d1, SCHEMA.publisher) == Literal("江北日报", lang="zh")


def test_entities_labels_aliases_and_merge_reasons(graph, sample):
    e = URIRef(sample.HUAJING)
    assert (e, RDF.type, IKG.Company) in graph
    assert graph.value(e, RDFS.label) == Literal("华东精工机械有限公司", lang="zh")
    assert graph.value(e, SKOS.prefLabel) == Literal("华东精工机械有限公司", lang="zh")
    assert set(graph.objects(e, SKOS.altLabel)) == {Literal("华精", lang="zh"), Literal("华东精工", lang="zh")}
    reasons = {
        str(graph.value(a, IKG.aliasLabel)): str(graph.value(a, IKG.mergeReason))
        for a in graph.subjects(IKG.aliasOf, e)
    }
    assert reasons == {"华精": f"declared 简称 in {sample.D1}", "华东精工": "legal suffix stripped"}
    for a in graph.subjects(IKG.aliasOf, e):
        assert (a, RDF.type, IKG.AliasAssertion) in graph
        assert str(a).startswith(sample.HUAJING + "#alias-")


def _anchor(graph, node):
    target = graph.value(node, OA.hasTarget)
    sels = list(graph.objects(target, OA.hasSelector))
    pos = next(s for s in sels if (s, RDF.type, OA.TextPositionSelector) in graph)
    quote = next(s for s in sels if (s, RDF.type, OA.TextQuoteSelector) in graph)
    return (
        graph.value(target, OA.hasSource),
        int(graph.value(pos, OA.start)),
        int(graph.value(pos, OA.end)),
        str(graph.value(quote, OA.exact)),
    )


def test_mentions_are_web_annotations_with_the_original_quote(graph, kg, sample):
    place = next(e for e in kg.entities if e.name == "江北省")
    m = place.mentions[0]
    node = URIRef(mention_iri(m.doc, m.start, m.end, m.type.value))
    assert (node, RDF.type, OA.Annotation) in graph
    assert (node, RDF.type, IKG.Mention) in graph
    assert graph.value(node, IKG.mentionOf) == URIRef(place.iri)
    assert graph.value(node, IKG.inDocument) == URIRef(document_iri(m.doc))
    assert str(graph.value(node, IKG.surfaceForm)) == "江北省"  # normalised
    src, start, end, exact = _anchor(graph, node)
    assert (src, start, end) == (URIRef(document_iri(m.doc)), m.start, m.end)
    assert exact == sample.TEXT1[m.start:m.end] == "江北\n省"  # the original characters
    # the selector nodes hang off the mention IRI
    assert str(graph.value(node, OA.hasTarget)) == str(node) + "#target"
    assert all(str(s).startswith(str(node) + "#") for s in graph.objects(graph.value(node, OA.hasTarget), OA.hasSelector))


def test_every_mention_is_in_the_graph(graph, kg, sample):
    in_graph = {str(s) for s in graph.subjects(RDF.type, IKG.Mention)}
    assert in_graph == sample.all_mention_iris(kg)


def test_relations_truthy_triple_and_statement(graph, kg, sample):
    for r in kg.relations:
        s, o = URIRef(r.subject), URIRef(r.object)
        p = IKG[r.predicate.value]
        assert (s, p, o) in graph
        n = URIRef(r.iri)
        assert (n, RDF.type, IKG.RelationStatement) in graph
        assert graph.value(n, RDF.subject) == s
        assert graph.value(n, RDF.predicate) == p
        assert graph.value(n, RDF.object) == o
        assert graph.value(n, PROV.wasDerivedFrom) == URIRef(document_iri(r.doc))
        assert str(graph.value(n, IKG.evidence)) == r.evidence
        src, start, end, exact = _anchor(graph, n)
        assert (start, end) == (r.start, r.end)
        assert exact == sample.DOCS[r.doc][r.start:r.end]
    author = next(r for r in kg.relations if r.predicate.value == "authorOf")
    assert (URIRef(author.subject), IKG.authorOf, URIRef(document_iri(sample.D1))) in graph


def test_holds_position_is_also_an_org_membership(graph, kg, sample):
    rels = [r for r in kg.relations if r.predicate.value == "holdsPosition"]
    assert len(rels) == 2
    for r in rels:
        mb = URIRef(r.iri + "#membership")
        assert (mb, RDF.type, ORG.Membership) in graph
        assert graph.value(mb, ORG.member) == URIRef(sample.ZHANG)
        assert graph.value(mb, ORG.organization) == URIRef(sample.HUAJING)
        assert set(graph.objects(mb, PROV.wasDerivedFrom)) == {URIRef(r.iri),
                                                               URIRef(document_iri(r.doc))}
        assert graph.value(mb, OA.hasTarget) == URIRef(r.iri + "#target")
        role = graph.value(mb, ORG.role)
        assert role == URIRef(role_iri("董事长"))
        assert graph.value(role, RDFS.label) == Literal("董事长", lang="zh")
        assert (role, RDF.type, SKOS.Concept) in graph
        assert str(graph.value(URIRef(r.iri), IKG.title)) == "董事长"
    # one shared role concept for both statements
    assert len(set(graph.subjects(RDF.type, ORG.Role))) == 1


def test_figures_are_observations(graph, kg, sample):
    f = next(f for f in kg.figures if f.value == 136)
    n = URIRef(f.iri)
    assert (n, RDF.type, IKG.Figure) in graph
    assert graph.value(n, IKG.subject) == URIRef(sample.HUAJING)
    assert graph.value(n, IKG.value) == Literal("136", datatype=rns.XSD.decimal)
    assert graph.value(n, IKG.value).toPython() == Decimal(136)
    assert str(graph.value(n, IKG.unit)) == "亿元"
    assert graph.value(n, IKG.valueNormalized) == Literal("13600000000", datatype=rns.XSD.decimal)
    assert str(graph.value(n, IKG.unitNormalized)) == "CNY"
    assert graph.value(n, IKG.qudtUnit) == QUDT_CUR.CNY
    assert str(graph.value(n, IKG.period)) == "今年一季度"
    assert str(graph.value(n, IKG.periodNormalized)) == "2022-Q1"
    assert graph.value(n, IKG.isGrowthRate).toPython() is False
    assert graph.value(n, PROV.wasDerivedFrom) == URIRef(document_iri(sample.D1))
    _, start, end, exact = _anchor(graph, n)
    assert exact == "136亿元" and (start, end) == (f.start, f.end)

    growth = URIRef(next(f for f in kg.figures if f.is_growth).iri)
    assert graph.value(growth, IKG.isGrowthRate).toPython() is True
    assert graph.value(growth, IKG.qudtUnit) == QUDT_UNIT.PERCENT
    assert graph.value(growth, IKG.value) == Literal("12.5", datatype=rns.XSD.decimal)

    no_subject = URIRef(next(f for f in kg.figures if f.subject is None).iri)
    assert graph.value(no_subject, IKG.subject) is None
    assert str(graph.value(no_subject, IKG.qualifier)) == "approx"


def test_documents_only_referred_to_get_a_minimal_node(kg):
    g = to_rdf(dataclasses.replace(kg, documents=kg.documents[:1]))
    d2 = URIRef(document_iri(kg.documents[1].id))
    assert (d2, RDF.type, IKG.Document) in g
    assert str(g.value(d2, DCTERMS.identifier)) == kg.documents[1].id


def test_quote_falls_back_to_the_normalised_text_without_the_original(kg):
    docs = tuple(dataclasses.replace(d, original="") for d in kg.documents)
    g = to_rdf(dataclasses.replace(kg, documents=docs))
    exact = {str(o) for o in g.objects(None, OA.exact)}
    assert "江北省" in exact and "江北\n省" not in exact


@pytest.mark.parametrize(
    "value, lexical",
    [(136, "136"), (136.0, "136"), (7.3, "7.3"), (53.73, "53.73"), (13600000000.0, "13600000000"),
     (1e-05, "0.00001"), (Decimal("2.50"), "2.5"), (-4, "-4"), (0.1 + 0.2, "0.30000000000000004")],
)
def test_decimal_lexical(value, lexical):
    assert decimal_lexical(value) == lexical


@pytest.mark.parametrize("bad", [float("nan"), float("inf"), True])
def test_decimal_lexical_refuses_non_numbers(bad):
    with pytest.raises(ValueError):
        decimal_lexical(bad)


def test_strings_needing_escapes_round_trip(tmp_path):
    g = Graph()
    s = URIRef("https://w3id.org/industry-kg/id/company/x")
    tricky = 'a "quoted" \\ back\nslash\ttab\r\x01 end'
    g.add((s, RDFS.label, Literal(tricky, lang="zh")))
    g.add((URIRef("http://example.org/a#b"), RDFS.label, Literal("other namespace")))
    path = tmp_path / "t.ttl"
    write_turtle(g, path)
    back = Graph().parse(path, format="turtle")
    assert str(back.value(s, RDFS.label)) == tricky
    store = ox.Store()
    store.load(path=str(path), format=ox.RdfFormat.TURTLE)
    assert len(store) == 2


def test_iter_triples_fast_path_matches_rdflib(graph):
    from kg.rdf.graph import iter_triples

    # the fast path reads rdflib's SimpleMemory index: fail loudly if rdflib changes it
    assert isinstance(getattr(graph.store, "_SimpleMemory__spo", None), dict)
    fast = list(iter_triples(graph))
    assert len(fast) == len(graph)
    assert set(fast) == set(graph.triples((None, None, None)))
    other = Graph()  # the default Memory store takes the public path
    for t in graph:
        other.add(t)
    assert sorted(iter_triples(other)) == sorted(fast)
    assert serialize_turtle(other) == serialize_turtle(graph)


# -- the written form of IRIs: the shortcut for plain IRIs under the base ------------

_IRI_STARTS = [DATA, DATA + "mention/", DATA + "company", "https://w3id.org/industry-kg/",
               "https://w3id.org/industry-kg/ontology#", "http://www.w3.org/ns/oa#", "http://x.org/", ""]
_iri_tails = st.text(st.sampled_from(list("ab09_-./#:% <>\"{}|^`\\\x00é中")), max_size=12)


def _writers(prefixes: dict[str, str]):
    """A writer with its shortcut for plain relative IRIs, and one without."""
    fast, slow = _TurtleWriter(prefixes, DATA), _TurtleWriter(prefixes, DATA)
    slow._plain_relative = False
    return fast, slow


@settings(max_examples=500, deadline=None)
@given(st.sampled_from(_IRI_STARTS), _iri_tails)
def test_plain_relative_iris_are_written_as_without_the_shortcut(start, tail):
    iri = start + tail
    fast, slow = _writers(PREFIXES)
    assert fast._plain_relative
    assert fast.iri_uncached(iri) == slow.iri_uncached(iri)
    assert fast.used == slow.used


@pytest.mark.parametrize("iri", [mention_iri("d.txt", 1, 3, "Person") + "#target",
                                 DATA + "company/x", DATA + "m/x.y"])
def test_no_shortcut_when_a_prefix_namespace_lies_under_the_base(iri):
    # a namespace under the base can make such an IRI a prefixed name (m:x.y)
    fast, slow = _writers({**PREFIXES, "m": DATA + "m/", "c": DATA + "company/"})
    assert not fast._plain_relative
    assert fast.iri_uncached(iri) == slow.iri_uncached(iri)

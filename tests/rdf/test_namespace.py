"""The IKG DefinedNamespace and ontology/industry-kg.ttl declare the same terms."""

from __future__ import annotations

from pathlib import Path

import pyoxigraph as ox
import pytest
from rdflib import Graph, Literal, URIRef
from rdflib.namespace import OWL, RDF, RDFS

from kg.iri import ONTOLOGY
from kg.rdf.namespace import IKG

ONTOLOGY_FILE = Path(__file__).resolve().parents[2] / "ontology" / "industry-kg.ttl"
DECLARING_TYPES = {
    OWL.Class,
    OWL.ObjectProperty,
    OWL.DatatypeProperty,
    OWL.AnnotationProperty,
    OWL.NamedIndividual,
}


@pytest.fixture(scope="module")
def ontology() -> Graph:
    g = Graph()
    g.parse(ONTOLOGY_FILE, format="turtle")
    return g


def declared_terms(g: Graph) -> set[str]:
    return {
        str(s)
        for s, _, t in g.triples((None, RDF.type, None))
        if t in DECLARING_TYPES and str(s).startswith(ONTOLOGY)
    }


def namespace_terms() -> set[str]:
    return {str(t) for t in dir(IKG)}


def test_ontology_parses_with_pyoxigraph_too():
    store = ox.Store()
    store.load(path=str(ONTOLOGY_FILE), format=ox.RdfFormat.TURTLE)
    assert len(store) > 100


def test_namespace_and_ontology_declare_the_same_terms(ontology):
    in_ns = namespace_terms()
    in_ttl = declared_terms(ontology)
    assert in_ns - in_ttl == set(), "in IKG but not declared in the ontology"
    assert in_ttl - in_ns == set(), "declared in the ontology but missing from IKG"


def test_every_ikg_iri_in_the_ontology_is_declared(ontology):
    used = {
        str(t)
        for triple in ontology
        for t in triple
        if isinstance(t, URIRef) and str(t).startswith(ONTOLOGY)
    }
    assert used <= declared_terms(ontology)


def test_every_term_has_labels_in_zh_and_en_and_comments(ontology):
    for term in declared_terms(ontology):
        s = URIRef(term)
        labels = {lit.language for lit in ontology.objects(s, RDFS.label) if isinstance(lit, Literal)}
        comments = {lit.language for lit in ontology.objects(s, RDFS.comment) if isinstance(lit, Literal)}
        assert {"zh", "en"} <= labels, term
        assert comments and "en" in comments, term


def test_every_property_is_an_object_or_datatype_property_not_both(ontology):
    objs = set(ontology.subjects(RDF.type, OWL.ObjectProperty))
    data = set(ontology.subjects(RDF.type, OWL.DatatypeProperty))
    assert not objs & data


def test_defined_namespace_is_closed():
    assert IKG.Company == URIRef(ONTOLOGY + "Company")
    with pytest.raises(AttributeError):
        IKG.Compnay  # noqa: B018 - a typo must fail


def test_seven_predicates_and_ten_types_are_declared(ontology):
    from kg.models import EntityType, Predicate

    terms = declared_terms(ontology)
    for t in EntityType:
        assert ONTOLOGY + t.value in terms
        assert (URIRef(ONTOLOGY + t.value), RDF.type, OWL.Class) in ontology
    for p in Predicate:
        assert (URIRef(ONTOLOGY + p.value), RDF.type, OWL.ObjectProperty) in ontology


def test_every_ikg_term_used_in_a_built_graph_is_declared(graph, ontology):
    declared = declared_terms(ontology)
    used = {
        str(t)
        for triple in graph
        for t in triple
        if isinstance(t, URIRef) and str(t).startswith(ONTOLOGY)
    }
    assert used, "the sample graph uses ikg terms"
    assert used - declared == set()


def test_every_ikg_term_used_in_a_build_of_the_corpus_is_declared(corpus_store, ontology):
    from kg.query.sparql import run_query

    res = run_query(corpus_store, """
        SELECT DISTINCT ?t WHERE {
          { ?s ?t ?o } UNION { ?s a ?t } UNION { ?s rdf:predicate ?t }
          FILTER(STRSTARTS(STR(?t), STR(ikg:)))
        }""")
    used = {row[0].value for row in res.rows}
    assert len(used) > 30
    assert used - declared_terms(ontology) == set()


def test_classes_are_aligned_with_standard_vocabularies(ontology):
    """Every class the data uses is a subclass of a schema.org, ORG, PROV, Web Annotation,
    SKOS or RDF class, so tools that know those vocabularies understand the graph."""
    standard = ("https://schema.org/", "http://www.w3.org/ns/org#", "http://www.w3.org/ns/prov#",
                "http://www.w3.org/ns/oa#", "http://www.w3.org/2004/02/skos/core#",
                "http://www.w3.org/1999/02/22-rdf-syntax-ns#")
    for term in declared_terms(ontology) - {ONTOLOGY + "Entity"}:
        s = URIRef(term)
        if (s, RDF.type, OWL.Class) not in ontology:
            continue
        parents = {str(o) for o in ontology.objects(s, RDFS.subClassOf)}
        assert any(p.startswith(standard) for p in parents), term

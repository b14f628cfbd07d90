"""The JSON-LD context (ontology/context.jsonld = kg/resources/context.jsonld) and the
`kg export jsonld` that uses it."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from rdflib import Graph, Literal, URIRef
from rdflib.namespace import RDF, SKOS

from kg import api
from kg.iri import DATA, ONTOLOGY
from kg.rdf.namespace import IKG, OA, PREFIXES

REPO = Path(__file__).resolve().parents[2]
CONTEXT_FILE = REPO / "ontology" / "context.jsonld"

pytestmark = pytest.mark.filterwarnings("ignore::DeprecationWarning")  # rdflib's JSON-LD parser


@pytest.fixture(scope="module")
def context() -> dict:
    return json.loads(CONTEXT_FILE.read_text(encoding="utf-8"))["@context"]


@pytest.fixture(scope="module")
def exported(corpus_build, tmp_path_factory) -> Path:
    return api.export(corpus_build, "jsonld", tmp_path_factory.mktemp("jsonld") / "g.jsonld")


def expand(context: dict, term: str) -> str:
    value = context[term]
    iri = value if isinstance(value, str) else value["@id"]
    prefix, _, local = iri.partition(":")
    return context[prefix] + local if prefix in context and not iri.startswith("@") else iri


def test_the_ontology_folder_and_the_package_ship_the_same_context():
    assert CONTEXT_FILE.read_bytes() == api.JSONLD_CONTEXT_FILE.read_bytes()


def test_the_context_declares_the_graphs_prefixes(context):
    for prefix, ns in PREFIXES.items():
        assert context[prefix] == ns


def test_every_ikg_term_of_the_context_is_declared_in_the_ontology(context):
    ontology = Graph().parse(REPO / "ontology" / "industry-kg.ttl", format="turtle")
    declared = {str(s) for s in ontology.subjects() if str(s).startswith(ONTOLOGY)}
    ikg_terms = {t: expand(context, t) for t in context
                 if t not in PREFIXES and not t.startswith("@")
                 and expand(context, t).startswith(ONTOLOGY)}
    assert len(ikg_terms) > 30
    assert set(ikg_terms.values()) - declared == set()
    for term, iri in ikg_terms.items():
        assert getattr(IKG, iri[len(ONTOLOGY):]) == URIRef(iri), term  # closed namespace


def test_a_document_written_with_the_context_means_what_it_says(context):
    doc = {
        "@context": context,
        "id": DATA + "person/example",
        "type": "Person",
        "name": "张三",
        "holdsPosition": DATA + "company/example",
    }
    pos = {"@context": context, "id": DATA + "mention/example#pos",
           "type": "TextPositionSelector", "start": "3", "end": "5"}
    g = Graph().parse(data=json.dumps([doc, pos], ensure_ascii=False), format="json-ld")
    person, sel = URIRef(DATA + "person/example"), URIRef(DATA + "mention/example#pos")
    assert (person, RDF.type, IKG.Person) in g
    assert (person, SKOS.prefLabel, Literal("张三", lang="zh")) in g
    assert (person, IKG.holdsPosition, URIRef(DATA + "company/example")) in g
    xsd_nni = URIRef("http://www.w3.org/2001/XMLSchema#nonNegativeInteger")
    assert (sel, OA.start, Literal("3", datatype=xsd_nni)) in g


def test_the_export_uses_the_context_and_its_short_terms(exported, context):
    data = json.loads(exported.read_text(encoding="utf-8"))
    assert data["@context"] == context
    keys = {k for node in data["@graph"] for k in node}
    assert {"id", "type", "name", "label", "holdsPosition", "start", "end", "exact",
            "derivedFrom", "target", "value", "member", "role"} <= keys
    # nothing the context names is left as a prefixed IRI
    assert not {k for k in keys if k.startswith(("skos:", "ikg:", "oa:", "prov:", "org:"))}


def test_the_export_is_deterministic(exported, corpus_build, tmp_path):
    # that it is the same graph as graph.ttl: tests/cli/test_cli.py (export nt and jsonld)
    again = api.export(corpus_build, "jsonld", tmp_path / "again.jsonld")
    assert again.read_bytes() == exported.read_bytes()

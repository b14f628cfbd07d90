"""The project's vocabularies as rdflib namespaces.

``IKG`` is the project ontology (``ontology/industry-kg.ttl``) as a closed
``DefinedNamespace``: a misspelt term raises ``AttributeError`` instead of
silently minting a new IRI. ``tests/rdf/test_namespace.py`` checks that the
terms declared here and in the ontology file are the same set.
"""

from __future__ import annotations

from rdflib import Namespace, URIRef
from rdflib.namespace import DCTERMS, OWL, PROV, RDF, RDFS, SKOS, XSD, DefinedNamespace

from kg.iri import DATA, ONTOLOGY


class IKG(DefinedNamespace):
    """industry-kg ontology: https://w3id.org/industry-kg/ontology#"""

    _NS = Namespace(ONTOLOGY)
    _fail = True

    # -- classes: the ten entity types (and their common root) --------------
    Entity: URIRef
    Company: URIRef
    GovernmentBody: URIRef
    ResearchInstitution: URIRef
    Organization: URIRef
    Person: URIRef
    Place: URIRef
    Product: URIRef
    Industry: URIRef
    Policy: URIRef
    Project: URIRef

    # -- classes: documents, provenance-carrying nodes -----------------------
    Document: URIRef
    Mention: URIRef
    RelationStatement: URIRef
    Figure: URIRef
    AliasAssertion: URIRef

    # -- object properties: the seven relation predicates --------------------
    holdsPosition: URIRef
    subOrganizationOf: URIRef
    locatedIn: URIRef
    produces: URIRef
    cooperatesWith: URIRef
    investsIn: URIRef
    authorOf: URIRef

    # -- object properties: structure ----------------------------------------
    mentionOf: URIRef
    inDocument: URIRef
    subject: URIRef
    aliasOf: URIRef
    qudtUnit: URIRef

    # -- datatype properties -------------------------------------------------
    title: URIRef
    evidence: URIRef
    surfaceForm: URIRef
    aliasLabel: URIRef
    mergeReason: URIRef
    dateBasis: URIRef
    metric: URIRef
    value: URIRef
    unit: URIRef
    valueNormalized: URIRef
    unitNormalized: URIRef
    period: URIRef
    periodNormalized: URIRef
    qualifier: URIRef
    isGrowthRate: URIRef


# Other vocabularies used by the graph (rdflib ships RDF, RDFS, OWL, XSD, SKOS,
# DCTERMS, PROV; its SDO is https://schema.org/ and ORG is the W3C org ontology).
KGD = Namespace(DATA)
SCHEMA = Namespace("https://schema.org/")
ORG = Namespace("http://www.w3.org/ns/org#")
OA = Namespace("http://www.w3.org/ns/oa#")
FOAF = Namespace("http://xmlns.com/foaf/0.1/")
QUDT_UNIT = Namespace("http://qudt.org/vocab/unit/")
QUDT_CUR = Namespace("http://qudt.org/vocab/currency/")

# prefix -> namespace, in the order they are written at the top of graph.ttl
PREFIXES: dict[str, str] = {
    "ikg": ONTOLOGY,
    "kgd": DATA,
    "rdf": str(RDF),
    "rdfs": str(RDFS),
    "owl": str(OWL),
    "xsd": str(XSD),
    "skos": str(SKOS),
    "dcterms": str(DCTERMS),
    "schema": str(SCHEMA),
    "org": str(ORG),
    "prov": str(PROV),
    "oa": str(OA),
    "unit": str(QUDT_UNIT),
    "cur": str(QUDT_CUR),
}

__all__ = [
    "IKG",
    "KGD",
    "SCHEMA",
    "ORG",
    "OA",
    "FOAF",
    "QUDT_UNIT",
    "QUDT_CUR",
    "PREFIXES",
    "RDF",
    "RDFS",
    "OWL",
    "XSD",
    "SKOS",
    "DCTERMS",
    "PROV",
]

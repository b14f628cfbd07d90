"""Resolution on real extraction: invented documents through the map step (extract_document)
and the reduce step (resolve), then RDF. One real-world company named by its full legal name
in one document, by its declared short name in others, is one entity with one IRI; its
branch, a group's listed arm and a namesake person stay apart; every merge says why."""

from rdflib import Literal, URIRef
from rdflib.namespace import SKOS

from kg.models import Document, Predicate
from kg.pipeline import extract_document
from kg.rdf.graph import to_rdf
from kg.rdf.namespace import IKG
from kg.resolve.resolver import resolve

FULL = "华东精工轴承集团有限责任公司"
DOCS = {
    "001_a.txt": f"{FULL}（以下简称“华精集团”）今年订单饱满。华精集团董事长张明远表示，风电主轴轴承供不应求。\n",
    "002_b.txt": "记者走进华精集团风电主轴轴承生产车间。华精集团副总经理李海涛说，今年要扩产。\n",
    "003_c.txt": f"浙江省轴承产业发展很快。{FULL}今年营收增长。{FULL}精密轴承分公司总经理王强介绍，订单大幅增长。\n",
}
EXTRA = {
    "004_d.txt": "江北重工集团有限公司是浙江省的龙头企业。江北重工股份有限公司是其上市公司。"
                 "江北重工集团有限公司董事长张伟说，要做强主业。\n",
}


def build(docs):
    return resolve([extract_document(Document(id=k, original=v, date="2023")) for k, v in sorted(docs.items())])


def by_name(kg, name):
    found = [e for e in kg.entities if e.name == name]
    assert len(found) == 1, (name, [e.name for e in kg.entities])
    return found[0]


def test_a_full_legal_name_and_its_short_name_alone_in_other_documents_are_one_entity():
    kg = build(DOCS)
    group = by_name(kg, FULL)
    assert {m.doc for m in group.mentions} == set(DOCS)
    assert "华精集团" in group.aliases
    assert not any(e.name == "华精集团" for e in kg.entities)
    # its branch is another entity, a part of it
    branch = by_name(kg, FULL + "精密轴承分公司")
    assert branch.iri != group.iri
    assert any(r.subject == branch.iri and r.predicate == Predicate.subOrganizationOf and r.object == group.iri
               for r in kg.relations)
    # what the short name did in the second document is the company's
    posts = {(r.subject, r.object) for r in kg.relations if r.predicate == Predicate.holdsPosition}
    assert (by_name(kg, "李海涛").iri, group.iri) in posts


def test_the_merge_and_its_reason_are_in_the_rdf():
    kg = build(DOCS)
    group = URIRef(by_name(kg, FULL).iri)
    graph = to_rdf(kg)
    assert Literal("华精集团", lang="zh") in set(graph.objects(group, SKOS.altLabel))
    reasons = {str(graph.value(a, IKG.aliasLabel)): str(graph.value(a, IKG.mergeReason))
               for a in graph.subjects(IKG.aliasOf, group)}
    assert reasons["华精集团"] == "declared 以下简称 in 001_a.txt"


def test_a_group_and_its_listed_arm_stay_apart_and_iris_survive_an_added_document():
    before = build(DOCS)
    after = build(DOCS | EXTRA)
    assert by_name(after, "江北重工集团有限公司").iri != by_name(after, "江北重工股份有限公司").iri
    # two people of one surname are two people
    assert by_name(after, "张伟").iri != by_name(after, "张明远").iri
    # the group's entity does not take in the new document's names
    assert {m.doc for m in by_name(after, FULL).mentions} == set(DOCS)
    old = {e.name: e.iri for e in before.entities}
    new = {e.name: e.iri for e in after.entities}
    assert old and all(new[name] == iri for name, iri in old.items())


def test_kg_build_writes_the_files_of_the_rdflib_graph(tmp_path):
    """kg build streams graph.ttl and graph.json from the records (kg.rdf.stream): on real
    extraction of a small corpus they are the bytes the rdflib graph gives, and the
    Turtle parses back to a graph isomorphic to it."""
    from rdflib import Graph
    from rdflib.compare import isomorphic

    from kg import api
    from kg.rdf.graph import write_turtle
    from kg.text.load import load_corpus
    from kg.views.json_export import graph_to_json, write_json

    corpus = tmp_path / "corpus"
    corpus.mkdir()
    for name, text in (DOCS | EXTRA).items():
        (corpus / name).write_text(text, encoding="utf-8")
    summary = api.build(corpus, tmp_path / "out")

    graph = to_rdf(resolve([extract_document(d) for d in load_corpus(corpus)]))
    ref = tmp_path / "ref"
    ref.mkdir()
    write_turtle(graph, ref / "graph.ttl")
    write_json(graph_to_json(graph), ref / "graph.json")
    for name in ("graph.ttl", "graph.json"):
        assert (tmp_path / "out" / name).read_bytes() == (ref / name).read_bytes()
    back = Graph().parse(tmp_path / "out" / "graph.ttl", format="turtle")
    assert isomorphic(back, graph)
    assert summary["triples"] == len(graph) > 0
    assert summary["mentions"] == sum(len(e["mentions"]) for e in graph_to_json(graph)["entities"])

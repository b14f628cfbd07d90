"""The within-document half of resolution, made where a document is extracted
(kg.resolve.resolver.document_part) and spliced in by resolve(), gives the same graph
as resolve() doing it itself."""

from __future__ import annotations

import pickle
from pathlib import Path

import pytest

from kg.models import Document, DocResult, EntityType, Mention
from kg.pipeline import extract_document
from kg.resolve import resolver
from kg.resolve.resolver import document_part, resolve
from kg.text.load import load_corpus

ROOT = Path(__file__).resolve().parents[2]

INVENTED = {  # a declared short name, a legal-suffix variant, a branch, a short form alone
    "x01.txt": "华东精工轴承集团有限责任公司（以下简称“华精集团”）今年订单饱满。华精集团董事长张明远表示，"
               "华东精工轴承集团精密轴承分公司要扩产。\n",
    "x02.txt": "记者走进华精集团车间。华东精工轴承集团副总经理李海涛说，江北重工股份有限公司是合作伙伴。\n",
    "x03.txt": "江北重工集团有限公司董事长张伟说，江北重工要做强主业。浙江省宁波市的企业增长很快。\n",
}


@pytest.fixture(scope="module")
def results() -> list[DocResult]:
    docs = load_corpus(ROOT / "corpus") + load_corpus(ROOT / "benchmarks" / "heldout" / "corpus")
    docs += [Document(k, v, date="2023") for k, v in INVENTED.items()]
    return [extract_document(d) for d in docs]


def _same(a, b) -> None:
    assert a.entities == b.entities
    assert a.relations == b.relations
    assert a.figures == b.figures
    assert a.stats == b.stats


def test_parts_of_every_document_give_the_same_graph(results):
    parts = {r.doc.id: document_part(r) for r in results}
    assert all(p is not None for p in parts.values())
    _same(resolve(results, parts), resolve(results))
    _same(resolve(results, parts), resolve(results))  # a part is not used up (kg build --watch)


def test_parts_of_some_documents_in_any_order_give_the_same_graph(results):
    parts = {r.doc.id: document_part(r) for r in reversed(results[::2])}
    _same(resolve(results[::-1], parts), resolve(results))


def test_parts_sent_between_processes_give_the_same_graph(results):
    """A worker pickles a document's facts and its part together (so that they share
    the mentions)."""
    sent = pickle.loads(pickle.dumps([(r, document_part(r)) for r in results]))
    back = [r for r, _ in sent]
    _same(resolve(back, {r.doc.id: p for r, p in sent}), resolve(results))


def test_the_merges_made_within_a_document_come_with_the_part(results):
    part = document_part(next(r for r in results if r.doc.id == "x01.txt"))
    reasons = [reason for _nid, _form, reason in part.log]
    assert any(reason.startswith("declared 以下简称") for reason in reasons)
    assert len(part.parent) == len(part.nodes)
    assert any(part.parent[i] != i for i in range(len(part.parent)))  # a union was made


def test_a_result_naming_another_document_gets_no_part():
    doc = Document("a.txt", "华精集团")
    stray = Mention("b.txt", "华精集团", EntityType.Company, 0, 4)
    assert document_part(DocResult(doc, (stray,))) is None
    own = Mention("a.txt", "华精集团", EntityType.Company, 0, 4)
    assert document_part(DocResult(doc, (own,))) is not None


def test_the_form_caches_of_parts_are_dropped_when_full(results, monkeypatch):
    monkeypatch.setattr(resolver, "PART_CACHE_LIMIT", 10)
    monkeypatch.setattr(resolver, "_part_caches", resolver._FormCaches())
    first = resolver._part_caches
    document_part(results[0])
    assert len(first) > 10
    document_part(results[1])
    assert resolver._part_caches is not first  # a new one, the full one dropped
    parts = {r.doc.id: document_part(r) for r in results}
    _same(resolve(results, parts), resolve(results))

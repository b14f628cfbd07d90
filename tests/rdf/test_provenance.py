"""Provenance across a real build of corpus/: every mention, relation statement, post
(org:Membership) and figure names its document, code-point offsets into the original
text, and the exact quote found there."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from kg.query.sparql import run_query

CORPUS = Path(__file__).resolve().parents[2] / "corpus"
KINDS = ["ikg:Mention", "ikg:RelationStatement", "org:Membership", "ikg:Figure"]

ANCHORS = """
SELECT ?node ?doc ?start ?end ?exact ?derived WHERE {
  ?node a %s .
  OPTIONAL {
    ?node oa:hasTarget ?t .
    OPTIONAL { ?t oa:hasSource/dcterms:identifier ?doc }
    OPTIONAL { ?t oa:hasSelector ?p . ?p a oa:TextPositionSelector ; oa:start ?start ; oa:end ?end }
    OPTIONAL { ?t oa:hasSelector ?q . ?q a oa:TextQuoteSelector ; oa:exact ?exact }
  }
  OPTIONAL { ?node (prov:wasDerivedFrom|ikg:inDocument) ?d . ?d a ikg:Document ;
             dcterms:identifier ?derived }
}
"""


@pytest.fixture(scope="module")
def originals() -> dict[str, str]:
    # decoded as kg.text.load does (UTF-8, a leading BOM removed)
    return {p.name: p.read_bytes().decode("utf-8").removeprefix("\ufeff")
            for p in CORPUS.glob("*.txt")}


@pytest.fixture(scope="module")
def export(corpus_build) -> dict:
    return json.loads((corpus_build / "graph.json").read_text(encoding="utf-8"))


def anchors(store, kind: str) -> list[dict]:
    res = run_query(store, ANCHORS % kind)
    return [{v: (t.value if t is not None else None) for v, t in zip(res.variables, row)}
            for row in res.rows]


@pytest.mark.parametrize("kind", KINDS)
def test_every_node_has_document_offsets_and_the_exact_quote(corpus_store, originals, kind):
    rows = anchors(corpus_store, kind)
    assert rows, f"the build has no {kind}"
    nodes = {r["node"] for r in rows}
    assert len(rows) == len(nodes), f"some {kind} has two targets, sources or selectors"
    for r in rows:
        assert r["doc"] in originals, r
        assert r["derived"] == r["doc"], r  # prov:wasDerivedFrom / ikg:inDocument agree
        start, end = int(r["start"]), int(r["end"])
        assert 0 <= start < end <= len(originals[r["doc"]]), r
        assert r["exact"] == originals[r["doc"]][start:end], r


def test_every_fact_of_the_export_is_anchored(corpus_store, export):
    """As many anchored nodes as the export has mentions, relations, posts and figures."""
    n = {kind: len(anchors(corpus_store, kind)) for kind in KINDS}
    assert n["ikg:Mention"] == sum(len(e["mentions"]) for e in export["entities"])
    assert n["ikg:RelationStatement"] == len(export["relations"])
    assert n["org:Membership"] == sum(r["predicate"] == "holdsPosition"
                                      for r in export["relations"])
    assert n["ikg:Figure"] == len(export["figures"])


def test_a_post_is_anchored_where_its_statement_is(corpus_store):
    res = run_query(corpus_store, """
        SELECT (COUNT(?m) AS ?n) WHERE {
          ?m a org:Membership ; prov:wasDerivedFrom ?s ; oa:hasTarget ?t .
          ?s a ikg:RelationStatement ; rdf:predicate ikg:holdsPosition ; oa:hasTarget ?t ;
             rdf:subject ?who ; rdf:object ?where .
          ?m org:member ?who ; org:organization ?where .
        }""")
    (count,) = res.rows[0]
    total = run_query(corpus_store, "SELECT (COUNT(?m) AS ?n) WHERE { ?m a org:Membership }")
    assert int(count.value) == int(total.rows[0][0].value) > 10

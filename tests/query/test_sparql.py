"""kg.query.sparql: SPARQL over graph.ttl with pyoxigraph."""

from __future__ import annotations

import csv
import io
import json

import pyoxigraph as ox
import pytest

from kg.errors import BuildNotFound, QueryError
from kg.query.sparql import format_result, open_store, run_query


@pytest.fixture(scope="module")
def store(ttl_path):
    return open_store(ttl_path)


def test_open_store_loads_every_triple(store, graph):
    assert isinstance(store, ox.Store)
    assert len(store) == len(graph)


def test_missing_graph(tmp_path):
    with pytest.raises(BuildNotFound):
        open_store(tmp_path / "nope.ttl")


def test_count_with_predeclared_prefixes(store, kg):
    r = run_query(store, "SELECT (COUNT(?e) AS ?n) WHERE { ?e a ikg:Company }")
    assert r.kind == "select" and r.variables == ["n"]
    assert int(r.rows[0][0].value) == sum(1 for e in kg.entities if e.type.value == "Company")
    r = run_query(store, "SELECT (COUNT(*) AS ?n) WHERE { ?m a ikg:Mention }")
    assert int(r.rows[0][0].value) == sum(len(e.mentions) for e in kg.entities)


def test_a_query_may_declare_its_own_prefixes(store):
    q = "PREFIX ikg: <http://example.org/other#> SELECT ?e WHERE { ?e a ikg:Company }"
    assert run_query(store, q).rows == []
    q = "PREFIX x: <https://w3id.org/industry-kg/ontology#> SELECT ?e WHERE { ?e a x:Company }"
    assert len(run_query(store, q).rows) == 2


def test_select_join_over_statements(store):
    q = """
    SELECT ?person ?title ?org WHERE {
      ?st a ikg:RelationStatement ; rdf:subject ?p ; rdf:predicate ikg:holdsPosition ;
          rdf:object ?o ; ikg:title ?title .
      ?p rdfs:label ?person . ?o rdfs:label ?org .
    } ORDER BY ?person
    """
    r = run_query(store, q)
    assert [(a.value, b.value, c.value) for a, b, c in r.rows] == [("张伟", "董事长", "华东精工机械有限公司")] * 2


def test_ask_and_construct(store):
    assert run_query(store, "ASK { ?p ikg:holdsPosition ?o }").boolean is True
    assert run_query(store, "ASK { ?p ikg:investsIn ?o }").boolean is False
    r = run_query(store, "CONSTRUCT { ?e rdfs:label ?l } WHERE { ?e a ikg:Person ; rdfs:label ?l }")
    assert r.kind == "graph" and len(r.triples) == 2
    d = run_query(store, "DESCRIBE ?e WHERE { ?e rdfs:label \"张伟\"@zh }")
    assert d.kind == "graph" and len(d.triples) >= 3


def test_table_format(store):
    r = run_query(store, "SELECT ?name ?e WHERE { ?e a ikg:Person ; rdfs:label ?name } ORDER BY ?name")
    out = format_result(r, "table")
    lines = out.splitlines()
    assert lines[0].split() == ["name", "e"]
    assert set(lines[1]) <= {"-", " "}
    assert "张伟" in out and '"张伟"' not in out and "@zh" not in out  # literals shown plainly
    assert "kgd:person/" in out  # IRIs compacted
    assert lines[-1] == "(2 rows)"
    # the second column starts at the same display column on every row (张伟/李明 are 2 wide chars)
    assert len({line.index("kgd:") for line in lines[2:4]}) == 1
    assert format_result(run_query(store, "ASK { ?s ?p ?o }"), "table") == "true"
    ttl = format_result(run_query(store, "CONSTRUCT { ?e rdfs:label ?l } WHERE { ?e a ikg:Person ; rdfs:label ?l }"), "table")
    assert "张伟" in ttl and "rdfs:label" in ttl


def test_json_format_is_sparql_results_json(store):
    r = run_query(store, "SELECT ?name ?v WHERE { ?e a ikg:Person ; rdfs:label ?name OPTIONAL { ?e ikg:value ?v } } ORDER BY ?name")
    data = json.loads(format_result(r, "json"))
    assert data["head"]["vars"] == ["name", "v"]
    b = data["results"]["bindings"]
    assert b[0]["name"] == {"type": "literal", "value": "张伟", "xml:lang": "zh"}
    assert "v" not in b[0]  # unbound → absent
    r = run_query(store, "SELECT ?v ?f WHERE { ?f ikg:value ?v } ORDER BY ?v LIMIT 1")
    data = json.loads(format_result(r, "json"))
    row = data["results"]["bindings"][0]
    assert row["v"]["datatype"] == "http://www.w3.org/2001/XMLSchema#decimal"
    assert row["f"]["type"] == "uri"
    assert json.loads(format_result(run_query(store, "ASK { ?s ?p ?o }"), "json")) == {"head": {}, "boolean": True}


def test_csv_format(store):
    r = run_query(store, "SELECT ?name ?evidence WHERE { ?f a ikg:Figure ; ikg:evidence ?evidence ; ikg:metric ?name } ORDER BY ?name")
    out = format_result(r, "csv")
    assert out.startswith("name,evidence\r\n")
    rows = list(csv.reader(io.StringIO(out)))
    assert rows[0] == ["name", "evidence"]
    assert len(rows) == 5
    assert any("，" in row[1] for row in rows[1:])
    r = run_query(store, "SELECT ?s WHERE { ?s a ikg:Document } ORDER BY ?s")
    assert format_result(r, "csv").splitlines()[1] == "https://w3id.org/industry-kg/id/doc/001_test.txt"


def test_bad_syntax_raises_query_error_on_one_line(store):
    with pytest.raises(QueryError) as err:
        run_query(store, "SELECT ?s WHERE {\n ?s ?p \n")
    assert "\n" not in str(err.value)
    assert "line" in str(err.value)
    assert err.value.exit_code == 2


def test_unknown_prefix_is_named(store):
    with pytest.raises(QueryError, match="unknown prefix 'foo:'"):
        run_query(store, "SELECT ?s WHERE { ?s foo:bar ?o }")


@pytest.mark.parametrize(
    "update",
    [
        "INSERT DATA { <http://a> <http://b> <http://c> }",
        "PREFIX ex: <http://ex/#> DELETE WHERE { ?s ?p ?o }",
        "# a comment with SELECT\nCLEAR ALL",
        "  drop graph <http://x>",
        "WITH <http://g> DELETE { ?s ?p ?o } WHERE { ?s ?p ?o }",
    ],
)
def test_updates_are_refused(store, update):
    before = len(store)
    with pytest.raises(QueryError, match="read-only"):
        run_query(store, update)
    assert len(store) == before


def test_select_mentioning_insert_in_a_string_is_not_an_update(store):
    r = run_query(store, 'SELECT ?s WHERE { ?s rdfs:label "INSERT" }')
    assert r.rows == []


def test_empty_query(store):
    with pytest.raises(QueryError):
        run_query(store, "   ")


def test_unknown_format(store):
    with pytest.raises(QueryError):
        format_result(run_query(store, "ASK { ?s ?p ?o }"), "xml")

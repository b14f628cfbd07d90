"""kg.views.json_export: the JSON export contract (spec/export-schema.md)."""

from __future__ import annotations

import json
from collections import Counter, OrderedDict

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from kg.iri import document_iri
from kg.models import EntityType, Predicate
from kg.rdf.graph import to_rdf
from kg.views.json_export import _indented, export_items, graph_to_json, write_json

TYPES = {t.value for t in EntityType}
PREDICATES = {p.value for p in Predicate}
STR_OR_NONE = (str, type(None))
NUM = (int, float)


def test_top_level_keys(export):
    assert list(export) == ["documents", "entities", "relations", "figures"]


def test_documents(export, kg):
    assert [d["id"] for d in export["documents"]] == sorted(d.id for d in kg.documents)
    d1 = export["documents"][0]
    assert d1 == {
        "id": "001_test.txt",
        "iri": document_iri("001_test.txt"),
        "title": "华东精工一季度营收136亿元",
        "date": "2022-04-20",
        "publisher": "江北日报",
    }
    assert export["documents"][1]["publisher"] is None
    assert export["documents"][1]["date"] == "2022-05"


def test_entities_schema(export):
    for e in export["entities"]:
        assert list(e)[:5] == ["id", "name", "type", "aliases", "mentions"]
        assert isinstance(e["id"], str) and e["id"].startswith("https://w3id.org/industry-kg/id/")
        assert isinstance(e["name"], str) and e["name"]
        assert e["type"] in TYPES
        assert isinstance(e["aliases"], list) and all(isinstance(a, str) for a in e["aliases"])
        assert e["name"] not in e["aliases"]
        for m in e["mentions"]:
            assert set(m) == {"doc", "text", "start", "end"}
            assert isinstance(m["doc"], str) and isinstance(m["text"], str)
            assert isinstance(m["start"], int) and isinstance(m["end"], int)
            assert 0 <= m["start"] < m["end"]


def test_every_mention_doc_exists_and_offsets_point_into_the_original(export, sample):
    docs = {d["id"] for d in export["documents"]}
    for e in export["entities"]:
        for m in e["mentions"]:
            assert m["doc"] in docs
            original = sample.DOCS[m["doc"]][m["start"]:m["end"]]
            assert "".join(original.split()) == m["text"]


def test_relations_schema(export):
    entity_ids = {e["id"] for e in export["entities"]}
    doc_iris = {d["iri"] for d in export["documents"]}
    doc_ids = {d["id"] for d in export["documents"]}
    for r in export["relations"]:
        for k in ("subject", "predicate", "object", "title", "doc", "evidence", "start", "end"):
            assert k in r
        assert r["predicate"] in PREDICATES
        assert r["subject"] in entity_ids
        if r["predicate"] == "authorOf":
            assert r["object"] in doc_iris
        else:
            assert r["object"] in entity_ids
        assert isinstance(r["title"], STR_OR_NONE)
        assert (r["title"] is not None) == (r["predicate"] == "holdsPosition")
        assert r["doc"] in doc_ids
        assert isinstance(r["evidence"], str) and r["evidence"]
        assert isinstance(r["start"], int) and isinstance(r["end"], int)


def test_figures_schema(export):
    entity_ids = {e["id"] for e in export["entities"]}
    doc_ids = {d["id"] for d in export["documents"]}
    keys = ["id", "subject", "metric", "value", "unit", "value_normalized", "unit_normalized",
            "period", "period_normalized", "qualifier", "is_growth", "doc", "evidence", "start", "end"]
    for f in export["figures"]:
        assert list(f) == keys
        assert f["subject"] is None or f["subject"] in entity_ids
        assert isinstance(f["value"], NUM) and not isinstance(f["value"], bool)
        assert isinstance(f["value_normalized"], NUM + (type(None),))
        for k in ("metric", "unit", "unit_normalized", "period", "period_normalized", "qualifier"):
            assert isinstance(f[k], STR_OR_NONE)
        assert isinstance(f["is_growth"], bool)
        assert f["doc"] in doc_ids


def test_numbers_are_ints_when_integral(export):
    by_value = {f["unit"] + str(f["value"]): f for f in export["figures"]}
    f136 = by_value["亿元136"]
    assert type(f136["value"]) is int and f136["value"] == 136
    assert type(f136["value_normalized"]) is int and f136["value_normalized"] == 13600000000
    assert by_value["亿元5"]["value_normalized"] == 500000000
    assert type(by_value["亿元5"]["value_normalized"]) is int
    assert by_value["%12.5"]["value"] == 12.5
    assert by_value["万吨7.3"]["value"] == 7.3


def test_round_trips_the_records(export, kg):
    ents = {e["id"]: e for e in export["entities"]}
    assert set(ents) == {e.iri for e in kg.entities}
    for e in kg.entities:
        got = ents[e.iri]
        assert got["name"] == e.name
        assert got["type"] == e.type.value
        assert got["aliases"] == sorted(e.aliases)
        assert [(m["doc"], m["text"], m["start"], m["end"]) for m in got["mentions"]] == [
            (m.doc, m.text, m.start, m.end) for m in sorted(e.mentions, key=lambda m: (m.doc, m.start, m.end))
        ]
    rels = {r["id"]: r for r in export["relations"]}
    assert set(rels) == {r.iri for r in kg.relations}
    for r in kg.relations:
        got = rels[r.iri]
        assert (got["subject"], got["predicate"], got["object"], got["title"], got["doc"],
                got["evidence"], got["start"], got["end"]) == (
            r.subject, r.predicate.value, r.object, r.title, r.doc, r.evidence, r.start, r.end)
    figs = {f["id"]: f for f in export["figures"]}
    assert set(figs) == {f.iri for f in kg.figures}
    for f in kg.figures:
        got = figs[f.iri]
        assert (got["subject"], got["metric"], got["value"], got["unit"], got["value_normalized"],
                got["unit_normalized"], got["period"], got["period_normalized"], got["qualifier"],
                got["is_growth"], got["doc"], got["evidence"], got["start"], got["end"]) == (
            f.subject, f.metric, f.value, f.unit, f.value_normalized, f.unit_normalized, f.period,
            f.period_normalized, f.qualifier, f.is_growth, f.doc, f.evidence, f.start, f.end)


def test_ordering(export):
    order = [t.value for t in EntityType]
    keys = [(order.index(e["type"]), e["name"], e["id"]) for e in export["entities"]]
    assert keys == sorted(keys)
    for e in export["entities"]:
        assert [(m["doc"], m["start"]) for m in e["mentions"]] == sorted((m["doc"], m["start"]) for m in e["mentions"])
    assert [(r["doc"], r["start"]) for r in export["relations"]] == sorted((r["doc"], r["start"]) for r in export["relations"])
    assert [(f["doc"], f["start"]) for f in export["figures"]] == sorted((f["doc"], f["start"]) for f in export["figures"])


def test_write_json_is_utf8_and_deterministic(kg, tmp_path):
    a, b = tmp_path / "a.json", tmp_path / "b.json"
    write_json(graph_to_json(to_rdf(kg)), a)
    write_json(graph_to_json(to_rdf(kg)), b)
    assert a.read_bytes() == b.read_bytes()
    text = a.read_text(encoding="utf-8")
    assert "华东精工机械有限公司" in text  # not \\u escaped
    assert json.loads(text) == graph_to_json(to_rdf(kg))


@pytest.mark.parametrize("key", ["documents", "entities", "relations", "figures"])
def test_export_is_plain_json_data(export, key):
    json.dumps(export[key])  # no rdflib terms leak out


# -- the export's own indented layout (write_export) against json.dumps --------

_scalars = st.one_of(
    st.none(), st.booleans(), st.integers(), st.floats(),  # NaN and infinities included
    st.text(), st.text(st.characters(codec=None, categories=["Cs", "Cc", "Lo", "Po"])),
)
_values = st.recursive(
    _scalars,
    lambda inner: st.one_of(
        st.lists(inner, max_size=4),
        st.lists(inner, max_size=3).map(tuple),
        st.dictionaries(st.text(max_size=5), inner, max_size=4),
        st.dictionaries(st.integers(), inner, max_size=2),  # keys json turns into strings
    ),
    max_leaves=20,
)


@settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(_values, st.integers(min_value=0, max_value=3))
def test_indented_is_json_dumps(value, depth):
    newline = "\n" + " " * depth
    expected = json.dumps(value, ensure_ascii=False, indent=1).replace("\n", newline)
    assert _indented(value, newline) == expected


@pytest.mark.parametrize("value", [
    {"a": Counter(x=1), "b": OrderedDict(y=[1.5, True, None])},  # dict subclasses
    [EntityType.Company, Predicate.locatedIn, 10**30, -0.0, 1e-7, float("nan")],  # str enums, big ints
    {"id": "kgd:x", "mentions": [], "aliases": [{}], "n": [[], [[]]]},
])
def test_indented_is_json_dumps_on_other_types(value):
    assert _indented(value, "\n  ") == json.dumps(value, ensure_ascii=False, indent=1).replace("\n", "\n  ")


def test_indented_writes_the_export_items_as_json_dumps(kg):
    for _section, items in export_items(kg):
        for item in items:
            assert _indented(item, "\n  ") == json.dumps(item, ensure_ascii=False, indent=1).replace("\n", "\n  ")

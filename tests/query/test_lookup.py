"""kg.query.lookup: finding entities by name in graph.json."""

from __future__ import annotations

import subprocess
import sys

import pytest

from kg.query.lookup import format_lookup, lookup


def names(results):
    return [(r["name"], r["match"]) for r in results]


def test_exact_match_first(export):
    res = lookup(export, "张伟")
    assert names(res)[0] == ("张伟", "exact")
    r = res[0]
    assert r["type"] == "Person"
    assert r["documents"] == ["001_test.txt", "002_test.txt"]
    rel = [x for x in r["relations"] if x["predicate"] == "holdsPosition"]
    assert len(rel) == 2
    assert all(x["direction"] == "out" and x["other_name"] == "华东精工机械有限公司" and x["title"] == "董事长" for x in rel)
    assert {x["doc"] for x in rel} == {"001_test.txt", "002_test.txt"}
    assert all(x["evidence"] for x in rel)


def test_alias_beats_partial(export):
    # 华精 is an alias of 华东精工机械有限公司 and part of 华精精密轴承分公司
    res = lookup(export, "华精")
    assert names(res) == [("华东精工机械有限公司", "alias"), ("华精精密轴承分公司", "partial")]
    top = res[0]
    assert top["aliases"] == ["华东精工", "华精"]
    figs = {(f["metric"], f["value"], f["unit"], f["period"]) for f in top["figures"]}
    assert ("营业收入", 136, "亿元", "今年一季度") in figs
    incoming = [x for x in top["relations"] if x["direction"] == "in"]
    assert {x["other_name"] for x in incoming} == {"张伟", "华精精密轴承分公司"}


def test_partial_either_direction_ranked_by_mentions(export):
    # the query contains the names 江北省/江北大学 (江北 is also an alias of 江北省)
    res = lookup(export, "江北")
    assert names(res)[0] == ("江北省", "alias")
    assert ("江北大学", "partial") in names(res)
    # name inside the query
    res = lookup(export, "华东精工机械有限公司董事长")
    assert names(res)[0] == ("华东精工机械有限公司", "partial")
    # two partial matches: more mentions first (华东精工… 6 mentions, 华精精密… 1)
    res = lookup(export, "精")
    assert [r["match"] for r in res] == ["partial"] * len(res)
    counts = [r["n_mentions"] for r in res]
    assert counts == sorted(counts, reverse=True)
    assert res[0]["name"] == "华东精工机械有限公司"


def test_normalisation_and_limit(export):
    assert names(lookup(export, " 张 伟 "))[0] == ("张伟", "exact")
    assert len(lookup(export, "精", limit=1)) == 1
    assert lookup(export, "不存在的公司") == []
    assert lookup(export, "") == []


def test_author_relation_names_the_document(export):
    res = lookup(export, "李明")
    rel = res[0]["relations"][0]
    assert rel["predicate"] == "authorOf"
    assert rel["other_type"] == "Document"
    assert rel["other_name"] == "华东精工一季度营收136亿元"


def test_format_lookup(export):
    text = format_lookup(lookup(export, "华精"))
    assert "华东精工机械有限公司  [Company]  (alias match)" in text
    assert "aliases: 华东精工, 华精" in text
    assert "张伟: 董事长, 华东精工机械有限公司" in text  # posts have a section of their own
    assert "华精精密轴承分公司 —subOrganizationOf→ 华东精工机械有限公司" in text
    assert "营业收入: 136亿元" in text
    assert "“今年一季度，华精实现营业收入136亿元”" in text
    assert format_lookup([]) == "no entity found"


@pytest.mark.parametrize("module", ["kg.query.lookup", "kg.query.sparql", "kg.views.json_export", "kg.views.nx_view"])
def test_no_nlp_imports(module):
    code = f"import sys, {module}; bad = {{'spacy', 'jieba'}} & set(sys.modules); assert not bad, bad"
    subprocess.run([sys.executable, "-c", code], check=True)

"""kg.query.lookup: fuzzy matches, posts, periods, and no NLP imports."""

from __future__ import annotations

import json
import os
import subprocess
import sys

from kg.query.lookup import FUZZY_CUTOFF, format_lookup, lookup


def test_fuzzy_match_finds_a_typo(export):
    res = lookup(export, "华东精公机械")  # 公 for 工: no exact, alias or partial match
    assert [(r["name"], r["match"]) for r in res][:1] == [("华东精工机械有限公司", "fuzzy")]
    assert FUZZY_CUTOFF <= res[0]["score"] <= 100
    assert all(r["match"] == "fuzzy" for r in res)
    assert [r["score"] for r in res] == sorted((r["score"] for r in res), reverse=True)


def test_fuzzy_comes_after_better_matches_and_only_when_needed(export):
    res = lookup(export, "华精", limit=0)
    kinds = [r["match"] for r in res]
    assert kinds[:2] == ["alias", "partial"]
    assert kinds == sorted(kinds, key=["exact", "alias", "partial", "fuzzy"].index)
    assert all(r["score"] is None for r in res if r["match"] != "fuzzy")
    # limit already filled by better matches: no fuzzy match is computed
    assert [r["match"] for r in lookup(export, "华精", limit=2)] == ["alias", "partial"]


def test_unrelated_query_finds_nothing(export):
    assert lookup(export, "量子计算") == []
    assert format_lookup([]) == "no entity found"


def test_posts_of_a_person_and_of_a_company(export, sample):
    zhang = lookup(export, "张伟")[0]
    assert [(p["organization_name"], p["title"], p["doc"]) for p in zhang["posts"]] == [
        ("华东精工机械有限公司", "董事长", sample.D1), ("华东精工机械有限公司", "董事长", sample.D2)]
    assert all("张伟" in p["evidence"] for p in zhang["posts"])
    company = lookup(export, "华东精工机械有限公司")[0]
    assert {p["person_name"] for p in company["posts"]} == {"张伟"}
    text = format_lookup([company])
    assert "  posts:\n    - 张伟: 董事长, 华东精工机械有限公司   [001_test.txt]" in text
    # a post is listed once, under posts, not again under relations
    assert text.count("董事长, 华东精工机械有限公司") == 2
    assert "holdsPosition" not in text


def test_figures_show_written_and_normalised_period(export):
    top = lookup(export, "华精")[0]
    fig = next(f for f in top["figures"] if f["metric"] == "营业收入")
    assert (fig["period"], fig["period_normalized"]) == ("今年一季度", "2022-Q1")
    text = format_lookup([top])
    assert "今年一季度 (2022-Q1) 营业收入: 136亿元   [001_test.txt]" in text
    assert "“今年一季度，华精实现营业收入136亿元”" in text


def test_cli_lookup_does_not_load_spacy_or_jieba(tmp_path, export):
    out = tmp_path / "outputs"
    out.mkdir()
    (out / "graph.json").write_text(json.dumps(export, ensure_ascii=False), encoding="utf-8")
    code = (
        "import sys, json\n"
        "from kg.cli import run\n"
        f"rc = run(['lookup', '华东精公', '--out', {str(out)!r}, '--format', 'json'])\n"
        "heavy = sorted(m for m in sys.modules if m.split('.')[0] in "
        "('spacy', 'jieba', 'thinc', 'rdflib', 'pyoxigraph', 'networkx'))\n"
        "print(json.dumps({'rc': rc, 'heavy': heavy}), file=sys.stderr)\n"
    )
    env = dict(os.environ, PYTHONIOENCODING="utf-8")
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                          encoding="utf-8", env=env, timeout=120)
    status = json.loads(proc.stderr.strip().splitlines()[-1])
    assert status == {"rc": 0, "heavy": []}
    results = json.loads(proc.stdout)
    assert results[0]["name"] == "华东精工机械有限公司" and results[0]["match"] == "fuzzy"


def test_partial_containing_the_query_beats_a_name_inside_the_query(export):
    # 华精精密 is part of 华精精密轴承分公司 (1 mention); the alias 华精 of the company
    # (6 mentions) is part of 华精精密: the first fits better, whatever the mentions
    res = lookup(export, "华精精密")
    assert [(r["name"], r["match"]) for r in res][:2] == [
        ("华精精密轴承分公司", "partial"), ("华东精工机械有限公司", "partial")]

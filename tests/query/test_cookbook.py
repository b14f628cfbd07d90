"""queries/: the cookbook of competency questions, each run on a real build of corpus/
and checked against facts a reader can find in the corpus texts."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from kg.query.sparql import run_query

REPO = Path(__file__).resolve().parents[2]
QUERIES = REPO / "queries"
CORPUS = REPO / "corpus"
FILES = sorted(p.name for p in QUERIES.glob("*.rq"))
WAZHOU = "瓦房店轴承集团有限责任公司"
LUOZHOU = "洛阳轴承集团股份有限公司"


def text(name: str) -> str:
    return (QUERIES / name).read_text(encoding="utf-8")


def rows(store, query: str) -> list[dict[str, str]]:
    res = run_query(store, query)
    assert res.kind == "select"
    return [{v: (t.value if t is not None else "") for v, t in zip(res.variables, row)}
            for row in res.rows]


def run(store, name: str) -> list[dict[str, str]]:
    return rows(store, text(name))


def pairs(result: list[dict], *keys: str) -> set[tuple]:
    return {tuple(r[k] for k in keys) for r in result}


def original(doc: str) -> str:
    return (CORPUS / doc).read_bytes().decode("utf-8").removeprefix("\ufeff")


# ---------------------------------------------------------------- the files themselves


def test_at_least_twelve_questions():
    assert len(FILES) >= 12


@pytest.mark.parametrize("name", FILES)
def test_each_file_states_its_question_in_english_and_chinese(name):
    head = text(name).splitlines()
    assert head[0].startswith("# Question: ") and head[0].endswith(("?", ".")), head[0]
    assert head[1].startswith("# 问题："), head[1]


@pytest.mark.parametrize("name", FILES)
def test_each_file_runs_on_any_endpoint_without_predeclared_prefixes(corpus_store, name):
    """The files declare their own prefixes (so they work on `kg serve`, Fuseki, …)."""
    result = corpus_store.query(text(name))
    assert len(list(result)) > 0


def test_kg_query_runs_a_cookbook_file(corpus_build, run_kg):
    import csv
    import io

    proc = run_kg("query", QUERIES / "company-branches.rq", "--out", corpus_build,
                                 "--format", "csv")
    assert proc.returncode == 0, proc.stderr
    table = list(csv.reader(io.StringIO(proc.stdout)))
    assert table[0] == ["branch", "head", "title"]
    assert ["瓦轴集团精密轴承分公司", "庞伟", "总经理"] in table


def test_every_file_is_checked_here():
    checked = {n[len("test_"):].replace("_", "-") + ".rq"
               for n in globals() if n.startswith("test_") and
               (QUERIES / (n[len("test_"):].replace("_", "-") + ".rq")).is_file()}
    assert checked == set(FILES)


# ---------------------------------------------------------------- one test per question


def test_officials_of_a_place(corpus_store):
    got = run(corpus_store, "officials-of-a-place.rq")
    # 000: 瓦房店市委书记马英骥 / 瓦房店市科技和工业信息化局局长曲连军
    assert ("马英骥", "市委书记", "瓦房店市") in pairs(got, "person", "title", "organization")
    assert ("曲连军", "局长", "瓦房店市科技和工业信息化局") in pairs(
        got, "person", "title", "organization")
    assert all(r["organization"].startswith("瓦房店市") for r in got)
    # the province: its own leaders, and (through 瓦房店市 ⊂ 辽宁省) the city's
    province = rows(corpus_store, text("officials-of-a-place.rq").replace(
        '"瓦房店市"@zh', '"辽宁省"@zh'))
    people = pairs(province, "person", "title")
    assert {("郝鹏", "省委书记"), ("李乐成", "省长"), ("马英骥", "市委书记")} <= people
    assert "谭旭旭" not in {p for p, _ in people}  # 鞍钢集团 is a company, not government


def test_company_branches(corpus_store):
    got = run(corpus_store, "company-branches.rq")
    assert pairs(got, "branch", "head", "title") >= {
        ("瓦轴集团精密轴承分公司", "庞伟", "总经理"),
        ("瓦轴集团特大型轴承分公司", "赵铭", "总经理"),
    }
    assert all(r["branch"].startswith("瓦轴集团") for r in got)


def test_company_products(corpus_store):
    got = run(corpus_store, "company-products.rq")
    # 001: 瓦房店轴承集团有限责任公司精密轴承生产线上，一套套高速线材轧机轴承、轨道交通轴承…
    assert ("轨道交通轴承", WAZHOU, "001_75582bbaba95035a.txt") in pairs(
        got, "product", "maker", "document")
    assert ("高速线材轧机轴承", WAZHOU) in pairs(got, "product", "maker")
    # made by a branch counts for the company
    assert any(r["maker"] == "瓦轴集团精密轴承分公司" for r in got)


def test_company_figures(corpus_store):
    got = run(corpus_store, "company-figures.rq")
    # 003: 工业总产值增幅 120.54%，轴承销售收入增幅 101%
    facts = pairs(got, "metric", "value", "unit")
    assert ("工业总产值增幅", "120.54", "%") in facts
    assert ("轴承销售收入增幅", "101", "%") in facts
    for r in got:
        assert r["quote"] in original(r["document"])


def test_partners(corpus_store):
    got = run(corpus_store, "partners.rq")
    # 004: 市科技局会同市财政局、市自然资源规划局、市经信局…
    assert {"市财政局", "市自然资源规划局", "市经信局"} <= {r["partner"] for r in got}
    assert all("会同" in r["evidence"] for r in got)


def test_figures_of_a_year(corpus_store):
    got = run(corpus_store, "figures-of-a-year.rq")
    # 001 (published 2024): 今年一季度，辽宁…高技术制造业增加值…增长23.6%
    assert ("2024-Q1", "辽宁省", "23.6", "%") in pairs(got, "period", "subject", "value", "unit")
    assert all(r["period"] == "2024" or r["period"].startswith("2024-") for r in got)


def test_figures_per_period(corpus_store, corpus_build):
    import json

    got = run(corpus_store, "figures-per-period.rq")
    export = json.loads((corpus_build / "graph.json").read_text(encoding="utf-8"))
    assert sum(int(r["figures"]) for r in got) == len(export["figures"])
    periods = {r["period"] for r in got}
    # 000: 2021 年，瓦房店市轴承产业总产值…; 001: 2023年，辽宁地区生产总值增长5.3%
    assert {"2021", "2023", "2024-Q1"} <= periods


def test_figures_of_a_place_in_a_year(corpus_store):
    got = run(corpus_store, "figures-of-a-place-in-a-year.rq")
    # 001 (published 2024): 今年一季度，辽宁全省地区生产总值增长5.4%
    assert ("2024-Q1", "5.4", "%", "true") in pairs(got, "period", "value", "unit", "growth")
    assert all(r["period"] == "2024" or r["period"].startswith("2024-") for r in got)
    # another year of the same place: 2023年，辽宁地区生产总值增长5.3%
    other = rows(corpus_store, text("figures-of-a-place-in-a-year.rq").replace('"2024")', '"2023")'))
    assert ("2023", "5.3", "%") in pairs(other, "period", "value", "unit")
    assert not {r["period"] for r in other} & {r["period"] for r in got}


def test_output_above(corpus_store):
    got = run(corpus_store, "output-above.rq")
    # 000: 去年，瓦轴集团…产值53.73亿元; 大连冶金轴承公司…2021年…产值10.97亿元
    facts = pairs(got, "company", "metric", "value", "unit")
    assert (WAZHOU, "产值", "53.73", "亿元") in facts
    assert ("大连冶金轴承公司", "产值", "10.97", "亿元") in facts
    # the threshold compares normalised values: above 60亿元 neither is left
    higher = rows(corpus_store, text("output-above.rq").replace("{ 1000000000 }", "{ 6000000000 }"))
    assert not {WAZHOU, "大连冶金轴承公司"} & {r["company"] for r in higher}


def test_companies_in_a_city(corpus_store):
    got = run(corpus_store, "companies-in-a-city.rq")
    found = pairs(got, "company", "where")
    assert ("大连融科储能技术发展有限公司", "大连市") in found
    assert ("大连冶金轴承公司", "大连市") in found  # a name that begins with its city
    # 瓦房店市 lies in 大连市, but no article says so in a form the guideline counts
    # (nested names or 位于…): locatedIn is not inferred from the division hierarchy
    assert (WAZHOU, "瓦房店市") not in found
    assert "沈鼓集团股份有限公司" not in {c for c, _ in found}  # a Shenyang company


def test_most_documents(corpus_store):
    got = run(corpus_store, "most-documents.rq")
    counts = [int(r["documents"]) for r in got]
    assert counts == sorted(counts, reverse=True)
    by_name = {r["name"]: int(r["documents"]) for r in got}
    # 瓦轴 / 瓦房店轴承集团… is named in exactly these corpus files
    named_in = sum(bool(re.search("瓦轴|瓦房店轴承", original(p.name)))
                   for p in CORPUS.glob("*.txt"))
    assert by_name[WAZHOU] == named_in == 3


def test_posts(corpus_store):
    got = run(corpus_store, "posts.rq")
    # 003: 洛阳轴承集团股份有限公司党委书记、董事长王新莹
    assert ("王新莹", "党委书记、董事长", LUOZHOU) in pairs(got, "person", "title", "organization")
    for r in got:
        start = int(r["start"])
        assert original(r["document"])[start:start + len(r["quote"])] == r["quote"]
        assert r["person"] in r["quote"].replace(" ", "").replace("\n", "")


def test_document_authors(corpus_store):
    got = run(corpus_store, "document-authors.rq")
    by_doc = {r["document"]: r["authors"].split("、") for r in got}
    # 001: 本报记者 郝迎灿
    assert "郝迎灿" in by_doc["001_75582bbaba95035a.txt"]
    assert next(r["title"] for r in got if r["document"] == "001_75582bbaba95035a.txt") \
        == "老工业基地加速培育壮大新质生产力"


def test_investments(corpus_store):
    got = run(corpus_store, "investments.rq")
    # 003: 规划实施了洛轴新能源装备轴承智能化生产基地项目
    assert (LUOZHOU, "洛轴新能源装备轴承智能化生产基地项目") in pairs(got, "investor", "project")


def test_aliases(corpus_store):
    got = run(corpus_store, "aliases.rq")
    found = pairs(got, "name", "alias")
    assert (WAZHOU, "瓦轴集团") in found
    assert (LUOZHOU, "洛轴") in found
    assert all(r["reason"] for r in got)  # every merge says why


def test_facts_about(corpus_store):
    got = run(corpus_store, "facts-about.rq")
    # 001: 瓦轴集团董事长刘军
    assert ("刘军", "holdsPosition", WAZHOU, "董事长") in pairs(
        got, "subject", "predicate", "object", "title")
    for r in got:
        assert original(r["document"])[int(r["start"]):int(r["end"])] == r["quote"]


def test_growth_of_a_place(corpus_store):
    got = run(corpus_store, "growth-of-a-place.rq")
    facts = pairs(got, "value", "unit", "period")
    # 001: 2023年，辽宁地区生产总值增长5.3%；今年一季度，辽宁全省地区生产总值增长5.4%
    assert ("5.3", "%", "2023") in facts
    assert ("5.4", "%", "2024-Q1") in facts


def test_documents_mentioning(corpus_store):
    got = run(corpus_store, "documents-mentioning.rq")
    docs = {r["document"] for r in got}
    expected = {p.name for p in CORPUS.glob("*.txt") if re.search("瓦轴|瓦房店轴承", original(p.name))}
    assert docs == expected
    assert all("瓦轴集团" in r["forms"].split("、") for r in got)

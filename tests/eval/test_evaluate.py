"""kg.evaluate: hand-made gold folders and exports; expected scores computed by hand."""

from __future__ import annotations

import json

import pytest

from kg.errors import KgError
from kg.evaluate import evaluate, format_table

D1, D2, D3 = "d1.txt", "d2.txt", "d3.txt"
IRI1, IRI2 = "urn:doc:d1", "urn:doc:d2"


def write_gold(folder, doc, entities=(), relations=(), figures=()):
    folder.mkdir(exist_ok=True)
    data = {"doc": doc, "entities": list(entities), "relations": list(relations),
            "figures": list(figures)}
    (folder / f"{doc}.json").write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    return folder


def ent(id_, name, type_, aliases=()):
    return {"id": id_, "name": name, "type": type_, "aliases": list(aliases)}


def built(id_, name, type_, mentions, aliases=()):
    return {"id": id_, "name": name, "type": type_, "aliases": list(aliases),
            "mentions": [{"doc": d, "text": t, "start": 0, "end": len(t)} for d, t in mentions]}


def rel(s, p, o, doc=D1, title=None):
    r = {"subject": s, "predicate": p, "object": o, "doc": doc, "evidence": "", "start": 0, "end": 1}
    if title is not None:
        r["title"] = title
    return r


def fig(subject, metric, value, unit, period, doc=D1, evidence=""):
    return {"id": f"urn:f:{metric}{value}", "subject": subject, "metric": metric, "value": value,
            "unit": unit, "period": period, "doc": doc, "evidence": evidence}


GOLD_ENTITIES = [
    ent("c1", "华东精工机械有限公司", "Company", ["华精"]),
    ent("p1", "张伟", "Person"),
    ent("r1", "李娜", "Person"),
    ent("l1", "苏州市", "Place", ["苏州"]),
    ent("pr1", "数控机床", "Product"),
    ent("o1", "江南机床行业协会", "Organization"),
]
GOLD_RELATIONS = [
    {"subject": "p1", "predicate": "holdsPosition", "object": "c1", "title": "董事长", "evidence": ""},
    {"subject": "c1", "predicate": "locatedIn", "object": "l1", "evidence": ""},
    {"subject": "c1", "predicate": "produces", "object": "pr1", "evidence": ""},
    {"subject": "r1", "predicate": "authorOf", "object": "DOC", "evidence": ""},
]
GOLD_FIGURES = [
    {"subject": "c1", "metric": "营业收入", "value": 12.5, "unit": "亿元", "period": "2021年",
     "evidence": "2021年华精营业收入12.5亿元"},
    {"subject": "l1", "metric": "地区生产总值同比增长", "value": 6.8, "unit": "%", "period": "今年一季度",
     "evidence": ""},
    {"subject": None, "metric": "新增企业数量", "value": 30, "unit": "家", "period": None, "evidence": ""},
    {"subject": "c1", "metric": "利润", "value": 3, "unit": "亿元", "period": "2021年", "evidence": ""},
]


@pytest.fixture
def gold_dir(tmp_path):
    folder = write_gold(tmp_path / "gold", D1, GOLD_ENTITIES, GOLD_RELATIONS, GOLD_FIGURES)
    return write_gold(folder, D3, [ent("x1", "王芳", "Person")])  # a gold doc the build lacks


@pytest.fixture
def export():
    return {
        "documents": [{"id": D1, "iri": IRI1, "title": "", "date": None},
                      {"id": D2, "iri": IRI2, "title": "", "date": None}],
        "entities": [
            built("urn:e:01", "华精", "Company", [(D1, "华精")]),  # alias match → c1
            built("urn:e:02", "张伟", "Person", [(D1, "张伟")]),  # exact name
            built("urn:e:03", "苏州", "Company", [(D1, "苏州")]),  # → l1, wrong type
            built("urn:e:04", "数控机床", "Product", [(D2, "数控机床")]),  # not mentioned in d1
            built("urn:e:05", "李娜", "Person", [(D1, "李 娜")]),  # reporter
            built("urn:e:06", "华东精工", "Company", [(D1, "华精")], ["华精"]),  # same form as 01
            built("urn:e:07", "江南机床行业协会", "Organization", [(D1, "“江南机床行业协会”")]),
        ],
        "relations": [
            rel("urn:e:02", "holdsPosition", "urn:e:01", title="董事长"),
            rel("urn:e:02", "holdsPosition", "urn:e:01", title="董事长"),  # duplicate: once
            rel("urn:e:01", "locatedIn", "urn:e:03"),  # through alias + mistyped entity
            rel("urn:e:05", "authorOf", IRI1),
            rel("urn:e:06", "produces", "urn:e:04"),  # 06 is unaligned → FP
            rel("urn:e:02", "authorOf", IRI2),  # wrong document IRI → FP
            rel("urn:e:01", "produces", "urn:e:04", doc=D2),  # other document: ignored
        ],
        "figures": [
            fig(None, "净利润", 12.5, "亿元", "2021年"),  # same value+unit, worse metric → FP
            fig("urn:e:01", "营业收入", 12.5, "亿 元", "2021年"),
            fig("urn:e:03", "地区生产总值增速", 6.8, "%", "一季度"),
            fig("urn:e:01", "新增企业", 30, "家", None),
            fig("urn:e:01", "营业收入", 12.5, "万元", "2021年"),  # unit differs → FP
            fig(None, "产值", 99, "亿元", None, doc=D2),  # other document: ignored
        ],
    }


def prf(c):
    return c.precision, c.recall, c.f1


def test_documents_scored_ignored_and_missing(gold_dir, export):
    r = evaluate(export, gold_dir)
    assert r.scored == [D1]
    assert r.ignored == [D2]
    assert r.not_in_export == [D3]
    assert set(r.misses) == {D1}


def test_entities_typed(gold_dir, export):
    r = evaluate(export, gold_dir)
    e = r.entities
    # 01→c1 TP, 06 same form but c1 taken → FP; 03→l1 wrong type → FN Place + FP Company
    assert (e["Company"].tp, e["Company"].fp, e["Company"].fn) == (1, 2, 0)
    assert (e["Person"].tp, e["Person"].fp, e["Person"].fn) == (2, 0, 0)
    assert (e["Place"].tp, e["Place"].fp, e["Place"].fn) == (0, 0, 1)
    # 04 names the product but has no mention in d1: not counted, gold pr1 missed
    assert (e["Product"].tp, e["Product"].fp, e["Product"].fn) == (0, 0, 1)
    assert (e["Organization"].tp, e["Organization"].fp, e["Organization"].fn) == (1, 0, 0)
    all_ = r.entities_all
    assert (all_.tp, all_.fp, all_.fn) == (4, 2, 2)
    assert prf(all_) == pytest.approx((4 / 6, 4 / 6, 4 / 6))
    org = r.organizations  # Company + Organization
    assert (org.tp, org.fp, org.fn) == (2, 2, 0)
    assert prf(org) == pytest.approx((0.5, 1.0, 2 / 3))


def test_entities_untyped(gold_dir, export):
    u = evaluate(export, gold_dir).untyped
    assert (u.tp, u.fp, u.fn) == (5, 1, 1)  # the mistyped 苏州 still counts
    assert prf(u) == pytest.approx((5 / 6, 5 / 6, 5 / 6))


def test_name_match_wins_over_alias_match(tmp_path):
    gold = write_gold(tmp_path / "g", D1, [ent("c1", "华东精工机械有限公司", "Company", ["华精"])])
    export = {"documents": [{"id": D1, "iri": IRI1}], "entities": [
        built("urn:a", "华精", "Company", [(D1, "华精")]),  # sorts first, alias only
        built("urn:b", "华东精工机械有限公司", "Company", [(D1, "华东精工机械有限公司")]),
    ]}
    r = evaluate(export, gold)
    assert [m["name"] for m in r.misses[D1]["entities_spurious"]] == ["华精"]
    assert (r.entities["Company"].tp, r.entities["Company"].fp) == (1, 1)


def test_forms_are_normalised(tmp_path):
    gold = write_gold(tmp_path / "g", D1, [ent("y1", "智能制造三年行动计划", "Policy")])
    export = {"documents": [{"id": D1, "iri": IRI1}], "entities": [
        built("urn:p", "《智能制造 三年行动计划》", "Policy", [(D1, "「智能制造三年行动计划」")])]}
    assert evaluate(export, gold).entities["Policy"].tp == 1


def test_relations(gold_dir, export):
    r = evaluate(export, gold_dir)
    rel_ = r.relations
    assert (rel_["holdsPosition"].tp, rel_["holdsPosition"].fp, rel_["holdsPosition"].fn) == (1, 0, 0)
    assert (rel_["locatedIn"].tp, rel_["locatedIn"].fp, rel_["locatedIn"].fn) == (1, 0, 0)
    assert (rel_["produces"].tp, rel_["produces"].fp, rel_["produces"].fn) == (0, 1, 1)
    assert (rel_["authorOf"].tp, rel_["authorOf"].fp, rel_["authorOf"].fn) == (1, 1, 0)
    all_ = r.relations_all
    assert (all_.tp, all_.fp, all_.fn) == (3, 2, 1)
    assert prf(all_) == pytest.approx((3 / 5, 3 / 4, 2 / 3))
    assert (r.title_agree, r.title_matched) == (1, 1)


def test_title_disagreement_still_matches(gold_dir, export):
    export["relations"] = [rel("urn:e:02", "holdsPosition", "urn:e:01", title="总经理")]
    r = evaluate(export, gold_dir)
    assert r.relations["holdsPosition"].tp == 1
    assert (r.title_agree, r.title_matched) == (0, 1)


def test_author_of_without_document_iri(gold_dir, export):
    export["documents"][0].pop("iri")
    export["relations"] = [rel("urn:e:05", "authorOf", "urn:whatever")]
    assert evaluate(export, gold_dir).relations["authorOf"].tp == 1


def test_figures(gold_dir, export):
    r = evaluate(export, gold_dir)
    f = r.figures
    assert (f.tp, f.fp, f.fn) == (3, 2, 1)
    assert prf(f) == pytest.approx((3 / 5, 3 / 4, 2 / 3))
    # 12.5亿元 → 营业收入 (not 净利润, whose subject would be wrong); 6.8% via mistyped 苏州;
    # 30家 has a subject where gold has none; 利润 is missed
    assert (r.figure_subject_correct, r.figure_total) == (2, 4)
    # 2021年 ok, 一季度 ≠ 今年一季度, null == null, missed figure wrong
    assert r.figure_period_correct == 2


def test_evidence_breaks_metric_tie(tmp_path):
    gold = write_gold(tmp_path / "g", D1, [ent("c1", "华精", "Company"), ent("c2", "苏精", "Company")],
                      figures=[{"subject": "c2", "metric": "产值", "value": 5, "unit": "亿元",
                                "period": None, "evidence": "苏精产值5亿元"}])
    export = {"documents": [{"id": D1, "iri": IRI1}],
              "entities": [built("urn:1", "华精", "Company", [(D1, "华精")]),
                           built("urn:2", "苏精", "Company", [(D1, "苏精")])],
              "figures": [fig("urn:1", "产值", 5, "亿元", None, evidence="华精产值达5亿元"),
                          fig("urn:2", "产值", 5, "亿元", None, evidence="同时苏精产值5亿元")]}
    r = evaluate(export, gold)
    assert (r.figures.tp, r.figures.fp, r.figure_subject_correct) == (1, 1, 1)


def test_to_dict_is_json_and_stable(gold_dir, export):
    d = evaluate(export, gold_dir).to_dict()
    assert list(d) == ["documents", "entities", "relations", "figures", "resolution", "misses"]
    assert d["entities"]["all_untyped"]["tp"] == 5
    assert d["figures"]["period_as_written"] == {"correct": 2, "total": 4, "rate": 0.5}
    assert json.loads(json.dumps(d, ensure_ascii=False)) == d
    assert json.dumps(d) == json.dumps(evaluate(export, gold_dir).to_dict())


def test_table_rows_and_misses(gold_dir, export):
    r = evaluate(export, gold_dir)
    table = format_table(r)
    for label in ("entity Company", "entity ALL typed", "entity ALL untyped", "entity organizations",
                  "relation holdsPosition", "relation ALL", "figure value+unit",
                  "figure subject correct", "figure period as written",
                  "holdsPosition title agreement"):
        assert label in table
    row = next(line for line in table.splitlines() if line.startswith("entity ALL untyped"))
    assert row.split()[-6:] == ["5", "1", "1", "0.833", "0.833", "0.833"]
    assert "华精" not in table  # misses only on request
    full = format_table(r, misses=True)
    assert f"== {D1}" in full
    assert "Place 苏州市 (built as Company)" in full
    assert "Product 数控机床" in full
    assert "华东精工 produces 数控机床" in full
    assert "张伟 authorOf urn:doc:d2" in full
    assert "3 亿元 利润" in full
    # matched figures whose subject or period disagree are listed with both readings
    disagree = [line for line in full.splitlines() if line.strip().startswith("figures_disagree")]
    assert any("| period 今年一季度 (built 一季度)" in line for line in disagree)
    assert any("| subject" in line and "(built" in line for line in disagree)


def test_missing_gold_dir(tmp_path, export):
    with pytest.raises(KgError, match="does not exist"):
        evaluate(export, tmp_path / "nope")


def test_empty_gold_dir(tmp_path, export):
    (tmp_path / "g").mkdir()
    (tmp_path / "g" / "GUIDELINE.md").write_text("x")
    with pytest.raises(KgError, match="no \\*.json"):
        evaluate(export, tmp_path / "g")


@pytest.mark.parametrize("content", [
    "{not json",
    "[]",
    json.dumps({"doc": D1, "entities": [{"id": "a", "name": "张伟"}]}),
    json.dumps({"doc": D1, "entities": [], "relations": [
        {"subject": "a", "predicate": "produces", "object": "b"}]}),
    json.dumps({"doc": D2, "entities": []}),
])
def test_malformed_gold_file_is_named(tmp_path, export, content):
    folder = tmp_path / "g"
    folder.mkdir()
    (folder / f"{D1}.json").write_text(content, encoding="utf-8")
    with pytest.raises(KgError, match="d1.txt.json") as info:
        evaluate(export, folder)
    assert "\n" not in str(info.value)


def test_no_gold_document_in_export(tmp_path, export):
    gold = write_gold(tmp_path / "g", D3, [ent("x1", "王芳", "Person")])
    with pytest.raises(KgError, match="none of the 1 gold documents"):
        evaluate(export, gold)


def test_false_merges_and_splits_are_counted_per_document(tmp_path):
    gold = write_gold(tmp_path / "gold", D1, [
        ent("c1", "华东精工机械有限公司", "Company", ["华精"]),
        ent("c2", "华东精工股份有限公司", "Company", ["华精股份"]),
        ent("p1", "张伟", "Person"),
        ent("p2", "张强", "Person"),
        ent("x1", "东海产业联盟", "Organization", ["东海联盟"]),
        ent("x2", "东海产业协会", "Organization", ["东海联盟"]),  # a form two gold entities share
    ])
    exp = {"documents": [{"id": D1, "iri": IRI1}], "entities": [
        # group and listed arm merged: one false merge
        built("urn:e1", "华东精工机械有限公司", "Company", [(D1, "华东精工机械有限公司"), (D1, "华精股份")]),
        # one person split over two entities
        built("urn:e2", "张伟", "Person", [(D1, "张伟")]),
        built("urn:e3", "张伟", "Person", [(D1, "张伟")]),
        built("urn:e4", "张强", "Person", [(D1, "张强")]),
        # meets both x1 and x2, but only through their shared form: not a false merge
        built("urn:e5", "东海联盟", "Organization", [(D1, "东海联盟")]),
    ], "relations": [], "figures": []}
    report = evaluate(exp, gold)
    assert (report.false_merges, report.splits) == (1, 1)
    assert report.misses[D1]["false_merges"] == [
        {"name": "华东精工机械有限公司", "gold": ["华东精工机械有限公司", "华东精工股份有限公司"]}]
    assert report.misses[D1]["splits"] == [{"name": "张伟", "built": ["张伟", "张伟"]}]
    assert report.to_dict()["resolution"] == {"false_merges": 1, "splits": 1}
    table = format_table(report, misses=True)
    assert "resolution false merges" in table and "华东精工机械有限公司 joins" in table


def test_no_false_merge_when_each_built_entity_meets_one_gold_entity(gold_dir, export):
    report = evaluate(export, gold_dir)
    assert report.false_merges == 0

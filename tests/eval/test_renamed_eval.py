"""scripts/renamed_eval.py: the renaming is consistent, longest-first, collision-free and
deterministic; one end-to-end run on a tiny hand-made corpus (names invented here)."""

from __future__ import annotations

import importlib.util
import json
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module")
def ren():
    spec = importlib.util.spec_from_file_location("renamed_eval", ROOT / "scripts" / "renamed_eval.py")
    mod = importlib.util.module_from_spec(spec)
    sys.modules["renamed_eval"] = mod  # dataclasses look their module up there
    try:
        spec.loader.exec_module(mod)
        yield mod
    finally:
        sys.modules.pop("renamed_eval", None)


@pytest.fixture(scope="module")
def vocab(ren):
    return ren.load_vocabulary()


# Invented names: a company with a place prefix and short names, one whose name breaks over a
# line, people (one with a compound surname), a place, a product, an industry.
TEXT = ("大连鸿翎精工股份有限公司（简称鸿翎精工）董事长欧阳明远表示，鸿翎今年生产风电主轴轴承。\n"
        "大连市轴承产业发展迅速。本报记者 王小川 摄影 王小川远\n"
        "岱峤轴\n承有限公司总经理李岚说，岱峤轴承与鸿翎精工合作。\n")
GOLD = {
    "doc": "a.txt",
    "entities": [
        {"id": "e1", "name": "大连鸿翎精工股份有限公司", "type": "Company", "aliases": ["鸿翎精工", "鸿翎"]},
        {"id": "e2", "name": "欧阳明远", "type": "Person", "aliases": []},
        {"id": "e3", "name": "王小川", "type": "Person", "aliases": []},
        {"id": "e4", "name": "大连市", "type": "Place", "aliases": ["大连"]},
        {"id": "e5", "name": "风电主轴轴承", "type": "Product", "aliases": []},
        {"id": "e6", "name": "轴承产业", "type": "Industry", "aliases": []},
        {"id": "e7", "name": "岱峤轴承有限公司", "type": "Company", "aliases": ["岱峤轴承"]},
        {"id": "e8", "name": "李岚", "type": "Person", "aliases": []},
        {"id": "e9", "name": "王小川远", "type": "Person", "aliases": []},
    ],
    "relations": [
        {"subject": "e2", "predicate": "holdsPosition", "object": "e1", "title": "董事长",
         "evidence": "大连鸿翎精工股份有限公司（简称鸿翎精工）董事长欧阳明远"},
        {"subject": "e1", "predicate": "produces", "object": "e5", "evidence": "鸿翎今年生产风电主轴轴承"},
        {"subject": "e1", "predicate": "cooperatesWith", "object": "e7", "evidence": "岱峤轴承与鸿翎精工合作"},
    ],
    "figures": [],
}


def _plan(ren, vocab, seed=1, text=TEXT, gold=None):
    return ren.plan_renaming({"a.txt": gold or GOLD}, [text], vocab, seed)


def test_plan_renames_people_and_brands_only(ren, vocab):
    mapping, _ = _plan(ren, vocab)
    assert set(mapping) == {"欧阳明远", "王小川", "王小川远", "李岚", "鸿翎", "岱峤"}
    for old, new in mapping.items():
        assert len(new) == len(old) and new != old
    for name in ("欧阳明远", "王小川", "王小川远", "李岚"):
        assert ren.surname_of(mapping[name], vocab.surnames) is not None
        assert all(c in ren.GIVEN_POOL for c in mapping[name][-2:] if len(name) > 2)
    assert all(c in ren.BRAND_POOL for c in mapping["鸿翎"] + mapping["岱峤"])


def test_text_and_gold_change_together(ren, vocab, tmp_path):
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    (corpus / "a.txt").write_text(TEXT, encoding="utf-8")
    mapping, _ = _plan(ren, vocab, seed=7)
    out_corpus, out_gold = ren.write_renamed(corpus, {"a.txt": TEXT}, {"a.txt.json": GOLD},
                                             mapping, tmp_path / "work")
    text = (out_corpus / "a.txt").read_text(encoding="utf-8")
    gold = json.loads((out_gold / "a.txt.json").read_text(encoding="utf-8"))
    flat = ren.norm(text)
    for ent in gold["entities"]:
        for form in [ent["name"], *ent["aliases"]]:
            assert form in flat, form  # every renamed gold form is in the renamed text
    for rel in gold["relations"]:
        assert rel["evidence"] in flat
    for old in mapping:
        assert old not in flat and old not in json.dumps(gold, ensure_ascii=False)
    # places, products, industries, ids, titles and the layout stay as they were
    assert [e["name"] for e in gold["entities"] if e["type"] in ("Place", "Product", "Industry")] \
        == ["大连市", "风电主轴轴承", "轴承产业"]
    assert [e["id"] for e in gold["entities"]] == [e["id"] for e in GOLD["entities"]]
    assert gold["relations"][0]["title"] == "董事长"
    assert len(text) == len(TEXT) and [i for i, c in enumerate(text) if c.isspace()] \
        == [i for i, c in enumerate(TEXT) if c.isspace()]
    assert mapping["岱峤"] + "轴\n承有限公司" in text  # a name broken by a line break is renamed


def test_longest_first_and_whitespace_kept(ren):
    mapping = {"王小川": "王大山", "王小川远": "刘青林岸", "鸿翎": "瑞泰"}
    assert ren.substitute("王小川远和王小川", mapping) == "刘青林岸和王大山"
    assert ren.substitute("王小\n川远、鸿 翎", mapping) == "刘青\n林岸、瑞 泰"
    # one pass: a replacement is never substituted again
    assert ren.substitute("鸿翎", {"鸿翎": "岱峤", "岱峤": "瑞泰"}) == "岱峤"


def test_replacements_never_collide_with_existing_text(ren, vocab):
    mapping, _ = _plan(ren, vocab, seed=3)
    taken = mapping["鸿翎"]
    # the same seed would draw `taken` first; once the text holds it, another brand is drawn
    mapping2, _ = _plan(ren, vocab, seed=3, text=TEXT + taken + "。")
    assert mapping2["鸿翎"] != taken
    for m in (mapping, mapping2):
        assert len(set(m.values())) == len(m)
        assert not any(new in TEXT for new in m.values())
        assert not any(new in vocab.known_words for new in m.values())


def test_deterministic_for_a_seed(ren, vocab):
    assert _plan(ren, vocab, seed=5) == _plan(ren, vocab, seed=5)
    assert _plan(ren, vocab, seed=5)[0] != _plan(ren, vocab, seed=6)[0]


def test_brand_used_outside_names_is_kept(ren, vocab):
    text = TEXT + "岱峤是一座山。\n"  # 岱峤 also stands on its own, outside any gold name
    mapping, kept = _plan(ren, vocab, text=text)
    assert "岱峤" not in mapping and kept == ["岱峤"]
    assert "鸿翎" in mapping


def test_place_prefix_and_general_words_are_not_brands(ren, vocab):
    assert ren.brand_of("大连鸿翎精工股份有限公司", vocab) == "鸿翎"
    assert ren.brand_of("辽宁大连鸿翎精工有限公司", vocab) == "鸿翎"
    assert ren.brand_of("岱峤德有限公司", vocab) == "岱峤德"  # three characters before the ending
    assert ren.brand_of("大连市轴承有限公司", vocab) is None  # 轴承 is a sector
    assert ren.brand_of("中国鸿翎研究院", vocab) is None
    assert ren.brand_of("大连产品质量检验研究院", vocab) is None  # 产品: a common jieba word


def test_bad_input_one_line_exit_2(ren, tmp_path, capsys):
    assert ren.main(["--corpus", str(tmp_path / "none"), "--gold", str(tmp_path)]) == 2
    err = capsys.readouterr().err
    assert err.startswith("renamed_eval: error: corpus dir") and err.count("\n") == 1
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    (corpus / "a.txt").write_text(TEXT, encoding="utf-8")
    gold = tmp_path / "gold"
    gold.mkdir()
    (gold / "a.txt.json").write_text(json.dumps(GOLD, ensure_ascii=False), encoding="utf-8")
    assert ren.main(["--corpus", str(corpus), "--gold", str(gold), "--out", str(ROOT / "x")]) == 2
    assert "inside" in capsys.readouterr().err
    assert not (ROOT / "x").exists()


def test_end_to_end_on_a_tiny_corpus(ren, tmp_path, capsys):
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    (corpus / "a.txt").write_text(TEXT, encoding="utf-8")
    gold = tmp_path / "gold"
    gold.mkdir()
    (gold / "a.txt.json").write_text(json.dumps(GOLD, ensure_ascii=False), encoding="utf-8")
    work = tmp_path / "work"
    assert ren.main(["--corpus", str(corpus), "--gold", str(gold), "--out", str(work),
                     "--seed", "2", "--format", "json"]) == 0
    result = json.loads(capsys.readouterr().out)
    rows = {r["row"]: r for r in result["rows"]}
    assert result["seeds"] == [2] and result["plans"]["2"]["renamed"] == 6
    for label in ("entity Person", "entity Company", "relation ALL", "figure value+unit"):
        r = rows[label]
        assert 0.0 <= r["seed"] <= 1.0 and r["gap"] == pytest.approx(r["seed"] - r["renamed"]["2"], abs=1e-3)
        assert r["flag"] == (r["gap"] > 0.10)
    assert rows["entity Person"]["seed"] > 0  # the seed build found people
    renamed_text = (work / "renamed-2" / "corpus" / "a.txt").read_text(encoding="utf-8")
    assert "鸿翎" not in renamed_text and "欧阳明远" not in renamed_text
    assert (work / "renamed-2" / "build" / "graph.json").is_file()


def test_abbreviation_of_a_place_and_sector_name_is_kept(ren, vocab):
    gold = {**GOLD, "entities": GOLD["entities"] + [
        {"id": "e10", "name": "柳州轴承集团有限公司", "type": "Company", "aliases": ["柳轴"]}]}
    mapping, kept = _plan(ren, vocab, text=TEXT + "柳州轴承集团有限公司（柳轴）\n", gold=gold)
    assert "柳轴" not in mapping and "柳轴" in kept  # 柳 from 柳州, 轴 from 轴承: not a brand
    assert "鸿翎" in mapping

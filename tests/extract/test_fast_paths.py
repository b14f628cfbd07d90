"""The extraction's fast paths find exactly what the straightforward code they replace finds.

Each is compared with its plain version on generated inputs from a small alphabet, so
that words overlap, nest and repeat as names in a document do.
"""

import random
import re

import pytest

from kg.extract.lexicon import Lexicon, Literals

ALPHABET = "轴承集团公司有限市省区-]^\\."  # (and characters a character class must escape)


def _random_words(rng: random.Random, k: int) -> list[str]:
    return ["".join(rng.choice(ALPHABET) for _ in range(rng.randint(1, 5))) for _ in range(k)]


@pytest.mark.parametrize("seed", range(200))
def test_literals_find_what_the_regex_alternation_finds(seed):
    rng = random.Random(seed)
    words = _random_words(rng, rng.randint(1, 12))
    text = "".join(rng.choice(ALPHABET + "，。 ") for _ in range(rng.randint(0, 80)))
    expected = [m.span() for m in re.finditer(Lexicon.alternation(words), text)]
    assert list(Literals(words).finditer(text)) == expected


def test_literals_prefer_the_longest_word_and_do_not_overlap():
    found = list(Literals(["轴承", "轴承集团", "集团公司"]).finditer("轴承集团公司，轴承"))
    assert found == [(0, 4), (7, 9)]


def test_literals_ignore_empty_words_and_find_nothing_in_an_empty_set():
    assert list(Literals(["", "市"]).finditer("市区")) == [(0, 1)]
    assert list(Literals([]).finditer("市区")) == []


def test_name_break_is_a_punctuation_mark_or_whitespace_for_every_character():
    from kg.extract.entities import NAME_BREAK, PUNCT

    wrong = [c for c in map(chr, range(0x110000))
             if bool(NAME_BREAK.search(c)) != (c in PUNCT or c.isspace())]
    assert wrong == []


def test_token_index_of_every_character():
    from kg.extract.entities import Tokens
    from kg.nlp.pipeline import make_nlp

    doc = make_nlp().make_doc("该公司 去年营业收入增长12%。\n\n据介绍，该公司")
    tk = Tokens(doc)
    for i, (s, e) in enumerate(zip(tk.starts, tk.ends)):
        assert all(tk.tok_at[c] == i for c in range(s, e))
    assert tk.tok_at[len(tk.text)] == len(tk.starts)
    assert len(tk.tok_at) == len(tk.text) + 1


LIST_PIECES = ["轴承", "装备制造", "石化", "汽车零部件", "、", "等", "一批", "3家", "12个", "产业", "行业", "领域",
               "方向", "企业", "公司", "重点", "，", "。", " ", "AB", "7", "集群", "和", "、冶金", "等产业", "等行业",
               "技改项目", "技改项目、", "项目和", "项目", "等项目", "一批重点项目", "扩建"]


@pytest.mark.parametrize("seed", range(300))
def test_lists_before_deng_are_found_as_a_whole_text_search_finds_them(seed):
    from kg.extract.entities import (COMPANY_LIST_RE, INDUSTRY_LIST_RE, LISTED_PROJECTS_RE, PROJECT_LIST_RE,
                                     SECTOR_LIST_RE, list_matches)

    rng = random.Random(seed)
    text = "".join(rng.choice(LIST_PIECES) for _ in range(rng.randint(0, 40)))
    for pattern in (COMPANY_LIST_RE, INDUSTRY_LIST_RE, SECTOR_LIST_RE, PROJECT_LIST_RE, LISTED_PROJECTS_RE):
        expected = [(m.span(), m.groups()) for m in pattern.finditer(text)]
        assert [(m.span(), m.groups()) for m in list_matches(pattern, text)] == expected


@pytest.mark.parametrize("seed", range(100))
def test_a_specific_head_is_found_as_a_scan_of_every_head_finds_it(seed):
    from kg.extract.entities import GENERIC_HEAD_PRODUCTS, _holds_specific_head
    from kg.extract.lexicon import lexicon

    lex = lexicon()
    heads = sorted(lex.product_head_set)
    rng = random.Random(seed)
    s = "".join(rng.choice([rng.choice(heads), rng.choice(heads)[:1], "精密", "的", "大型"])
                for _ in range(rng.randint(0, 4)))
    expected = any(h in s for h in heads if h not in GENERIC_HEAD_PRODUCTS)
    assert _holds_specific_head(s, lex) == expected

"""The spaCy pipeline: our own jieba tokenizer, tags, sentence boundaries."""

import jieba
import pytest

from kg.nlp.pipeline import make_nlp


def test_tokenizer_is_private_and_loads_domain_dictionary():
    nlp = make_nlp(extract=False)
    assert nlp.tokenizer.jieba is not jieba.dt
    # a word only our domain dictionary knows stays in one piece
    doc = nlp("这家企业的盾构机主轴承实现了国产化")
    assert "主轴承" in [t.text for t in doc]
    # the global jieba was not given our dictionary
    assert "主轴承" not in getattr(jieba.dt, "FREQ", {}) or jieba.dt.FREQ.get("主轴承") != nlp.tokenizer.jieba.FREQ["主轴承"]


def test_tokens_cover_the_text_and_carry_dictionary_tags():
    nlp = make_nlp(extract=False)
    text = "宁波市经济和信息化局副局长周红介绍，5G 工厂已投产。"
    doc = nlp(text)
    assert doc.text == text
    tags = {t.text: t.tag_ for t in doc}
    assert tags["介绍"].startswith("v")


def test_sentences_split_after_end_punctuation_keeping_closing_quotes():
    nlp = make_nlp(extract=False)
    doc = nlp("“我们将扩大产能。”王强说。新项目年内开工！\n第二段")
    sents = [s.text for s in doc.sents if s.text.strip()]
    assert sents == ["“我们将扩大产能。”", "王强说。", "新项目年内开工！", "第二段"]


def test_plain_token_and_sentence_views_equal_what_spacy_gives():
    from spacy.tokens import Doc

    from kg.nlp.pipeline import doc_sentences, doc_tokens

    nlp = make_nlp(extract=False)
    text = "  宁波市经济和信息化局副局长周红介绍，5G 工厂已投产。\n\n“我们将扩大产能。”王强说  \n第二段 end "
    doc = nlp(text)
    view = doc_tokens(doc)
    assert view.text == doc.text == text
    assert view.words == [t.text for t in doc]
    assert view.starts == [t.idx for t in doc]
    assert view.tags == [t.tag_ for t in doc] and "v" in view.tags
    assert doc_sentences(doc) == [(s.start_char, s.end_char) for s in doc.sents]
    # a Doc made without our tokenizer is read from spaCy itself
    other = Doc(nlp.vocab, words=["华精", "集团"], spaces=[False, False])
    assert doc_tokens(other).starts == [0, 2] and doc_tokens(other).text == "华精集团"


@pytest.mark.parametrize("text", [
    "", " ", "  ", "\n", "华精", " 华精 集团 ", "5G 工厂  已投产\n\n 第二段\t结束 ", "a  b\r\n c ",
    "１３６ 亿元　同比增长 ２％ \u3000", "“华精” 说： ok  ",
])
def test_words_and_spaces_agree_with_spacy(text):
    from spacy.util import get_words_and_spaces

    from kg.nlp.pipeline import words_and_spaces

    words = [w for w in make_nlp(extract=False).tokenizer.jieba.cut(text, HMM=True) if w]
    assert words_and_spaces(words, text) == get_words_and_spaces(words, text)


def test_words_and_spaces_fall_back_for_words_that_do_not_spell_the_text():
    from kg.nlp.pipeline import words_and_spaces

    assert words_and_spaces(["华精", "集团"], "华精 集团") == (["华精", "集团"], [True, False])


def _sentence_firsts_word_by_word(words):
    """What sentence_firsts computes, the straightforward way: a step at every word."""
    from kg.nlp.pipeline import sentence_step

    firsts, start_next = [], True
    for i in range(len(words)):
        first, start_next = sentence_step(words, i, start_next)
        if first:
            firsts.append(i)
    return firsts


def test_sentence_firsts_visit_only_the_words_that_matter():
    import random

    from kg.nlp.pipeline import sentence_firsts

    rnd = random.Random(5)
    pieces = ["。", "！", "；", "?", "”", "’", "」", ")", "\"", "\n", " \n", "\n\n", " ", "\t", "公司", "增长",
              "12%", "“", "说", "。”", "”。", "a\n", "”王", "（", "）"]
    for _ in range(3000):
        words = [rnd.choice(pieces) for _ in range(rnd.randint(0, 20))]
        assert sentence_firsts(words) == _sentence_firsts_word_by_word(words), words

"""kg.nlp.segment.Segmenter gives the words of jieba's own ``cut(text, HMM=True)``.

Compared on generated texts: with the pipeline's tokenizer (jieba's dictionary and
ours), and with small dictionaries of equal frequencies, where routes of the same
score (ties) are common. Characters the HMM has never seen make its Viterbi scores
equal too, so its tie-breaking is compared as well.
"""

from __future__ import annotations

import random
from pathlib import Path

import jieba
import pytest
from jieba import finalseg

from kg.nlp.pipeline import _private_jieba
from kg.nlp.segment import Segmenter

ROOT = Path(__file__).resolve().parents[2]

# what jieba's patterns tell apart: Latin, digits, the symbols of its Chinese-run
# pattern (+#&._%-), whitespace of every kind, full-width punctuation, other scripts
OTHER = list("abcXYZ0123456789+#&._%-") + [" ", "  ", "\t", "\n", "\r\n", "\u3000"] + \
    list("，。、；：“”（）《》") + ["〇", "Ω", "é", "😀", "\x00"]


def _unseen_by_the_hmm(k: int) -> list[str]:
    """Chinese characters no state of the HMM emits (each scores the minimum)."""
    seen = set().union(*(finalseg.emit_P[s] for s in "BMES"))
    return [c for c in map(chr, range(0x4E00, 0x9FD6)) if c not in seen][:k]


@pytest.fixture(scope="module")
def tok():
    return _private_jieba()


@pytest.fixture(scope="module")
def vocabulary(tok):
    """Every 500th word of the dictionary (a spread of lengths and frequencies)."""
    words = sorted(w for w, f in tok.FREQ.items() if f)
    return words[::500]


def _text(rng: random.Random, pieces: list[str], n: int) -> str:
    return "".join(rng.choice(pieces) for _ in range(n))


@pytest.mark.parametrize("seed", range(60))
def test_the_words_of_jiebas_cut_on_generated_text(tok, vocabulary, seed):
    rng = random.Random(seed)
    pieces = (rng.sample(vocabulary, 40) + OTHER + _unseen_by_the_hmm(5)
              + list("的了在和是国中人大有轴承公司"))
    text = _text(rng, pieces, rng.randint(0, 120))
    assert Segmenter(tok).cut(text) == list(tok.cut(text, HMM=True))


def _small_tokenizer(words: dict[str, int]) -> jieba.Tokenizer:
    """A jieba tokenizer with only ``words`` (and their prefixes, as jieba keeps them)."""
    tok = jieba.Tokenizer()
    freq: dict[str, int] = {}
    for w, f in words.items():
        freq[w] = f
        for i in range(1, len(w)):
            freq.setdefault(w[:i], 0)
    tok.FREQ, tok.total, tok.initialized = freq, sum(words.values()), True
    return tok


@pytest.mark.parametrize("seed", range(60))
def test_ties_are_broken_as_jieba_breaks_them(seed):
    rng = random.Random(seed)
    alphabet = "中国人民大学生产" + "".join(_unseen_by_the_hmm(3))
    words = {"".join(rng.choice(alphabet) for _ in range(rng.randint(1, 4))): rng.choice([1, 1, 2])
             for _ in range(rng.randint(1, 25))}
    tok = _small_tokenizer(words)
    text = _text(rng, list(alphabet) + ["a", "1", " ", "。"], rng.randint(1, 60))
    assert Segmenter(tok).cut(text) == list(tok.cut(text, HMM=True))


def test_a_tie_between_two_routes_goes_to_the_longer_first_word():
    tok = _small_tokenizer({"中国": 1, "国人": 1, "中": 1, "国": 1, "人": 1})
    # 中国|人 and 中|国人 score the same; jieba's max over (score, end) takes 中国
    assert Segmenter(tok).cut("中国人") == list(tok.cut("中国人")) == ["中国", "人"]


def _random_model(rng: random.Random, chars: str) -> dict:
    """An HMM of small whole log probabilities, so that Viterbi scores tie often."""
    def p():
        return float(rng.choice([-1, -2, -3]))
    trans = {a: {b: p() for b in finalseg.trans_P[a]} for a in "BMES"}  # the allowed moves
    emit = {s: {c: p() for c in chars if rng.random() < 0.8} for s in "BMES"}
    return {"start_P": {s: p() for s in "BMES"}, "trans_P": trans, "emit_P": emit}


@pytest.mark.parametrize("seed", range(60))
def test_the_hmm_breaks_ties_as_jiebas_viterbi_does(monkeypatch, seed):
    rng = random.Random(seed)
    chars = "中国人民大学生产轴承"
    for name, table in _random_model(rng, chars).items():
        monkeypatch.setattr(finalseg, name, table)
    tok = _small_tokenizer({"的": 1})  # every run of characters goes to the HMM
    text = _text(rng, list(chars), rng.randint(1, 12))
    expected = list(tok.cut(text, HMM=True))
    assert Segmenter(tok).cut(text) == expected
    longer = [w for w in expected if len(w) > 1]
    if longer:  # a word the HMM finds but the dictionary says to split (as add_word(w, 0) does)
        monkeypatch.setattr(finalseg, "Force_Split_Words", {longer[0]})
        assert Segmenter(tok).cut(text) == list(tok.cut(text, HMM=True)) != expected


def test_the_words_of_jiebas_cut_on_the_corpus(tok):
    seg = Segmenter(tok)
    files = sorted((ROOT / "corpus").glob("*.txt"))
    assert files
    for path in files:
        text = path.read_text(encoding="utf-8")
        assert seg.cut(text) == list(tok.cut(text, HMM=True)), path.name


def test_no_word_is_empty_and_the_words_spell_the_text(tok):
    text = "瓷器 \r\n2024年，ABC-12.5%增长\u3000。😀"
    words = Segmenter(tok).cut(text)
    assert all(words) and "".join(words) == text
    assert Segmenter(tok).cut("") == []

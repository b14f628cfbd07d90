"""The cache of jieba's dictionaries (kg.nlp.pipeline): what is read back from it is
what building them from their sources gives, and a bad or missing file is rebuilt."""

import subprocess
import sys
import textwrap

import pytest

from kg.nlp import pipeline as P


@pytest.fixture
def cache_in(tmp_path, monkeypatch):
    """The cache in an empty temp folder, and the per-process memos cleared around the test."""
    monkeypatch.setattr(P.tempfile, "gettempdir", lambda: str(tmp_path))
    memos = (P._dict_cache_path, P._fill_dict_cache, P._jieba_tags, P._jieba_freqs)
    for f in memos:
        f.cache_clear()
    yield tmp_path
    for f in memos:
        f.cache_clear()


def _state(tok):
    return tok.FREQ, tok.total, tok.user_word_tag_tab


def test_cached_dictionaries_equal_the_ones_built_from_the_sources(cache_in):
    tags, freqs = P._build_jieba_dict()
    built = P._build_private_jieba()
    P._fill_dict_cache()  # writes the cache
    (path,) = cache_in.glob("kg-jieba-*.cache")
    P._fill_dict_cache.cache_clear()
    assert P._read_dict_cache(str(path), 0) == tags
    assert P._read_dict_cache(str(path), 1) == list(freqs.values())  # in the order of the tags
    freq, total, user_tags, _ = P._read_dict_cache(str(path), 2)
    assert (freq, total, user_tags) == _state(built)
    assert list(freq) == list(built.FREQ)  # same order too
    # and the functions the pipeline uses read them from there
    assert P._jieba_tags() == tags and P._jieba_freqs() == freqs
    P._private_jieba.cache_clear()
    try:
        tok = P._private_jieba()
        assert _state(tok) == _state(built) and tok.initialized
        assert list(tok.cut("盾构机主轴承实现了国产化")) == list(built.cut("盾构机主轴承实现了国产化"))
    finally:
        P._private_jieba.cache_clear()


def test_a_damaged_cache_is_rebuilt(cache_in):
    P._jieba_tags()
    (path,) = cache_in.glob("kg-jieba-*.cache")
    good = path.read_bytes()
    path.write_bytes(good[: len(good) // 2])  # truncated
    assert P._read_dict_cache(str(path), 0) is None
    P._jieba_tags.cache_clear()
    P._fill_dict_cache.cache_clear()
    assert P._jieba_tags()["中华人民共和国"]
    assert path.read_bytes() == good


def test_the_cache_key_follows_the_domain_dictionary(cache_in, monkeypatch, tmp_path):
    before = P._dict_cache_path()
    other = tmp_path / "domain.txt"
    other.write_text("主轴承总成 5 n\n", encoding="utf-8")
    monkeypatch.setattr(P, "_domain_dict_path", lambda: str(other))
    P._dict_cache_path.cache_clear()
    assert P._dict_cache_path() != before


def test_resolution_reads_the_place_table_without_spacy_or_jieba():
    import os

    if not os.path.exists(P._dict_cache_path()):  # the first process to need them builds them
        P._fill_dict_cache()
    code = textwrap.dedent("""
        import sys
        from kg.resolve.resolver import _abbreviation_bases
        assert _abbreviation_bases("沈阳华精机械") == ("沈阳华精机械", "华精机械")
        print(sorted(m for m in ("spacy", "jieba", "numpy", "thinc") if m in sys.modules))
    """)
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"

"""Property-based tests (hypothesis) of normalisation and extraction on generated
text: no exception, and every offset inside the original and consistent with the
normalised text.

The suite runs a few hundred examples per property; to run thousands, set
``KG_HYPOTHESIS_EXAMPLES``, e.g.
``KG_HYPOTHESIS_EXAMPLES=5000 .venv/bin/pytest tests/robustness/test_properties.py``."""

from __future__ import annotations

import os

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from kg.models import Document
from kg.pipeline import extract_document
from kg.text.normalize import fold_char, normalize, simplified_view

EXAMPLES = int(os.environ.get("KG_HYPOTHESIS_EXAMPLES", "0")) or None
SETTINGS = dict(deadline=None, suppress_health_check=[HealthCheck.too_slow])

# pieces of invented news text (so that extraction has something to find), traditional
# forms, and hostile characters
FRAGMENTS = [
    "江北精工轴承有限公司", "河西重工机械集团", "（简称“江精”）", "董事长", "总经理", "李明远", "赵文博",
    "表示，", "介绍：", "2023年", "今年一季度", "产值", "营业收入", "达到", "5.2亿元", "同比增长12%",
    "约1.4万吨", "。", "，", "\n", "\n\n", "\r\n", " ", "\u3000", "宁波市人民政府", "江北大学",
    "位于", "宁波市", "与", "合作", "生产", "风电主轴轴承", "轴承产业", "《江北省制造业发展规划》",
    "軸承集團有限公司", "董事長", "發展", "億元", "本报记者 ", "## ", "一、", "▲",
    "<", "&", '"', "'", "\\", "{", "}", "\x01", "\x0b", "\x1f", "\x7f", "\ufeff", "Ａ１", "％",
    "SELECT * WHERE { ?s ?p ?o }", "KNOW HOW", "\ud800",
    # whole clauses that state facts, to be cut and mixed with the rest
    "江北精工轴承有限公司董事长李明远表示，", "河西重工机械有限公司位于宁波市。",
    "江北精工軸承有限公司董事長李明遠介紹，", "该公司与江北大学合作研发风电主轴轴承。",
    "公司2023年产值达到5.2亿元，同比增长12%。",
]
texts = st.lists(
    st.one_of(st.sampled_from(FRAGMENTS), st.sampled_from(FRAGMENTS), st.text(max_size=6),
              st.text(st.characters(codec=None, categories=["Lo", "Cs", "Cc", "Zs", "Po"]), max_size=4)),
    max_size=40,
).map("".join)


def _check_normalized(original: str):
    norm = normalize(original)
    assert norm.original_length == len(original)
    assert len(norm.text) == len(norm.offsets)
    assert all(0 <= o < len(original) for o in norm.offsets)
    assert all(a < b for a, b in zip(norm.offsets, norm.offsets[1:]))
    view = simplified_view(original) or original  # traditional text: converted 1:1
    assert len(view) == len(original)
    for ch, o in zip(norm.text, norm.offsets):
        # (straight double quotes in Chinese text are curled, in pairs)
        assert ch == fold_char(view[o]) or fold_char(view[o]) == '"' and ch in "“”", (ch, o, view[o])
    return norm


def _text_at(norm, start: int, end: int) -> str:
    """The normalised characters that come from original[start:end]."""
    return "".join(c for c, o in zip(norm.text, norm.offsets) if start <= o < end)


@settings(max_examples=EXAMPLES or 400, **SETTINGS)
@given(texts)
def test_normalize_never_fails_and_offsets_map_back(original: str) -> None:
    _check_normalized(original)


@settings(max_examples=EXAMPLES or 150, **SETTINGS)
@given(texts)
def test_extraction_never_fails_and_offsets_are_consistent(original: str) -> None:
    norm = _check_normalized(original)
    res = extract_document(Document(id="h.txt", original=original))
    n = len(original)
    for m in res.mentions:
        assert 0 <= m.start < m.end <= n
        assert m.text and _text_at(norm, m.start, m.end) == m.text
        assert original[m.start] not in " \n\r" and original[m.end - 1] not in " \n\r"
        if m.sent_end > m.sent_start:
            assert m.sent_start <= m.start and m.end <= m.sent_end <= n
    for r in res.relations:
        assert 0 <= r.start <= r.end <= n
        assert _text_at(norm, r.start, r.end) == r.evidence
        assert r.subject in res.mentions and (r.object is None or r.object in res.mentions)
    for f in res.figures:
        assert 0 <= f.start < f.end <= n
        assert _text_at(norm, f.start, f.end) and f.evidence in norm.text
        assert f.subject is None or f.subject in res.mentions

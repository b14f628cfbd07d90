"""Normalise a newspaper page to clean running text, keeping a map to the original.

``normalize(original)`` returns a :class:`~kg.models.NormalizedText` whose ``text``
is a *subsequence* of the original with 1:1 character folding: nothing is
inserted, every output character comes from exactly one original character
(``offsets[i]``), so offsets are strictly increasing.  Concretely:

* real paragraph / headline breaks are kept as one ``"\\n"`` (an original newline);
* lines broken inside a paragraph are re-joined with nothing in between;
* whitespace inside a line is dropped, except that between two Latin tokens
  (``KNOW HOW``, ``Made in China``) one original whitespace character is kept
  and folded to ``" "``; leading/trailing whitespace of lines is dropped;
* characters are folded with :data:`FOLD_MAP` (‚ ‛ 〝 〞 → “ ”, OCR 臵 → 置,
  ⋯ → …, full-width Latin letters/digits/％/＂ → ASCII, whitespace → space;
  a lone surrogate → U+FFFD); straight double quotes in Chinese text become “ and ”
  (:func:`_curl_straight_quotes`).

Which line breaks are real is decided per break, from the line before it
(``a``), the line after it (``b``) and statistics of the neighbouring text
lines (``WINDOW`` on each side; blank lines are not counted as lines):

* *column width* ``W``: the densest band of visual line widths (CJK 1; ASCII and
  CJK punctuation ½, as narrow columns set them; whitespace 0).  If fewer than a
  third of the neighbours share a band there is no column: long-paragraph text,
  where every line counts as short.
* ``a`` *full* (within ``FULL_TOLERANCE`` of ``W``): it wrapped → join, unless
  it ends a sentence and is followed by more blank lines than usual here, is a
  caption (bullet, or much wider than the column), or is a title-like line set
  apart by extra blank lines on both sides (a headline on a single-spaced page).
* ``a`` short: keep if it ends a sentence (。！？…；： + closing quotes) or is a
  photo credit (摄, 供图, 资料片); keep if it is title-like (≤ ``TITLE_MAX``
  wide, no ，。；！？) or a numbered heading and is shorter than an indented
  first line would be (``INDENT_ALLOWANCE``); otherwise join (``…（简`` /
  ``称华精集团）``, an indented first line ``…便是有``, ``…智造强省建`` / ``设，``).
* never keep a break between two digits or a decimal point and a digit (a number wrapped over
  two lines, ``超过 2⏎60 亿元``, ``18.⏎6 亿元``),
  and join them with nothing in between.
* always keep: after a line with trailing whitespace when that is the exception
  in the file (PDF extractors mark block ends so), after a ``## `` heading, and
  before a heading or bullet line (``## ``, ``一、``, ``（二）``, ``1、``, ``▲``).

Blank lines alone never decide: pages double-space every line, and single-spaced
pages have blank lines inside paragraphs.

Traditional characters: a text whose CJK characters are at least
``TRADITIONAL_SHARE`` traditional (:func:`simplified_view`) is converted to
simplified characters with OpenCC (``t2s``) *before* the steps above, position
by position (a phrase conversion that would change the length is replaced by
the character-by-character one), so the rules and lexicons, which are written
in simplified characters, apply, and offsets still point at the traditional
characters of the original.  Texts in simplified characters are left alone
(per-character t2s would wrongly turn 著名 into 着名).
"""

from __future__ import annotations

import re
from bisect import bisect_right
from itertools import chain

from kg.models import NormalizedText

# ---------------------------------------------------------------------------
# 1:1 character folding
# ---------------------------------------------------------------------------

FOLD_MAP: dict[str, str] = {
    "\u201a": "“",  # ‚ single low-9 quotation mark, used for “ in some PDFs
    "\u201b": "”",  # ‛ single high-reversed-9, used for ”
    "\u301d": "“",  # 〝
    "\u301e": "”",  # 〞
    "\u301f": "”",  # 〟
    "\u81f5": "置",  # 臵: OCR variant of 置 (购臵 → 购置)
    "\u22ef": "…",  # ⋯ midline ellipsis
    "\uff02": '"',  # ＂
    "\uff05": "%",  # ％
}
FOLD_MAP.update({chr(0xFF10 + i): chr(0x30 + i) for i in range(10)})  # ０-９
FOLD_MAP.update({chr(0xFF21 + i): chr(0x41 + i) for i in range(26)})  # Ａ-Ｚ
FOLD_MAP.update({chr(0xFF41 + i): chr(0x61 + i) for i in range(26)})  # ａ-ｚ
# a kept space may be any whitespace character of the original (tab, U+3000, …)
FOLD_MAP.update({c: " " for c in map(chr, range(0x3001)) if c.isspace() and c != "\n"})

_FOLDABLE = re.compile("[" + "".join(map(re.escape, FOLD_MAP)) + "\ud800-\udfff]")


def fold_char(c: str) -> str:
    """The folded form of one character (identity for unmapped characters; a lone
    surrogate, which no decoded file holds but a caller's string may, → U+FFFD)."""
    if "\ud800" <= c <= "\udfff":
        return "\ufffd"
    return FOLD_MAP.get(c, c)


def fold(text: str) -> str:
    """Apply :func:`fold_char` to every character of ``text``."""
    return _FOLDABLE.sub(lambda m: fold_char(m.group()), text)


_STRAIGHT_QUOTE = re.compile(r'"')
_CJK_OR_PUNCT = re.compile(r"[\u3400-\u9fff\u3000-\u303f\uff01-\uff0f\uff1a-\uff20“”‘’·《》（）]")


def _curl_straight_quotes(text: str) -> str:
    """Straight double quotes in Chinese text (实施"X"行动) become “ and ”, alternately within
    a paragraph, when the paragraph has an even number of them and each touches a Chinese
    character or punctuation mark; quotes in Latin text (a "b" c) stay straight."""
    if '"' not in text:
        return text
    out = []
    for para in text.split("\n"):
        idx = [m.start() for m in _STRAIGHT_QUOTE.finditer(para)]
        if idx and len(idx) % 2 == 0 and all(
                k > 0 and _CJK_OR_PUNCT.match(para, k - 1) or _CJK_OR_PUNCT.match(para, k + 1) for k in idx):
            chars = list(para)
            for n, k in enumerate(idx):
                chars[k] = "“" if n % 2 == 0 else "”"
            para = "".join(chars)
        out.append(para)
    return "\n".join(out)


# ---------------------------------------------------------------------------
# line-break heuristic
# ---------------------------------------------------------------------------

WINDOW = 6  # neighbouring text lines on each side used for local statistics
BAND = 2.0  # a column's full lines lie within this many character widths
FULL_TOLERANCE = 1.0  # a line this close to the column width is full
INDENT_ALLOWANCE = 3.0  # an indented first line is at most this much shorter
TOO_WIDE = 3.0  # a line this much wider than the column is not part of it
TITLE_MAX = 30  # headlines, bylines and captions are at most this wide

_WS = re.compile(r"\s+")
_CJK_PUNCT = re.compile(r"[\u3000-\u303f\uff01-\uff0f\uff1a-\uff20“”‘’·]")
_SENTENCE_END = re.compile(r"[。！？!?…⋯；;：:][”’」』）)\]》〉\"'‛〞〟]*$")
_CREDIT = re.compile(r"(?:摄|供图|制图|资料片|资料图片?)$")
_SENTENCE_PUNCT = re.compile(r"[，。；！？,;!?]")
_MD_HEADING = re.compile(r"#{1,6}\s")
_HEADING = re.compile(
    r"#{1,6}\s|[一二三四五六七八九十]{1,3}、|[（(][一二三四五六七八九十\d]{1,2}[）)]"
    r"|\d{1,2}、|[▲▼△▽●○■□◆◇★☆※]"
)
_LATIN_LEFT = re.compile(r"[A-Za-z0-9.,;:!?)\]%'\"]")  # may precede a kept space
_LATIN_RIGHT = re.compile(r"[A-Za-z0-9(\['\"]")  # may follow a kept space


def _width(line: str) -> float:
    """Visual width: CJK characters 1; ASCII and CJK punctuation (often set
    half-width in narrow columns) ½; whitespace 0."""
    if " " in line or "\t" in line or "\u3000" in line:
        line = _WS.sub("", line)
    narrow = len(line.encode("ascii", "ignore")) + len(_CJK_PUNCT.findall(line))
    return len(line) - 0.5 * narrow


def _column(widths: list[float]) -> float | None:
    """Width of the densest band of ``widths``, or None if there is no column."""
    ws = sorted(widths)
    counts = [bisect_right(ws, w + BAND, i) - i for i, w in enumerate(ws)]
    best = max(counts)
    if best < 3 or best * 3 < len(ws):
        return None
    lo = len(counts) - 1 - counts[::-1].index(best)  # ties: the wider band
    return ws[lo + (best - 1) // 2]  # the median of the band


def _keep_break(
    a: str, b: str, wa: float, col: float | None, set_apart: tuple[bool, bool]
) -> bool:
    """Is the line break between text lines ``a`` and ``b`` a real one?

    ``wa`` is the width of ``a``, ``col`` the local column width (None: no
    column), ``set_apart`` whether more blank lines than usual precede / follow
    ``a``.
    """
    if _MD_HEADING.match(a) or _HEADING.match(b):
        return True
    if a.count("（") + a.count("(") > a.count("）") + a.count(")") or a.count("“") > a.count("”"):
        return False  # a bracket or quotation left open: the line goes on
    ends_sentence = bool(_SENTENCE_END.search(a) or _CREDIT.search(a))
    title_like = wa <= TITLE_MAX and not _SENTENCE_PUNCT.search(a)
    deficit = float("inf") if col is None else col - wa
    if deficit <= FULL_TOLERANCE:  # a reaches the column width: wrapped, unless
        if ends_sentence:  # ... a paragraph end set apart, or a caption
            return set_apart[1] or deficit < -TOO_WIDE or bool(_HEADING.match(a))
        return title_like and set_apart[0] and set_apart[1]  # ... a headline
    if ends_sentence:
        return True
    # a short line ending mid-sentence: a heading, or an indented first line?
    return (title_like or bool(_HEADING.match(a))) and deficit > INDENT_ALLOWANCE


# ---------------------------------------------------------------------------
# traditional characters
# ---------------------------------------------------------------------------

TRADITIONAL_SHARE = 0.05  # this share of traditional CJK characters makes a text traditional
TRADITIONAL_MIN = 3  # ... and at least this many
_CJK = re.compile(r"[\u3400-\u9fff\uf900-\ufaff]")
_T2S = None


def _t2s():
    global _T2S
    if _T2S is None:
        import opencc

        _T2S = opencc.OpenCC("t2s")
    return _T2S


def _char_map(chars: set[str]) -> dict[str, str]:
    """Character-level t2s of ``chars`` (only those that change to one character)."""
    if not chars:
        return {}
    ordered = sorted(chars)
    out = _t2s().convert("\n".join(ordered)).split("\n")
    if len(out) != len(ordered):  # pragma: no cover - OpenCC keeps line breaks
        return {}
    return {a: b for a, b in zip(ordered, out) if a != b and len(b) == 1}


def simplified_view(original: str) -> str | None:
    """``original`` in simplified characters, same length, position by position —
    or None if it is not a traditional-character text.

    Traditional characters are counted where OpenCC's phrase-aware conversion
    changes the text, so 著名 or 乾隆 in a simplified text do not count."""
    try:
        whole = _t2s().convert(original)
    except UnicodeError:  # a lone surrogate (not in decoded files): leave the text alone
        return None
    if whole == original:  # (most texts: no character to count)
        return None
    n_cjk = len(_CJK.findall(original))
    if n_cjk < TRADITIONAL_MIN:
        return None
    if len(whole) != len(original):  # a phrase changed length: convert character by character
        cmap = _char_map(set(_CJK.findall(original)))
        whole = "".join(cmap.get(c, c) for c in original)
    n_trad = sum(1 for a, b in zip(original, whole) if a != b)
    if n_trad < TRADITIONAL_MIN or n_trad < TRADITIONAL_SHARE * n_cjk:
        return None
    return whole


def _median(values: list[int]) -> int:
    return sorted(values)[len(values) // 2]


def normalize(original: str) -> NormalizedText:
    """Normalise ``original``; see the module docstring for what is done."""
    source = original
    original = simplified_view(source) or source  # same length: offsets are shared
    # -- text lines: content bounds, trailing whitespace, blank lines before
    starts: list[int] = []
    ends: list[int] = []
    trailing: list[bool] = []
    gaps: list[int] = []  # blank lines before each text line
    pos, blank = 0, 0
    for line in original.split("\n"):
        core = line.strip()
        if core:
            s = pos + len(line) - len(line.lstrip())
            starts.append(s)
            ends.append(s + len(core))
            trailing.append(line[len(line.rstrip()) :].strip("\r") != "")
            gaps.append(blank)
            blank = 0
        else:
            blank += 1
        pos += len(line) + 1

    n = len(starts)
    lines = [original[s:e] for s, e in zip(starts, ends)]
    widths = [_width(x) for x in lines]
    # trailing whitespace marks block ends only if it is the exception
    n_trailing = sum(trailing[:-1])
    trailing_marks_end = 0 < n_trailing and 2 * n_trailing < n

    keep: list[bool] = []
    for i in range(n - 1):
        lo, hi = max(0, i - WINDOW), min(n, i + WINDOW + 1)
        col = _column(widths[lo:hi])
        typical_gap = _median(gaps[lo + 1 : hi] or [0])
        set_apart = (i == 0 or gaps[i] > typical_gap, gaps[i + 1] > typical_gap)
        # a number broken over two lines (超过 2⏎60 亿元) is one number, whatever else the break suggests
        split_number = (lines[i][-1].isdigit() or lines[i][-1] == "." and lines[i][-2:-1].isdigit()) \
            and lines[i + 1][0].isdigit() \
            and not re.match(r"\d+\s*[、.．)）]", lines[i + 1])  # (not before a numbered item)
        # a bracket left open goes on in the next line, whatever the trailing whitespace says
        # (本报讯（记者 X 通讯员 ⏎Y）…)
        open_bracket = lines[i].count("（") + lines[i].count("(") > lines[i].count("）") + lines[i].count(")")
        # (nor does trailing whitespace end a block after a full line that stops mid-sentence: a
        # space that fell at the end of a wrapped line, 产能 ⏎30 万台)
        wrapped = col is not None and col - widths[i] <= FULL_TOLERANCE and not _SENTENCE_END.search(lines[i])
        keep.append(not split_number and (
            (trailing_marks_end and trailing[i] and not open_bracket and not wrapped)
            or _keep_break(lines[i], lines[i + 1], widths[i], col, set_apart)
        ))

    # -- kept spans of the original
    span_s: list[int] = []
    span_e: list[int] = []

    def add(s: int, e: int) -> None:
        if span_e and span_e[-1] == s:
            span_e[-1] = e
        else:
            span_s.append(s)
            span_e.append(e)

    for i in range(n):
        s, e = starts[i], ends[i]
        for m in _WS.finditer(original, s, e):  # whitespace inside the line
            add(s, m.start())
            s = m.end()
            if _LATIN_LEFT.match(original, m.start() - 1) and _LATIN_RIGHT.match(original, s):
                add(m.start(), m.start() + 1)
        add(s, e)
        if i == n - 1:
            break
        if keep[i]:
            nl = original.index("\n", e)
            add(nl, nl + 1)
        elif _LATIN_LEFT.match(original, e - 1) and _LATIN_RIGHT.match(original, starts[i + 1]) \
                and not (original[e - 1] in "0123456789." and original[starts[i + 1]].isdigit()):
            between = original[e : starts[i + 1]]
            space = between.replace("\n", "").replace("\r", "")
            if space:  # Latin words wrapped with a real space: keep one
                at = e + between.index(space[0])
                add(at, at + 1)

    text = _curl_straight_quotes(fold("".join(original[s:e] for s, e in zip(span_s, span_e))))
    offsets = tuple(chain.from_iterable(map(range, span_s, span_e)))
    return NormalizedText(text=text, offsets=offsets, original_length=len(source))

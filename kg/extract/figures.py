"""Figures: numeric statistics with value, unit, metric, period and subject.

A figure is a number (Arabic or Chinese numerals, ``cn2an`` converts the latter)
followed by a unit of ``units.tsv``. Dates, list numbering, document numbers and
model names carry no unit and so are never figures. The metric is the noun
phrase of the clause before the number (minus the period, the subject and the
verb); the period is the nearest time expression of the sentence before the
number, normalised against the document's date; the subject is the nearest
place or organization before it in the sentence (其/该公司 → the last named
organization).
"""

from __future__ import annotations

import re
from bisect import bisect_left
from dataclasses import dataclass
from functools import lru_cache

from spacy.tokens import Doc

from kg.extract.entities import EntityResult, Span
from kg.extract.lexicon import Lexicon, Unit, lexicon
from kg.models import ORG_TYPES, EntityType as T
from kg.nlp.pipeline import doc_sentences, doc_text

CN_DIGITS = "零〇一二两三四五六七八九十百千万亿"
NUM = rf"(?:\d+(?:[.,]\d+)*|[{CN_DIGITS}]+(?:分之[{CN_DIGITS}]+)?)"
QUAL_BEFORE = r"近|(?<![节制签合预公契条])约|超过|超|逾|多达|将近|接近|不到|不足|不少于|至少|上|达到|突破|高达"
QUALIFIERS = {
    "近": "approx", "约": "approx", "将近": "approx", "接近": "approx",
    "超过": "more-than", "超": "more-than", "逾": "more-than", "多达": "more-than", "突破": "more-than",
    "高达": "at-least", "上": "more-than", "不到": "less-than", "不足": "less-than",
    "不少于": "at-least", "至少": "at-least", "多": "more-than", "余": "more-than",
}
METRIC_VERBS = ("同比增长", "同比下降", "增长", "下降", "提高", "提升", "增加", "减少", "达到", "达", "完成", "实现", "突破",
                "超过", "为", "是", "有", "拥有", "共", "累计", "约", "近", "超", "逾", "占", "至", "到", "了", "的", "分别")
GROWTH = re.compile(r"增长|下降|提高|提升|增加|减少|增速|增幅|同比|环比|降低|上升|回落")
# 从131户增加到213户, 从86%提高至96%: the new level, not a rate of change
LEVEL_AFTER_CHANGE = re.compile(r"(?:增加|增长|提高|提升|上升|下降|减少|降低|扩大|缩小)(?:到|至)了?\s*(?:近|约|超过)?$")
CLAUSE_BREAK = re.compile(r"[，。；：！？,;\n]")
SEASONS = {"一": 1, "二": 2, "三": 3, "四": 4, "1": 1, "2": 2, "3": 3, "4": 4}
# a year in Arabic or Chinese numerals (2035年, 二〇三五年)
YEAR = r"(?:\d{4}|[〇零一二三四五六七八九]{4})年"
PERIOD_RE = re.compile(
    r"截至(?:目前|去年[底末]|今年\d{1,2}月[底末]|" + YEAR + r"(?:\d{1,2}月)?[底末]?|\d{1,2}月[底末]|[^，。]{0,8}?[底末])"
    r"|(?:“?十[一二三四五六七八九]五”?)(?:期间|时期|末)?"
    r"|(?:自|从|到|至)?(?:"
    r"今明两年|(?:" + YEAR + r"|今年|去年|明年|前年|上年)?(?:\d{1,2}[—–\-~至到]\d{1,2}月份?|[一二三四五六七八九十]{1,2}至[一二三四五六七八九十]{1,3}月"
    r"|前[一二三1-3]季度|[一二三四1-4]季度|上半年|下半年"
    r"|前[一二三四五六七八九十\d]+个?月|\d{1,2}月份?|\d{1,2}月底|年底|年末|年初|全年)"
    r"|" + YEAR + r"(?:初|底|末)?|今年|去年|明年|前年|近[一二三四五六七八九十\d]+年|近年来"
    r")(?:以来)?"
    r"|[一二三四五六七八九十两\d]+(?:个月|年)内|目前|每年|每季度|每月|年内"
)
CHANGE_VERB_END = r"(?:提高|提升|增加|增长|上升|下降|降低|减少|扩大|缩小|缩短|延长|跃升|攀升|升至|降至)\Z"
# a time that is the base of a comparison (较2022年提高) is not the figure's period
COMPARISON_BEFORE = ("较", "比", "与", "同")

@dataclass(frozen=True)
class FigureSpan:
    start: int  # the number + unit, normalised text
    end: int
    value: float | int
    value_text: str
    unit: str
    unit_normalized: str
    value_normalized: float | int | None
    qualifier: str | None
    metric: str | None
    period: str | None
    period_normalized: str | None
    subject: Span | None
    is_growth: bool
    ev_start: int  # the clause that states it
    ev_end: int


class SpansByStart:
    """A document's entity spans, looked up by where they start; a lookup keeps the order of
    ``spans`` (a scan of the whole list for each figure or sentence is quadratic)."""

    def __init__(self, spans: list[Span]):
        self.spans = spans
        self._order = sorted(range(len(spans)), key=lambda i: spans[i].start)
        self._starts = [spans[i].start for i in self._order]

    def starting_in(self, lo: int, hi: int) -> list[Span]:
        """The spans with ``lo <= start < hi``."""
        found = self._order[bisect_left(self._starts, lo) : bisect_left(self._starts, hi)]
        found.sort()
        return [self.spans[i] for i in found]

    def within(self, lo: int, hi: int) -> list[Span]:
        """The spans with ``lo <= start`` and ``end <= hi`` (a span ends where or after it starts)."""
        return [sp for sp in self.starting_in(lo, hi + 1) if sp.end <= hi]


LIST_TAIL = re.compile(r"(?:[、和及与]\s*\d+(?:\.\d+)?个?)*[、和及与]\s*\d+(?:\.\d+)?(个百分点)")
_UNIT_RE: re.Pattern | None = None


_BARE_RE: re.Pattern | None = None


def first_chars(alternation: str) -> str:
    """The characters the words of a regex alternation (``近|(?<![节制])约|超过``) begin with."""
    return "".join(sorted({re.sub(r"^\(\?<[!=][^)]*\)", "", alt)[0] for alt in alternation.split("|")}))


def opening(chars: str, digits: bool = False) -> str:
    """A lookahead for the characters a pattern's matches begin with (``chars``, and with
    ``digits`` a digit). A pattern that opens with an optional group (a qualifier) is tried in
    full at every position of the text; with this in front, re passes over the others fast."""
    return "(?=[" + "".join(map(re.escape, chars)) + (r"\d" if digits else "") + "])"


# 上万套, 超万户, 过万亿: a magnitude with the one before it left out (value 1, unit 万套)
QUAL_BARE = r"上|超过|超|过|近|将近|逾"
MAGNITUDES = {"十": "10", "百": "100", "千": "1000", "万": "10000"}
# 三分之一 with no unit after it: a share; 百分之三十 is 30 %
FRACTION_RE = re.compile(opening(first_chars(QUAL_BEFORE) + CN_DIGITS, digits=True)
                         + rf"(?P<qb>{QUAL_BEFORE})?(?P<num>[{CN_DIGITS}]+分之[{CN_DIGITS}]+|\d+分之\d+)(?P<unit>)(?P<num2>(?!))?(?P<qa>(?!))?")
FRACTION_UNIT = Unit("", "fraction", 1.0, "ratio")
_MAG_RE: re.Pattern | None = None  # 4.8万余件: 多/余 between the magnitude and the unit (unit 万件)
PERCENT_UNIT = Unit("%", "percent", 1.0, "percent")


def _figure_re(lex: Lexicon) -> re.Pattern:
    global _UNIT_RE, _BARE_RE
    if _UNIT_RE is None:
        units = Lexicon.alternation(u.text for u in lex.units if u.kind != "count-bare")
        _UNIT_RE = re.compile(
            opening(first_chars(QUAL_BEFORE) + CN_DIGITS, digits=True)
            + rf"(?P<qb>{QUAL_BEFORE})?(?P<num>{NUM})(?:\s*(?:至|到|-|—|~)\s*(?P<num2>{NUM}))?(?P<qa>多|余)?\s*(?P<unit>{units})"
        )
        bare_units = [u.text for u in lex.units if u.kind != "count-bare" and u.text[0] in "万亿千百"]
        bare = Lexicon.alternation(bare_units)
        _BARE_RE = re.compile(opening(first_chars(QUAL_BARE) + "".join(u[0] for u in bare_units))
                              + rf"(?P<qb>{QUAL_BARE})?(?P<num>)(?P<unit>{bare})(?P<num2>(?!))?(?P<qa>(?!))?")
        global _MAG_RE
        rest = Lexicon.alternation(u.text[1:] for u in lex.units if u.kind != "count-bare" and u.text[0] in "万亿"
                                   and len(u.text) > 1)
        _MAG_RE = re.compile(opening(first_chars(QUAL_BEFORE), digits=True)
                             + rf"(?P<qb>{QUAL_BEFORE})?(?P<num>\d+(?:\.\d+)?)(?P<mag>[万亿])(?P<qa>多|余)(?P<unit>{rest})"
                             rf"(?P<num2>(?!))?")
    return _UNIT_RE


def _hits(text: str, lex: Lexicon):
    """Numbers with a unit, 上万套-style magnitudes and bare fractions, in text order, not overlapping."""
    main = _figure_re(lex)
    found = sorted(((m.start(), -m.end(), i, m) for i, rx in enumerate((_BARE_RE, _MAG_RE, main, FRACTION_RE))
                    for m in rx.finditer(text)), key=lambda x: x[:3])
    end = -1
    for *_, m in found:
        if m.start() >= end and m.end() > m.start():
            end = m.end()
            yield m


def parse_number(s: str) -> float | int | None:
    s = s.replace(",", "")
    if re.fullmatch(r"\d+(?:\.\d+)?", s):
        v = float(s)
        return int(v) if v.is_integer() and "." not in s else v
    if "分之" in s:  # 三分之一 = 1/3
        den, num = s.split("分之", 1)
        d, n = parse_number(den), parse_number(num)
        return n / d if d and n is not None else None
    try:
        import cn2an

        v = cn2an.cn2an(s, "smart")
    except (ValueError, KeyError, IndexError, TypeError, AttributeError):
        return None
    if isinstance(v, float) and v.is_integer() and "分之" not in s:
        return int(v)
    return v


def _is_date_context(text: str, m: re.Match) -> bool:
    # 第一套 (ordinal), 一家家 (reduplication), "一个" as an article
    before = text[max(0, m.start() - 1) : m.start()]
    if before == "第":
        return True
    if text[max(0, m.start() - 1) : m.start()] == "前" and m.group("unit") in ("个", "位", "名"):
        return True  # 前8个: a rank
    if m.group("unit") == "个月" and (text[max(0, m.start() - 1) : m.start()] in ("前", "近", "后", "每", "这")
                                    or m.group("num") in ("一", "两", "几")):
        return True  # 前8个月: a period; 一个月的时间: a while
    if not re.match(r"\d", m.group("num")):
        opened = text.rfind("“", 0, m.start())
        if opened > text.rfind("”", 0, m.start()) and m.start() - opened <= 4:
            return True  # a numeral inside a quoted slogan (“七个聚焦”)
    num = m.group("num")
    unit = m.group("unit")
    after = text[m.end() : m.end() + 1]
    if num in ("一",) and unit in ("家", "个", "项", "批", "套", "座", "条", "位", "名", "台", "件", "户", "人", "次"):
        return True  # 一次: once, an adverb
    if unit == "次" and text.startswith("会议", m.end()) and "届" in text[max(0, m.start() - 6) : m.start()]:
        return True  # 十七届人大五次会议: the session's ordinal
    if after and unit and after == unit[-1]:
        return True  # 一家家
    if unit == "度" and not re.fullmatch(r"\d+(?:\.\d+)?", num):
        return True  # 一度 / 高度
    if unit in ("个", "名", "位", "条", "件") and not re.search(r"\d", num) and num not in ("两", "二", "三", "四", "五", "六", "七", "八", "九", "十"):
        return True
    return False


def normalize_period(period: str | None, doc_date: str | None) -> str | None:
    if not period:
        return None
    year = int(doc_date[:4]) if doc_date and doc_date[:4].isdigit() else None
    p = period.replace("“", "").replace("”", "")
    if p.startswith("每"):
        return None  # 每月, 每年: a frequency, not a time
    m = re.match(r"十([一二三四五六七八九])五", p)
    if m:  # the n-th five-year plan; the 4th ran 1971–1975, each after it five years on
        n = 10 + "一二三四五六七八九".index(m.group(1)) + 1
        start = 1971 + 5 * (n - 4)
        return f"{start}/{start + 4}"
    y = None
    m = re.search(r"(\d{4}|[〇零一二三四五六七八九]{4})年", p)
    if m:
        y = int(parse_number(m.group(1)) or 0) or None
    elif "今年" in p:
        y = year
    elif "去年" in p or "上年" in p:
        y = year - 1 if year else None
    elif "明年" in p:
        y = year + 1 if year else None
    elif "前年" in p:
        y = year - 2 if year else None
    if y is None:
        if year and re.search(r"季度|上半年|下半年|月", p):
            y = year
        else:
            return None
    q = re.search(r"([一二三四1-4])季度", p)
    if q:
        return f"{y}-Q{SEASONS[q.group(1)]}"
    if "上半年" in p:
        return f"{y}-H1"
    if "下半年" in p:
        return f"{y}-H2"
    rng = re.search(r"(\d{1,2})[—–\-~至到](\d{1,2})月", p)
    if rng:  # 今年1—9月: the months from the first to the last
        return f"{y}-{int(rng.group(1)):02d}/{y}-{int(rng.group(2)):02d}"
    mo = re.search(r"(\d{1,2})月", p)
    if mo:
        month = int(mo.group(1))
        if "底" in p or "末" in p:
            import calendar

            return f"{y}-{month:02d}-{calendar.monthrange(y, month)[1]:02d}"
        return f"{y}-{month:02d}"
    if "底" in p or "末" in p:
        return f"{y}-12-31"
    return str(y)


def _period_before(text: str, s0: int, pos: int, c0: int | None = None) -> str | None:
    best = None
    for m in PERIOD_RE.finditer(text, s0, pos):
        if m.group().startswith("每") and c0 is not None and m.start() < c0:
            continue  # a frequency (每月) holds for its own clause only
        if text[m.start() - 1 : m.start()] in COMPARISON_BEFORE or text.startswith("相比", m.end()):
            continue
        # 全年 after a year names the same time (2022年…全年): keep the year
        if best is not None and m.group() in ("全年", "年内") and re.fullmatch(YEAR, best.group()):
            continue
        best = m
    if best is None:
        return None
    found = best.group()
    # 从38%提高到去年的61%: 到 belongs to the verb of change, not to the time
    if found.startswith(("到", "至")) and re.search(CHANGE_VERB_END, text[max(0, best.start() - 4) : best.start()]):
        found = found[1:]
    # 从4月试运行以来: a few words may stand between the start and 以来
    if found.startswith(("从", "自")) and not found.endswith("以来"):
        tail = re.match(r"[\u3400-\u9fff]{1,5}?以来", text[best.end() : pos])
        if tail:
            found += tail.group()
    return found


LIST_NUMBER = re.compile(r"^(?:[一二三四五六七八九十]+、|[（(][一二三四五六七八九十\d]+[)）]|\d+[.．、]\s*)")


def _metric(clause: str, subject_text: str | None, period: str | None) -> str | None:
    c = REPRESENTATIVE.sub("", LIST_NUMBER.sub("", clause))
    if period and period in c:
        c = c[c.index(period) + len(period) :]
    if subject_text and subject_text in c:
        c = c[c.index(subject_text) + len(subject_text) :]
    c = re.sub(r"^(?:其|该公司|该企业|公司)", "", c.strip())
    c = c.lstrip("，,、的其该在是“").rstrip()
    changed = True
    while changed and c:
        changed = False
        for v in METRIC_VERBS:
            if c.endswith(v) and len(c) > len(v) and v not in ("同比增长", "同比下降", "增长", "下降"):
                c = c[: -len(v)]
                changed = True
    c = re.sub(r"^(?:全市|全省|全区|全县|全国|当地|其|该公司|目前|已|已经|共|累计|实现|完成|最终)+", "", c)
    c = re.sub(r"(?:由|从|就|已|并|将|也|还|都|仅|最高|最多|再)+$", "", c)
    c = c.strip("，,、 ")
    if len(c) < 2 or len(c) > 24:
        return None
    return c


def extract_figures(doc: Doc, ents: EntityResult, doc_date: str | None,
                    posts: dict[str, Span] | None = None) -> list[FigureSpan]:
    """``posts``: person name → the organization the document gives them a post in."""
    lex = lexicon()
    text = doc_text(doc)
    sents = doc_sentences(doc)
    spans = ents.spans
    industry_at = {sp.start: sp for sp in reversed(spans) if sp.type == T.Industry}
    product_at = {sp.start: sp for sp in reversed(spans) if sp.type == T.Product}
    projects = [sp for sp in spans if sp.type == T.Project]
    index = SpansByStart(spans)
    out: list[FigureSpan] = []
    last_metric: str | None = None
    si = 0
    for m in _hits(text, lex):
        if _is_date_context(text, m):
            continue
        unit = m.group("unit")
        if "mag" in m.re.groupindex:  # 4.8万余件: unit 万件
            unit = m.group("mag") + unit
            if unit not in lex.unit_by_text:
                continue
        num_text = m.group("num")
        if num_text == "":  # 上万套: 1 万套; 万亿级 (a scale) needs no qualifier
            if not m.group("qb") and (not unit.endswith("级") or re.match(NUM, text[m.start() - 1 : m.start()])):
                continue
            num_text = "1"
        elif num_text in MAGNITUDES:  # 上百座, 近千家: the magnitude itself, after a qualifier only
            if not m.group("qb"):
                continue
            num_text = MAGNITUDES[num_text]
        elif unit == "" and num_text.startswith("百分之"):  # 百分之三十: 30 %
            num_text, unit = num_text[3:], "%"
        value = parse_number(num_text)
        if value is None:
            continue
        # 2个、2.1个和1.5个百分点: every item of the list takes the list's last unit
        tail = LIST_TAIL.match(text, m.end())
        list_end = None
        if tail and unit != tail.group(1) and tail.group(1).startswith(unit) and tail.group(1) in lex.unit_by_text:
            unit = tail.group(1)
            list_end = tail.end()  # the evidence runs to where the unit is written
        u = lex.unit_by_text.get(unit) or (FRACTION_UNIT if unit == "" else PERCENT_UNIT)
        while si < len(sents) - 1 and sents[si][1] <= m.start():
            si += 1
        s0, s1 = sents[si]
        # the clause holding the number
        c0 = s0
        for cb in CLAUSE_BREAK.finditer(text, s0, m.start()):
            c0 = cb.end()
        same_clause = bool(out) and out[-1].ev_start == c0 and out[-1].end <= m.start()
        clause = text[max(c0, out[-1].end if same_clause else c0) : m.start()]
        qual = QUALIFIERS.get(m.group("qb") or "") or QUALIFIERS.get(m.group("qa") or "") \
            or ("more-than" if m.group("qb") == "过" else None) or ("range-lower" if m.group("num2") else None)
        period = _period_before(text, s0, m.start(), c0)
        # 全市/全省… in the clause: a regional statistic, whoever else the clause names
        # 2千亿级高端装备产业集群: a scale figure describes the sector named right after it
        after = industry_at.get(m.end()) or (industry_at.get(m.end() + 1) if text[m.end() : m.end() + 1] in (" ", "的") else None)
        subject = after or _project_subject(text, projects, sents, si, c0, m, spans) \
            or _thing_subject(text, spans, product_at, c0, m, u, s0, prev_fig=out[-1] if out else None) \
            or _subject(index, s0, m.start(), text, posts)
        prev = out[-1] if out and "\n" not in text[out[-1].end : m.start()] else None
        nobody = subject is NOBODY
        if nobody:
            subject = None
        elif subject is None and prev is not None:
            subject = prev.subject
        if subject is None and not nobody and not any(sp.type in ORG_TYPES or sp.type == T.Place
                                                      for sp in index.starting_in(s0, m.start())):
            # a sentence that names no one continues the topic of the sentences before it
            subject = _earlier_topic(text, index, sents, si)
        if period is None and prev is not None and prev.period and not prev.period.startswith("每"):
            period = prev.period  # the paragraph's period carries over
        elif period in ("全年", "年内") and prev is not None and prev.period and re.fullmatch(YEAR, prev.period):
            period = prev.period  # 2022年，…；全年完成…: the year named before
        subj_text = text[subject.start : subject.end] if subject else None
        metric = _metric(clause, subj_text, period)
        if metric and LEVEL_AFTER_CHANGE.search(clause):  # 产值增长到300亿元: the metric is 产值
            metric = re.sub(r"(?:增加|增长|提高|提升|上升|下降|减少|降低|扩大|缩小)$", "", metric) or None
        if same_clause and (metric is None or len(clause) <= 6):
            metric = out[-1].metric  # 从131户增加到213户: one metric, two figures
        growth = bool(GROWTH.search(clause)) and not LEVEL_AFTER_CHANGE.search(clause) \
            or u.normalized == "percentage-point" \
            or (same_clause and out[-1].is_growth and bool(re.fullmatch(r"\s*[、和及与]\s*", clause)))  # 分别增长5%、6%
        if metric and re.fullmatch(r"(?:同比|环比)?(?:增长|下降|增加|减少|提高|提升)", metric) and last_metric:
            metric = last_metric + metric
        elif metric is None and growth and last_metric and re.search(r"增长|下降", clause):
            metric = last_metric + ("同比增长" if "同比" in clause else "增长")
        if metric and not growth:
            last_metric = metric
        vnorm = None
        if isinstance(value, (int, float)):
            vnorm = value * u.factor if u.kind in ("money", "count", "quantity") or u.factor != 1 else value
            if isinstance(vnorm, float) and vnorm.is_integer():
                vnorm = int(vnorm)
        ev0 = c0
        ev1 = list_end or m.end()
        if after is not None:
            # an item of a list (万亿级A、2千亿级B): its evidence is the item, with the sector named after it
            sep = max(text.rfind(c, c0, m.start()) for c in "、和及与")
            ev0, ev1 = (sep + 1 if sep >= 0 else c0), after.end
            # and what it measures is the size of the sector's cluster (…产业集群) or the sector
            tail = re.match(r"集群|规模目标|规模", text[after.end : after.end + 4])
            metric = (tail.group() if tail else "") + ("" if tail and "规模" in tail.group() else "规模")
        out.append(
            FigureSpan(
                start=m.start("num") if not m.group("qb") else m.start(),
                end=m.end(),
                value=value,
                value_text=num_text,
                unit=unit,
                unit_normalized=u.normalized,
                value_normalized=vnorm,
                qualifier=qual,
                metric=metric,
                period=period.replace("“", "").replace("”", "") if period else None,
                period_normalized=normalize_period(period, doc_date),
                subject=subject,
                is_growth=growth,
                ev_start=ev0,
                ev_end=ev1,
            )
        )
        if m.group("num2"):
            v2 = parse_number(m.group("num2"))
            if v2 is not None:
                vn2 = v2 * u.factor if u.kind in ("money", "count", "quantity") or u.factor != 1 else v2
                if isinstance(vn2, float) and vn2.is_integer():
                    vn2 = int(vn2)
                out.append(
                    FigureSpan(m.start("num2"), m.end(), v2, m.group("num2"), unit, u.normalized, vn2, "range-upper",
                               metric, out[-1].period, out[-1].period_normalized, subject, growth, ev0, m.end())
                )
    return out


# what a product has (a bearing's fatigue life, a turbine's power), as opposed to what a maker
# or a region produces of it (产量, 销量, 产值)
PRODUCT_ATTRIBUTE = re.compile(r"寿命|功率|容量|效率|精度|转速|载重|载荷|载箱量|排量|续航|里程|能耗|噪声|噪音|"
                               r"温度|强度|硬度|重量|直径|长度|速度|良品率|合格率|储能量|电量")
PRODUCT_DEMONSTRATIVE = re.compile(r"该|这[一种款台套]?|此|[一每][套台款]")
# 3兆瓦以上的大兆瓦风电主轴轴承: a physical quantity written before a product describes it
BEFORE_PRODUCT = re.compile(r"(?:以上|以下|左右|级)?的?")
# 投资10亿元建设的这个项目 / 该项目总投资: a project's investment
PROJECT_BACKREF = re.compile(r"(?:建设|建成|实施)的(?:这个|这一|该)?[\u3400-\u9fff]{0,2}项目")
PROJECT_BEFORE = re.compile(r"(?:该|这个|这一)[\u3400-\u9fff]{0,2}项目(?:总|计划|预计)?投资")


# an investment (总投资35亿元, 投资80亿元建设, 计划投入) or what a project will do once built
INVESTMENT = re.compile(r"总投资|投资|投入|总投入")
PROJECT_OUTCOME = re.compile(r"建成后|达产后|投产后|建成投产后|全部达产后|项目达产")
# 总投资12亿元的X项目, 投资80亿元建设的X项目, 投资30亿元建设X项目
TO_PROJECT = re.compile(r"[^，。；：]{0,3}?(?:的|建设的?|用于|新建|打造|实施)?")


def _project_subject(text: str, projects: list[Span], sents: list[tuple[int, int]], si: int, c0: int,
                     m: re.Match, spans: list[Span]) -> Span | None:
    """A named project an investment or a built capacity belongs to: the project right after the
    amount (总投资12亿元的X项目), else one named earlier in the sentence or, for what a project
    does once built (建成后可形成年产…), in the sentence before."""
    s0, s1 = sents[si]
    before = text[c0 : m.start()]
    if INVESTMENT.search(before):
        lead = TO_PROJECT.match(text, m.end())
        nxt = next((sp for sp in projects if sp.start >= m.end() and sp.end <= s1
                    and sp.start - m.end() <= (lead.end() - m.end() if lead else 0) + 8), None)
        if nxt is not None and not re.search(r"[，。；：]", text[m.end() : nxt.start]):
            return nxt
        prev = [sp for sp in projects if s0 <= sp.start and sp.end <= c0]
        if prev and not any(sp.type in ORG_TYPES for sp in spans if c0 <= sp.start < m.start()):
            return prev[-1]
    if PROJECT_OUTCOME.search(text, s0, m.start()):
        lo = sents[si - 1][0] if si > 0 else s0
        prev = [sp for sp in projects if lo <= sp.start and sp.end <= m.start()]
        if prev:
            return prev[-1]
    return None


def _thing_subject(text: str, spans: list[Span], product_at: dict[int, Span], c0: int, m: re.Match,
                   u: Unit, s0: int, prev_fig: FigureSpan | None) -> Span | None:
    """A product or project that the figure describes rather than an organization or place.

    A quantity right before a product (18兆瓦海上风电机组铸件); a product that opens the
    figure's clause with one of its properties (…研制出的稀土轴承钢抗压疲劳寿命提高40多倍, and a
    next clause of the sentence about another property); a project's investment.
    """
    pos = m.start()
    if u.kind == "quantity":
        gap = BEFORE_PRODUCT.match(text, m.end())
        for at in range(gap.end(), gap.end() + 4):  # 3兆瓦以上的大兆瓦风电主轴轴承: a short modifier between
            if at in product_at:
                return product_at[at]
            if at >= len(text) or not "\u3400" <= text[at] <= "\u9fff":
                break
    clause = text[c0:pos]
    if PRODUCT_ATTRIBUTE.search(clause):
        inside = [sp for sp in spans if c0 <= sp.start and sp.end <= pos]
        if inside and inside[-1].type == T.Product and pos - inside[-1].end <= 12 \
                and PRODUCT_ATTRIBUTE.search(text, inside[-1].end, pos):
            return inside[-1]
        if not inside and prev_fig is not None and prev_fig.subject is not None \
                and prev_fig.subject.type == T.Product and prev_fig.end >= s0:
            return prev_fig.subject
    # 该系统 / 一套储能系统: a product named earlier in the paragraph, referred to by its head
    para = text.rfind("\n", 0, pos) + 1
    for d in PRODUCT_DEMONSTRATIVE.finditer(clause):
        rest = clause[d.end() :]
        for sp in sorted((sp for sp in spans if sp.type == T.Product and para <= sp.start and sp.end <= c0 + d.start()),
                         key=lambda sp: -sp.start):
            name = text[sp.start : sp.end]
            if any(rest.startswith(name[i:]) for i in range(0, len(name) - 1)):
                return sp
    if PROJECT_BACKREF.match(text, m.end()) or PROJECT_BEFORE.search(clause):
        para = text.rfind("\n", 0, pos) + 1
        projects = [sp for sp in spans if sp.type == T.Project and para <= sp.start and sp.end <= pos]
        if projects:
            return projects[-1]
    return None


def _earlier_topic(text: str, index: SpansByStart, sents: list[tuple[int, int]], si: int, back: int = 3) -> Span | None:
    """The entity an earlier sentence of the paragraph opens a clause with (its topic), nearest first."""
    para = text.rfind("\n", 0, sents[si][0]) + 1
    for s0, s1 in reversed(sents[max(0, si - back) : si]):
        if s0 < para:
            break
        cands = [sp for sp in index.within(s0, s1) if not _is_source(text, sp)
                 and not _is_oblique(text, sp)
                 and (sp.type in ORG_TYPES or sp.type in (T.Place, T.Product, T.Project))]
        cands = [sp for sp in cands if not any(o is not sp and o.start <= sp.start and sp.end <= o.end
                                               and (o.end - o.start) > (sp.end - sp.start) for o in cands)]
        for c0 in [s0] + [cb.end() for cb in CLAUSE_BREAK.finditer(text, s0, s1)]:
            while c0 < s1 and text[c0] == "“":  # “科创贷”产品是…
                c0 += 1
            topic = _clause_topic(text, c0, cands)
            if topic is not None:
                return topic
    return None


REGIONAL = re.compile(r"(?:全|我|本|该)(市|省|区|县)")
# 全国 as the clause's topic (全国共有…, 全国范围内…), not as a comparison base (高于全国) or a rank (全国首台)
NATIONAL = re.compile(r"^(?:[\u3400-\u9fff]{0,4}?)全国(?:范围内|共|累计|已)")
# decided: the figure belongs to no named entity (a national total when the nation is not named)
NOBODY = Span(-1, -1, T.Place)
# an organization quoted as the source of the numbers (据X统计, 从X公布的数据看) is not their subject
SOURCE_AFTER = re.compile(r"(?:的)?(?:统计|公布|发布|监测|调查|数据|消息)|(?:公布|发布)?的?(?:数据|统计)(?:显示|表明)")
# what may stand before a clause's topic: adverbials and time words
CLAUSE_LEAD = re.compile(r"(?:据介绍|据了解|据悉|其中|同时|此外|另外|而|并|目前|现在|如今|近年来|截至目前|在|由|让|使)?")
WE = re.compile(r"我们|我公司|我司|我厂|我局|我院|我单位")


def _regional_subject(text: str, clause: str, spans: list[Span], national: bool = True) -> Span | None:
    """全市/全省/我市… → the document's most mentioned city or province; 我国 → 中国 when the
    document names it. A region that is the base of a share (占全省85%) is not the subject."""
    m = next((x for x in REGIONAL.finditer(clause)
              if not re.search(r"(?:占|比|较|高于|低于|居|位居|位列|领先)$", clause[: x.start()])), None)
    if not m and national and NATIONAL.search(clause):
        # 全国共有120家单位入选: the nation's figure, 中国 when the document names it
        return next((sp for sp in spans if sp.type == T.Place and (sp.canonical or text[sp.start : sp.end]) == "中国"),
                    NOBODY)
    if not m:
        if national and "我国" in clause:
            return next((sp for sp in spans if sp.type == T.Place and (sp.canonical or text[sp.start : sp.end]) == "中国"), None)
        return None
    level = m.group(1)
    divisions = lexicon().divisions
    counts: dict[str, list[Span]] = {}
    for sp in spans:
        if sp.type == T.Place:
            name = sp.canonical or text[sp.start : sp.end]
            if name.endswith(level) and name in divisions:
                counts.setdefault(name, []).append(sp)
    if not counts:
        return None
    best = max(sorted(counts), key=lambda k: len(counts[k]))
    return counts[best][0]


REPRESENTATIVE = re.compile(r"以[^，。；：！？\n]{1,40}?为代表的?")
# X等3家 / X等60个: the figure counts a list that ends with 等
LIST_COUNT = re.compile(r"等\s*(?:近|约|超过|超|逾)?$")
# 为中国工业贡献了…, 向企业发放…: the object of a preposition is not the clause's subject
OBLIQUE_BEFORE = re.compile(r"(?<![成作评列定认称名视])[为向给替帮]$")


def _is_oblique(text: str, sp: Span) -> bool:
    return bool(OBLIQUE_BEFORE.search(text[max(0, sp.start - 2) : sp.start]))


def _is_source(text: str, sp: Span) -> bool:
    return text[sp.start - 1 : sp.start] in ("据", "从") and bool(SOURCE_AFTER.match(text, sp.end)) \
        or bool(re.match(r"(?:公布|发布)?的?(?:数据|统计)(?:显示|表明)", text[sp.end : sp.end + 8]))


def _clause_topic(text: str, c0: int, cands: list[Span]) -> Span | None:
    """The entity a clause opens with (after adverbials and a time expression), if any."""
    for sp in cands:
        if sp.start < c0:
            continue
        lead = text[c0 : sp.start]
        pm = PERIOD_RE.match(lead)
        if pm and pm.end() > 0:
            lead = lead[pm.end() :].lstrip("，, ")
        if lead == "" or CLAUSE_LEAD.fullmatch(lead):
            return sp
        return None
    return None


@lru_cache(maxsize=4)
def _speech_verb_res(speech_verbs: tuple[str, ...]) -> tuple[re.Pattern, re.Pattern]:
    """A speech verb, and one that ends a text (before a colon or comma)."""
    verbs = "|".join(map(re.escape, speech_verbs))
    return re.compile(rf"(?:{verbs})"), re.compile(rf"(?:{verbs})[：:，,]?$")


def _speaker_org(text: str, index: SpansByStart, pos: int, speech_verbs: tuple[str, ...],
                 posts: dict[str, Span] | None = None) -> Span | None:
    """Inside a quotation where someone says 我们: the organization of the one who speaks.

    The speaker is introduced just before the opening quotation mark (X公司总经理Y介绍，“…)
    or just after the closing one (…”X局局长Y说); when only the person is named there, the
    organization the document gives them a post in (``posts``: person → organization).
    """
    p0 = text.rfind("\n", 0, pos) + 1
    p1 = text.find("\n", pos)
    p1 = len(text) if p1 < 0 else p1
    # an interview's answer (沈敬南：我们…): the person named before the colon that opens it
    answerer = next((sp for sp in index.starting_in(p0, p0 + 1) if sp.type == T.Person
                     and text[sp.end : sp.end + 1] in "：:"), None)
    if answerer is not None and answerer.end < pos:
        return (posts or {}).get(text[answerer.start : answerer.end])
    opening = text.rfind("“", p0, pos)
    if opening < 0 or text.find("”", opening, pos) >= 0:
        # not inside a quotation, unless the paragraph is one: it ends with ”X说 and has one
        # more closing than opening mark (the opening one doubles a quoted word's: ““十五五”…)
        seg = text[p0:p1]
        if not (seg.count("”") == seg.count("“") + 1 and re.search(r"”[^“”]{0,30}$", seg)):
            return None
        opening = p0
    closing = text.find("”", pos, p1)
    verb, verb_at_end = _speech_verb_res(speech_verbs)

    def via_post(window: list[Span]) -> Span | None:
        for sp in window:
            org = (posts or {}).get(text[sp.start : sp.end])
            if org is not None:
                return org
        return None

    before = verb_at_end.search(text[max(p0, opening - 30) : opening])
    if before:
        window = index.within(opening - 30, opening)
        intro = [sp for sp in window if sp.type in ORG_TYPES]
        if intro:
            return intro[-1]
        found = via_post([sp for sp in window if sp.type == T.Person][::-1])
        if found is not None:
            return found
    if closing >= 0:
        tail = text[closing + 1 : closing + 40]
        m = verb.search(tail)
        if m:
            window = index.within(closing + 1, closing + 1 + m.start())
            intro = [sp for sp in window if sp.type in ORG_TYPES]
            if intro:
                return intro[0]
            return via_post([sp for sp in window if sp.type == T.Person])
    return None


KIND_SUBJECT = re.compile(r"(?:该|这家|这个)?(联盟|协会|商会|学院|研究院|研究所|大学|实验室)(?=[已将在与和还共累今去近先目]|[\u3400-\u9fff]{0,2}[了有])")


def _subject(index: SpansByStart, s0: int, pos: int, text: str, posts: dict[str, Span] | None = None) -> Span | None:
    """Whom the figure is about, looking back from it through its sentence.

    The clause holding it: 全市/全省 → the region, else its nearest place or organization;
    then each earlier clause: 全市/全省, or the entity the clause opens with; 我们 in a
    quotation → the speaker's organization; 其/该公司 → the last named company; at last
    the sentence's first entity outside quotation marks.
    """
    # 以华精、天域为代表的轴承企业: the firms named as examples of a group are not its subject
    spans = index.spans
    examples = [(x.start(), x.end()) for x in REPRESENTATIVE.finditer(text, s0, pos)]
    in_sentence = index.within(s0, pos)
    cands = [sp for sp in in_sentence if (sp.type in ORG_TYPES or sp.type == T.Place) and not _is_source(text, sp)
             and not _is_oblique(text, sp) and not any(a <= sp.start and sp.end <= b for a, b in examples)]
    # 华兴银行 inside 华兴银行江北分行: the longer name is the one the clause speaks of
    cands = [sp for sp in cands if not any(o is not sp and o.start <= sp.start and sp.end <= o.end
                                           and (o.end - o.start) > (sp.end - sp.start) for o in cands)]
    bounds = [s0] + [cb.end() for cb in CLAUSE_BREAK.finditer(text, s0, pos)]
    c_last = bounds[-1]
    clause = text[c_last:pos]
    regional = _regional_subject(text, clause, spans)
    if regional is not None:
        return regional
    # 联盟已吸纳会员企业236家, 学院与…共建的团队已有37个: a kind word opening the clause (or the
    # sentence) stands for the body of that kind named last
    for start in dict.fromkeys((c_last, s0)):
        k = KIND_SUBJECT.match(text, start)
        if k is not None and not any(sp.start == start for sp in spans):
            kind = k.group(1)
            ref = [sp for sp in spans if sp.end <= start and sp.type in ORG_TYPES
                   and text[sp.start : sp.end].endswith(kind)]
            if ref:
                return ref[-1]
    in_clause = [sp for sp in cands if sp.start >= c_last]
    if LIST_COUNT.search(clause):
        # A、B等3家企业: the count of a list is not about the firms it names, though
        # X的A、B等2个: it is about the one whose items they are
        owners = [sp for sp in in_clause if text.startswith("的", sp.end)]
        cands = [sp for sp in cands if sp.start < c_last] + owners
        in_clause = owners
    if in_clause:
        return in_clause[-1]
    # a clause about a sector (轴承行业146家企业累计产值…), unless an earlier clause makes the
    # sentence a regional statistic (全省高技术制造业增加值增长8.8%，新能源汽车产量增长29.2%)
    industries = [sp for sp in in_sentence if sp.type == T.Industry
                  and not text.startswith(("企业", "公司"), sp.end)]  # 制造业企业: enterprises, not the sector
    topic = _clause_topic(text, c_last, [sp for sp in industries if sp.start >= c_last])
    if topic is not None and not any(_regional_subject(text, text[bounds[i] : bounds[i + 1]], spans, national=False)
                                     for i in range(len(bounds) - 1)):
        return topic
    if WE.search(text[s0:pos]):
        speaker = _speaker_org(text, index, pos, lexicon().speech_verbs, posts)
        if speaker is not None:
            return speaker
    for i in range(len(bounds) - 2, -1, -1):
        c0, c1 = bounds[i], bounds[i + 1]
        regional = _regional_subject(text, text[c0:c1], spans, national=False)
        if regional is not None:
            return regional
        topic = _clause_topic(text, c0, [sp for sp in cands if sp.start < c1])
        if topic is not None:
            return topic
        # 我国 in a clause with no topic of its own (辽宁是我国…: 辽宁 is the topic)
        regional = _regional_subject(text, text[c0:c1], spans)
        if regional is not None:
            return regional
    if re.search(r"其|该公司|该企业|公司", text[s0:pos]) and not cands:
        prev = [sp for sp in spans if sp.end <= s0 and sp.type == T.Company]
        if prev:
            return prev[-1]
    for sp in cands:
        if text[s0 : sp.start].count("“") <= text[s0 : sp.start].count("”"):
            return sp
    return cands[-1] if cands else None

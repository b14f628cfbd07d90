"""Named-entity extraction: general rules over jieba tokens and characters.

Pure functions over a spaCy ``Doc`` (normalised text). Recognisers propose
candidate spans (character offsets in the normalised text); overlaps are settled
longest-first; then every name found once is looked for everywhere else in the
document. Rules use only general lexicons (``kg.extract.lexicon``).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # spaCy is not loaded by resolution, which imports place_prefix_len
    from spacy.tokens import Doc

from kg.nlp.pipeline import doc_text, doc_tokens, word_frequency
from kg.extract.lexicon import Lexicon, Literals, lexicon
from kg.models import ORG_TYPES, EntityType as T

CJK = re.compile(r"[\u3400-\u9fff]")
PUNCT = set("，。、；：？！“”‘’《》（）()【】「」『』—…·,.;:?!\"'[]<> \n\t▲△▼▽●○■□◆◇★☆※|/")
#: a punctuation mark or whitespace (``ch in PUNCT or ch.isspace()``), searched in one call
NAME_BREAK = re.compile("[" + re.escape("".join(sorted(PUNCT))) + r"]|\s")
# jieba dictionary tags that end a name when walking left from its head word
STOP_TAGS = frozenset({"p", "c", "u", "uj", "ul", "uz", "ud", "ug", "uv", "r", "d", "m", "q", "y", "e", "o", "t", "mq", "rr", "rz"})
PROPER_TAGS = frozenset({"", "nr", "ns", "nt", "nz", "nrt", "nrfg", "j", "eng"})
NOUNISH_TAGS = frozenset({"n", "nz", "vn", "b", "eng", "", "ns", "nt", "j", "l", "an", "ng", "nr", "i", "a", "f", "s", "v"})
MEDIA_TITLES = frozenset({"记者", "本报记者", "通讯员", "实习生", "见习记者", "特约记者", "编辑", "本版编辑", "责任编辑", "美编", "主编", "总编辑", "摄影"})
GENERIC_MODIFIERS = frozenset(
    "高端 相关 主要 重点 核心 关键 新型 各类 各种 大型 一批 部分 优势 特色 传统 新兴 战略性 战略性新兴 主导 支柱 "
    "先进 重大 重要 国家 国内 国际 全国 全球 世界 地方 当地 本地 现代 未来 新 老 各 全 整个 实体 上市 子 母 总 "
    "龙头 骨干 中小 民营 国有 外资 科技型 高新技术 领军 配套 上下游 相应 同类 同 该 此 其 这 那 我 本 "
    "现有 所属 高技术 现代化 区域 细分 规模以上 全部 全域 风口 省级 市级 县级 国家级 工程技术 制造业 全球化 "
    "一些 这些 那些 多家 一家 每家 更多 所有 其他 其它 下属 直属 金融 商业 保险 证券 行业 产业 企业 产品 设备 技术".split()
)
# heads so broad that only a modifier naming a product makes a product (大型轴承设备, not 加工设备)
GENERIC_HEAD_PRODUCTS = frozenset({"设备", "系统", "材料", "部件", "零部件", "新材料", "终端", "生产线", "器械", "医疗器械",
                                   "制品", "食品", "药品", "耗材", "仪器", "服装", "化学品", "家电"})
# words that open a noun phrase without naming the product (相关产品, 这些轴承); quality
# adjectives such as 高端/精密/大型 are part of a product's name and stay
PRODUCT_DETERMINERS = frozenset(
    "相关 主要 部分 各类 各种 一批 这些 那些 其他 其它 所有 该 此 其 这 那 我 本 一些 更多 多种 多款 "
    "一系列 系列化 同类 配套的 新 老 国内 国外 全球 世界 国际 全国 当地 本地 我国 自主 国家 "
    "新型 一站式 项目 领域 配套 规格 月产 年产 日产 员工 工人 职工 精心 新一轮 系列 区内 园区内 省内 市内 县内 境内 域内".split()
)
# verbs of making and selling: the word after them may be a product on its own (装配压缩机)
PRODUCTION_VERBS = frozenset(
    "生产 制造 装配 组装 经营 研制 研发 开发 推出 供应 销售 出口 加工 加工出口 量产 试制 掌握 主营 研制出 生产出 制造出 "
    "出产 投运 交付 下线 供货 批产 建造 承建 承接 承揽 斩获 拿下 签下 中标 接获 新接".split()
)
# verbs before a list of what is built: the lines built make the listed products (建设A、B和C智能化生产线)
BUILDING_VERBS = frozenset("建设 新建 建成 新上 投建".split())
# verbs a list of a maker's products follows (主要生产A和B)
LISTING_VERBS = (PRODUCTION_VERBS - frozenset("掌握 投运 建造 承建 承接 承揽".split())) | BUILDING_VERBS
# production lines named after what they make (…智能化生产线)
LINE_AFTER_LIST = re.compile(r"(?:智能化|自动化|数字化|全自动|智能)?(?:生产线|产线|装配线)")
# words that introduce what a company makes, whatever it is (主要生产X, 主营X, 专注研发X)
MAIN_PRODUCTS = re.compile(r"(?:主要|专注|专门|重点)(?:生产|研发|制造|经营|从事)|主营")
# nouns that end what a company does or earns, not a kind of product (主营业务收入, 生产规模)
NOT_PRODUCT_NOUNS = frozenset("业务 收入 利润 规模 能力 水平 服务 市场 领域 方向 工作 项目 企业 公司 活动 经营 产值 效率 "
                              "成本 周期 环节 基地 车间 任务 订单 销售 管理 运营 过程 流程 环境 安全 质量".split())
# what makes the words before it part of a sector's name (稀土新材料及应用产业)
PART_OF_SECTOR = re.compile(r"(?:及|和|与)[\u3400-\u9fff]{0,6}?(?:产业|行业)")
# a demonstrative with its measure word opens a noun phrase, never a name (这台|泵车, 该款|逆变器)
DEMONSTRATIVE_MEASURE = re.compile(r"(?:这|那|该|每|此|首|各)(?:台|套|艘|辆|架|款|批|条|座|种|个|件|类)")
COUNT_BEFORE_NAME = re.compile(r"[\d０-９]+(?:\.\d+)?\s*[万千百]?(?:台|套|条|辆|艘|座|件|种|款|项|片|块|颗|个)")
# quantifiers never inside a product's name (所有|海工吊机)
QUANTIFIERS = frozenset("全部 所有 部分 各类 各种 多种 多款 各款 一批 这些 那些 其他 其它 全套 一系列 若干 大批 大量".split())
# words of manner before a verb of making (满负荷生产, 批量生产): the verb is the predicate
MANNER_WORDS = frozenset("满负荷 满产 批量 规模化 大规模 率先 成功 自主 独立 联合 专门 主要 全面 加紧 全力 稳定 持续 "
                         "正式 首次 正在 已经 已 将 开始 累计 年 月 日".split())
# verbs of policy and development talk: at the left edge of a product they are the predicate,
# however jieba tags them (培育|壮大/a|机器人, 融合/vn|机器人、数字化), never part of the name
PRODUCT_NOT_MODIFIERS = frozenset(
    "壮大 融合 聚焦 跳出 培育 发展 打造 做强 做大 做优 引进 布局 突破 攻克 带动 加快 推进 推动 支持 鼓励 围绕 "
    "瞄准 深耕 拓展 拓宽 涵盖 包括 覆盖 实现 助力 赋能 完成 形成 建成 引领 聚集 集聚 吸引 培养 壮大了 做精 共建 共同 面向 "
    "存储 储存 运输 采购 购买 使用 应用 投向 投资 执行 严格执行 合作开发 联合开发 共同开发 种植 服务 进口 出售 回收 "
    "处理 替代 取代 收购 储备 囤积 检测 监测".split()
)
# a copula or preposition the segmenter may glue to the end of an unknown word before a name
GLUED_AFTER_NAMES = frozenset("是在与和及为由将把被向从对")
UNIVERSITY_WORDS = ("大学", "学院")
# verbs that set a body up (共建X联合实验室): its name begins after them
SETUP_VERBS = ("共同组建", "共建", "组建", "成立", "设立", "筹建", "揭牌")
# offices and departments named after their body (人民政府办公厅, 市委组织部, 市政府新闻办)
OFFICE_SUFFIXES = frozenset({"办公厅", "办公室", "组织部", "宣传部", "统战部", "新闻办", "金融办"})
# words that put an organization under another; the name comes after them
UNDER_WORDS = ("旗下的", "旗下", "下属的", "下属", "所属的", "全资子公司", "控股子公司", "子公司")
# the last characters of a government body's name
BODY_ENDINGS = ("厅", "局", "委员会", "政府", "管委会", "办公室")
CENTRAL_BANK = ("中国人民银行", "人民银行")
# a bank or branch, then the preposition of what it does for a company (…分行为|向X公司发放)
BANK_THEN_PREPOSITION = re.compile(r"(?:银行|分行|支行|信用社)(?:为|向|给|与|对)")
GLUED_BEFORE_NAMES = frozenset("仅就也还都而并以由在为从对向被把将与和及让使给")
# single characters the segmenter glues to an unknown word at a product's left edge (以微|小型轴承, 装钒|电解液)
GLUED_LEFT_CHARS = frozenset("以由在为从对向被把将与和及装产造用")
# a verb this rare in jieba's dictionary is a technical modifier inside a product name
# (重载 55, 压延 31, 增速 412), not an action (打造 661, 建成 6215)
RARE_VERB_FREQ = 500
# heads too broad to name a product on their own, whatever verb stands before them
BARE_HEAD_EXCLUDED = frozenset("轴承 产品 设备 系统 材料 装备 部件 零部件 机械 器件 软件 机器人 芯片 技术 新材料 终端 平台 机组".split())
POLICY_WORDS = ("行动计划", "实施方案", "指导意见", "实施意见", "管理办法", "实施细则", "三年行动", "专项行动",
                "计划", "规划", "方案", "办法", "条例", "意见", "通知", "政策", "纲要", "决定", "措施", "细则",
                "建议", "指南", "目录", "规定", "法", "工程", "战略", "行动", "提案")
# what one does with a programme: never the start of its name (积极响应|“一带一路”倡议)
POLICY_VERBS = ("实施", "启动", "开展", "推进", "落实", "响应", "执行", "贯彻", "推动", "组织", "参与", "出台", "制定", "印发")
LEGAL_WORDS = frozenset("公司 有限公司 有限责任公司 股份有限公司 集团 集团有限公司 股份公司".split())
# posts that only a company has: the words right before them name the company (远航动力总经理王某)
COMPANY_TITLES = frozenset("董事长 副董事长 总经理 副总经理 常务副总经理 总裁 副总裁 首席执行官 总工程师 财务总监 财务负责人 厂长 副厂长 创始人".split())
# verbs that name what a project does (易地建设升级项目, 扩产项目)
# what a list calls its projects without naming one (工信部示范项目)
PROJECT_KIND_WORDS = ("示范", "试点", "重点", "重大", "扶持", "补助", "奖励", "招商", "储备", "在建", "新建", "续建")
PROJECT_WORDS = frozenset("建设 升级 改造 扩建 扩产 技改 搬迁 新建 续建 迁建 提升 改扩建 一期 二期 三期".split())
ZONE_SUFFIXES = ("高新技术产业开发区", "经济技术开发区", "高新技术开发区", "产业开发区", "开发区", "高新区", "新区", "经济区",
                 "产业园区", "产业园", "工业园区", "工业园", "科技园", "园区", "保税区", "自贸区", "自由贸易试验区",
                 "示范区", "经济圈", "经济带", "试验区", "片区", "港区", "科技城", "小微企业园", "企业园", "街区")
# words that stand before 街道/镇/乡 without naming one (城市街道, 乡村小镇)
GENERIC_TOWN_WORDS = frozenset({"城市", "农村", "城乡", "乡村", "小镇", "周边", "附近", "沿街", "主要", "各个", "城区", "市区", "县城"})
TOWN_SUFFIXES = ("街道", "镇", "乡", "村")
GOV_ANCHORS = ("国家", "中央", "省", "市", "区", "县", "镇", "乡")
COMMON_SUFFIX_WORDS = frozenset(
    "格局 布局 大局 开局 结局 全局 当局 邮局 骗局 饭局 僵局 棋局 残局 时局 政局 战局 变局 新局 "
    "大厅 餐厅 客厅 展厅 前厅 门厅 "
    "内部 全部 东部 西部 南部 北部 中部 局部 干部 总部 头部 底部 外部 上部 下部 腹部 俱乐部 "
    "编委 常委 村委 居委 党委 纪委 "
    "组织 中心".split()
)


@dataclass(frozen=True)
class Span:
    start: int
    end: int
    type: T
    canonical: str | None = None
    rule: str = ""


@dataclass(frozen=True)
class TitleHit:
    start: int
    end: int
    title: str


@dataclass(frozen=True)
class AliasHit:
    full: Span
    alias: Span
    how: str


@dataclass
class EntityResult:
    spans: list[Span]
    titles: list[TitleHit]
    aliases: list[AliasHit]
    branches: list[tuple[Span, Span, int, int]]  # (branch, parent, ev_start, ev_end)


# ---------------------------------------------------------------------------
# Token view
# ---------------------------------------------------------------------------


class Tokens:
    """Token boundaries and tags of a Doc, indexed by character."""

    def __init__(self, doc: Doc):
        view = doc_tokens(doc)
        self.text = view.text
        self.starts: list[int] = view.starts
        self.words: list[str] = view.words
        self.tags: list[str] = view.tags
        self.ends: list[int] = [s + len(w) for s, w in zip(view.starts, view.words)]
        n = len(self.text)
        tok_at = self.tok_at = [0] * (n + 1)
        for i, (s, e) in enumerate(zip(self.starts, self.ends)):
            tok_at[s:e] = [i] * (e - s)
        tok_at[n] = len(self.starts)
        self.start_set = set(self.starts)
        self.end_set = set(self.ends)

    def is_boundary(self, c: int) -> bool:
        return c in self.start_set or c in self.end_set or c == 0 or c == len(self.text)


# ---------------------------------------------------------------------------
# Helpers
# ---------------------------------------------------------------------------


def _is_cjk(ch: str) -> bool:
    return bool(CJK.match(ch))


def _walk_left(
    tk: Tokens,
    lex: Lexicon,
    p: int,
    *,
    max_chars: int,
    blocked: set[int] | None = None,
    tags=None,
    allowed: set[int] | None = None,
    stop_verbs: bool = True,
    stop_at_place: bool | str = False,
    allow_tags: frozenset = frozenset(),
    allow_words: frozenset = frozenset(),
    rare_verbs: int = 0,
    inner_measures: bool = False,
) -> int:
    """Walk left from character ``p`` over name-like tokens; return the left edge.

    ``allowed`` characters (inside known place names) never stop the walk;
    ``stop_verbs`` stops at verbs and idioms; ``stop_at_place`` stops at a
    complete administrative name (…市/…省/…区/…县) that would not be the first
    thing left of the head (it qualifies the name); with ``"second"`` it stops
    only at such a place standing before another place (浙江省|宁波市人民政府).
    ``inner_measures``: a measure word that follows no number is part of the name
    (大|兆瓦|整体|架|单列圆锥轴承), one after a number ends it (3|台|轴承).
    """
    last_was_place = False
    text = tk.text
    q = p
    i = tk.tok_at[p - 1] if p > 0 else -1
    # if p falls inside a token, the part of that token before p belongs to the name
    while i >= 0:
        s, w, tag = tk.starts[i], tk.words[i], tk.tags[i]
        piece = text[s:q] if tk.ends[i] > q else w
        if not piece or NAME_BREAK.search(piece):
            break
        if p - s > max_chars:
            break
        if blocked and not blocked.isdisjoint(range(s, q)):
            break
        if allowed and allowed.issuperset(range(s, q)):
            # (an administrative unit; a zone, 经开区 or 产业园区, may stand inside a longer name)
            complete = piece[-1] in "市省区县"
            if stop_at_place == "second" and complete and last_was_place:
                break
            if stop_at_place is True and q < p and complete:
                break
            last_was_place = complete
            q = s
            i -= 1
            continue
        if piece in allow_words or rare_verbs and tag == "v" and piece == w and word_frequency(w) < rare_verbs \
                and w not in lex.stopwords:
            # (``rare_verbs``: a verb rarer than this is a technical modifier, 重载|工业机器人, 压延|薄膜)
            last_was_place = False
            q = s
            i -= 1
            continue
        if tag == "q" and len(w) == 1 and piece == w and _is_cjk(w) and i + 1 < len(tk.words) and tk.starts[i + 1] == s + 1 \
                and tk.tags[i + 1] in ("nr", "nrfg", "nz", "", "ng", "g") and _is_cjk(tk.words[i + 1][:1]) and not (
                    i > 0 and (tk.tags[i - 1] in ("m", "mq") or any(ch.isdigit() for ch in tk.words[i - 1]))):
            # 泓|康医疗: a measure word after no number, before a name's rare character, is the
            # name's first character
            last_was_place = False
            q = s
            i -= 1
            continue
        if inner_measures and tag == "q" and piece == w and i > 0 and tk.tags[i - 1] not in ("m", "mq", "q", "", "eng") \
                and not any(ch.isdigit() for ch in tk.words[i - 1]) and tk.words[i - 1] not in lex.stopwords:
            last_was_place = False
            q = s
            i -= 1
            continue
        # (an organization name jieba knows whole, 世界卫生组织/nt, is not cut at a stop word)
        if len(w) >= 3 and (w[:2] in lex.stopwords or w[-2:] in lex.stopwords) and not (tag == "nt" and piece != w):
            break
        if stop_verbs and tag in ("v", "i", "vd", "ad") and piece == w:
            break
        if piece in lex.stopwords or w in lex.stopwords or (tag in STOP_TAGS and tag not in allow_tags and piece == w):
            break
        if tags is not None and tag not in tags and tag not in allow_tags:
            break
        if piece in lex.titles or w in lex.titles:
            break
        last_was_place = False
        q = s
        i -= 1
    return q


def _generic_body(body: str, tk: Tokens, start: int, end: int) -> bool:
    if len(body) < 2 or body in GENERIC_MODIFIERS:
        return True
    words = _words_in(tk, start, end)
    if all(w in GENERIC_MODIFIERS or len(w.strip()) == 0 for w in words):
        return True
    return False


def _words_in(tk: Tokens, start: int, end: int) -> list[str]:
    out = []
    i = tk.tok_at[start] if start < len(tk.text) else len(tk.starts)
    while i < len(tk.starts) and tk.starts[i] < end:
        s, e = max(tk.starts[i], start), min(tk.ends[i], end)
        out.append(tk.text[s:e])
        i += 1
    return out


# below this dictionary frequency a word is a rare coinage (often a brand: 天域), not a common noun
COMMON_WORD_FREQ = 50


def _single_common_word(tk: Tokens, start: int, end: int) -> bool:
    """True when [start, end) is exactly one frequent dictionary word that is not a proper noun."""
    i = tk.tok_at[start]
    return tk.starts[i] == start and tk.ends[i] == end and tk.tags[i] not in PROPER_TAGS \
        and word_frequency(tk.words[i]) >= COMMON_WORD_FREQ


# ---------------------------------------------------------------------------
# Recognisers
# ---------------------------------------------------------------------------


def find_titles(text: str, lex: Lexicon) -> list[TitleHit]:
    pat = _title_re(lex)
    return [TitleHit(m.start(), m.end(), m.group()) for m in pat.finditer(text)]


_TITLE_RE: re.Pattern | None = None


def _title_re(lex: Lexicon) -> re.Pattern:
    global _TITLE_RE
    if _TITLE_RE is None:
        _TITLE_RE = re.compile(Lexicon.alternation(lex.titles))
    return _TITLE_RE


def name_length_at(text: str, i: int, lex: Lexicon, before: tuple[str, ...] = ()) -> int:
    """Length of a Chinese personal name starting at ``i`` (0 if none); ``before``: words
    that may follow the name (a title, a form of address)."""
    if i >= len(text):
        return 0
    sur = 2 if text[i : i + 2] in lex.surnames else (1 if text[i] in lex.surnames else 0)
    if not sur:
        return 0

    def follows_word(j: int) -> bool:
        return any(text.startswith(v, j) for v in lex.speech_verbs)

    def boundary(j: int) -> bool:
        return (
            j >= len(text)
            or not _is_cjk(text[j])
            or follows_word(j)
            or text[j] in "、和与及等的在是也为"
            or any(text.startswith(t, j) for t in MEDIA_TITLES)
            or text.startswith(("整理", "采写", "撰文", "编译", "执笔", "发自", "综合"), j)  # (本报记者X整理)
            or bool(before) and text.startswith(before, j)
        )

    def ok(n: int) -> bool:
        seg = text[i : i + n]
        return len(seg) == n and all(_is_cjk(c) for c in seg) and not any(c in "的了是在和与及等" for c in seg[sur:])

    if ok(sur + 1) and (follows_word(i + sur + 1) or any(text.startswith(t, i + sur + 1) for t in MEDIA_TITLES)):
        return sur + 1
    if ok(sur + 2) and boundary(i + sur + 2):
        return sur + 2
    if ok(sur + 1) and boundary(i + sur + 1):
        return sur + 1
    return 0


def find_persons(text: str, tk: Tokens, titles: list[TitleHit], lex: Lexicon) -> list[Span]:
    spans: list[Span] = []
    # 1. after a title (董事长张伟, 本报记者 陈晓东); titles chained with 、 are skipped over
    for t in titles:
        j = t.end
        if t.title in MEDIA_TITLES and text[j : j + 1] in ("：", ":"):
            j += 1  # （责任编辑：X）
        while j < len(text) and text[j] in " \u3000":
            j += 1
        n = name_length_at(text, j, lex)
        if not n and text[j : j + 1] in lex.surnames and all(_is_cjk(c) for c in text[j : j + 3]) \
                and not any(c in "的了是在和与及等" for c in text[j + 1 : j + 3]) and tk.is_boundary(j + 3) \
                and j + 3 < len(text) and tk.starts[tk.tok_at[j + 3]] == j + 3 and tk.tags[tk.tok_at[j + 3]] in ("v", "vn") \
                and len(tk.words[tk.tok_at[j + 3]]) >= 2:
            n = 3  # 总经理万启航|指着…: a three-character name before a verb the segmenter split off
        if n:
            spans.append(Span(j, j + n, T.Person, rule="title+name"))
    # 1b. the contact person of a notice (联系人：X)
    for m in re.finditer(r"联系人[：:]\s*", text):
        n = name_length_at(text, m.end(), lex)
        if not n:
            # the line ends with the name, the next line (joined) names the issuing body
            j = m.end()
            n = next((k for k in (3, 2) if text[j : j + 1] in lex.surnames and all(_is_cjk(c) for c in text[j : j + k])
                      and _place_prefix_len(text[j + k :], lex)), 0)
        if n:
            spans.append(Span(m.end(), m.end() + n, T.Person, rule="contact"))
    # 2. a name opening a clause and followed by a reporting verb (张伟表示)
    verbs = Lexicon.alternation(v for v in lex.speech_verbs if len(v) >= 2 or v in "说称")
    for m in re.finditer(rf"(?:^|(?<=[，。；：！？“”、\n（）]))([\u3400-\u9fff]{{2,4}}?)(?={verbs})", text, re.M):
        j = m.start(1)
        n = name_length_at(text, j, lex)
        if n and n == len(m.group(1)) and not _dict_word(tk, j, j + n):
            spans.append(Span(j, j + n, T.Person, rule="name+verb"))
    # 3. photo credits and standalone byline lines (陈晓东 / 王伟 摄)
    for m in re.finditer(r"(?m)^([\u3400-\u9fff]{2,4}?)(?:摄|供图|报道)?$", text):
        j = m.start(1)
        n = name_length_at(text, j, lex)
        if n and n == len(m.group(1)) and not _dict_word(tk, j, j + n):
            spans.append(Span(j, j + n, T.Person, rule="byline"))
    # 3b. a photo credit closing a caption (……正在装配压缩机。王伟摄)
    for m in re.finditer(r"(?m)(?<=[。！？”）])([\u3400-\u9fff]{2,4})(?:摄|供图)$", text):
        j = m.start(1)
        n = name_length_at(text, j, lex)
        if n and n == len(m.group(1)):
            spans.append(Span(j, j + n, T.Person, rule="byline"))
    # 3c. a byline line of several names run together (陈晓东王丽), led by a name the page already gives
    known = {text[s.start : s.end] for s in spans}
    for m in re.finditer(r"(?m)^([\u3400-\u9fff]{4,9})$", text):
        line, j0 = m.group(1), m.start(1)
        first = next((k for k in sorted(known, key=len, reverse=True) if line.startswith(k)), None)
        if first is None:
            continue
        parts = _split_names(line[len(first) :], lex)
        if parts:
            spans.append(Span(j0, j0 + len(first), T.Person, rule="byline"))
            spans += [Span(j0 + len(first) + a, j0 + len(first) + a + n, T.Person, rule="byline") for a, n in parts]
    # 4. a name followed by a form of address and a colon (张伟代表：)
    for m in re.finditer(r"(?m)(?:^|(?<=[，。\n]))([\u3400-\u9fff]{2,4}?)(?:代表|同志|委员|先生|女士)[：:]", text):
        j = m.start(1)
        n = name_length_at(text, j, lex, before=FORMS_OF_ADDRESS)
        if n and n == len(m.group(1)):
            spans.append(Span(j, j + n, T.Person, rule="name+address"))
    # 4b. 以张明远同志为核心 / 为代表: a fixed phrase around a name
    for m in re.finditer(r"以([\u3400-\u9fff]{2,4}?)同志为(?:核心|代表|首)", text):
        j = m.start(1)
        if name_length_at(text, j, lex, before=("同志",)) == len(m.group(1)):
            spans.append(Span(j, m.end(1), T.Person, rule="name+address"))
    # 5. a name the segmenter tags as a person's, right before a title (张明远总书记, 李海涛董事长表示)
    for t in titles:
        i = tk.tok_at[t.start - 1] if t.start > 0 else -1
        if i < 0 or tk.ends[i] != t.start or tk.tags[i] not in ("nr", "nrfg"):
            continue
        j = tk.starts[i]
        n = name_length_at(text, j, lex, before=(t.title,))
        if n == t.start - j and (j == 0 or not _is_cjk(text[j - 1]) or text[j - 1] in "，。；：、“”（）"):
            spans.append(Span(j, j + n, T.Person, rule="name+title"))
    return spans


FORMS_OF_ADDRESS = ("代表", "同志", "委员", "先生", "女士")


def _split_names(s: str, lex: Lexicon) -> list[tuple[int, int]] | None:
    """Split a run of names (王丽赵云龙) into (offset, length) parts; None if it does not split."""
    if not s:
        return []
    for n in (3, 2, 4):
        head = s[:n]
        if len(head) == n and (head[:2] in lex.surnames or head[0] in lex.surnames) and (n < 4 or head[:2] in lex.surnames):
            rest = _split_names(s[n:], lex)
            if rest is not None:
                return [(0, n)] + [(a + n, k) for a, k in rest]
    return None


def _dict_word(tk: Tokens, start: int, end: int) -> bool:
    """A common dictionary word (not a name) exactly covering [start, end)."""
    i = tk.tok_at[start]
    return tk.starts[i] == start and tk.ends[i] == end and tk.tags[i] not in ("", "nr", "nrfg", "nrt")


def find_orgs(
    text: str, tk: Tokens, lex: Lexicon, blocked: set[int], allowed: set[int], zones: set[int] = frozenset()
) -> tuple[list[Span], list[tuple[Span, Span, int, int]]]:
    """Organizations by suffix. ``zones``: characters of economic zones and parks, which a
    company's name does not run through (南昌片区|华精集团), though a zone's own body may."""
    spans: list[Span] = []
    branches = []
    suf_re = _suffix_re(lex)
    title_starts = {t.start for t in find_titles(text, lex)}
    for m in suf_re.finditer(text):
        suffix = m.group()
        p, e = m.start(), m.end()
        info = lex.suffix_by_text[suffix]
        # the suffix must end a word: the next character may not glue it into a longer word
        if e < len(text) and not tk.is_boundary(e) and e not in title_starts \
                and not (info.type == T.Company and BANK_THEN_PREPOSITION.match(text, e - len(suffix))):
            continue  # (but 杭州分|行为X公司…: the segmenter read the bank's 行 with its preposition)
        ti = tk.tok_at[p]
        if tk.starts[ti] < p and tk.tags[ti] != "nt" and any(tk.words[ti].endswith(w) for w in COMMON_SUFFIX_WORDS):
            continue  # 局 of 布局 / 产业布局
        # 华精科技（嘉兴）有限公司: the registered name holds its place in brackets
        pw = p
        br = re.search(r"[（(]([\u3400-\u9fff]{2,8})[）)]\Z", text[max(0, p - 12) : p])
        if br and info.kind == "legal" and _place_prefix_len(br.group(1), lex) == len(br.group(1)):
            pw = p - len(br.group(0))
        # 炼钢总厂三分厂, 第二分公司: a numbered branch of the unit named before it
        num = re.search(r"第?[一二三四五六七八九十]{1,3}\Z", text[max(0, p - 4) : p])
        if num and info.kind == "branch" and suffix in NUMBERED_BRANCHES and p - len(num.group()) > 0 \
                and _is_cjk(text[p - len(num.group()) - 1]):
            pw = p - len(num.group())
        q = _walk_left(
            tk, lex, pw, max_chars=30 if info.kind == "branch" else 24,
            blocked=blocked | zones if info.type == T.Company else blocked, allowed=allowed,
            stop_verbs=info.kind == "head",
            # (a rare verb is a technical word inside a laboratory's name: 纳米器件|超净|实验室)
            rare_verbs=RARE_VERB_FREQ if info.type == T.ResearchInstitution and suffix.endswith(LAB_SUFFIXES) else 0,
            # a registered company name may begin with its province and city (江西南昌X有限公司);
            # a government body's begins with its own division only (浙江省|宁波市人民政府)
            stop_at_place=False if info.type == T.Company and info.kind == "legal" else "second",
            # a branch's name runs through its parent's legal form (X集团有限公司|Y分厂)
            allow_words=LEGAL_WORDS if info.kind == "branch" else (
                ORG_NAME_VERBS if info.kind == "head" and info.type != T.GovernmentBody else frozenset()),
        )
        # 西安市人民政府|办公厅, 市委|组织部: an office or department of the body named right before it
        office_of = None
        if info.type == T.GovernmentBody and suffix in OFFICE_SUFFIXES and q == pw:
            owner = next((sp for sp in reversed(spans) if sp.end == p and sp.type == T.GovernmentBody), None)
            if owner is not None:
                q = owner.start
                office_of = owner
            elif re.search(r"(?:市|省|县|区|州|镇|乡)(?:委|政府)\Z", text[max(0, p - 3) : p]):
                k = p - (3 if text[p - 2 : p] == "政府" else 2)
                q = _walk_left(tk, lex, k, max_chars=12, blocked=blocked, allowed=allowed, stop_at_place="second") \
                    if k > 0 and k - 1 in allowed else k
                office_of = Span(q, p, T.GovernmentBody, rule="parent-of-office")
        if info.type == T.GovernmentBody and q > 1 and text[q - 1] == "和" and _is_cjk(text[q - 2]):
            q2 = _walk_left(tk, lex, q - 1, max_chars=24, blocked=blocked, allowed=allowed, stop_at_place="second")
            if q2 < q - 1 and _gov_anchor(text, q2, q - 1, lex) is not None:
                q = q2
        # 湖南大学机械与运载工程学院: a school named by two fields, right after its university
        # (烟台市船舶与海洋工程装备产业联盟: an alliance of two sectors, after its city)
        if info.type in (T.ResearchInstitution, T.Organization) and info.kind != "legal":
            anchor = "大学|学院" if info.type == T.ResearchInstitution else "省|市|区|县|州"
            two = re.search(rf"({anchor})([\u3400-\u9fff]{{1,6}}[与和及][\u3400-\u9fff]{{1,10}})\Z", text[max(0, p - 22) : p])
            left = re.split(r"[与和及]", two.group(2))[0] if two else ""
            if two and not re.search(anchor, two.group(2)) and not left.endswith("政府") \
                    and not any(left.endswith(o.suffix) for o in lex.org_suffixes):
                u0 = p - len(two.group(0))
                q2 = _walk_left(tk, lex, u0, max_chars=16, blocked=blocked, allowed=allowed, stop_at_place="second")
                if q2 < u0 and tk.is_boundary(q2):
                    q = q2
        # 集团旗下|漯河X有限公司, 秦川半导体全资子公司|西安X有限公司: a name begins after words that
        # place it under another
        starters = UNDER_WORDS + (SETUP_VERBS if info.type != T.Company else ())
        under = max((text.rfind(w, q, p) + len(w) for w in starters if text.rfind(w, q, p) >= 0), default=-1)
        if under > q:
            q = under
        # 收购|宁德X有限公司: a common verb before the place a registered name starts with is not part of it
        while q < p - 4 and tk.starts[tk.tok_at[q]] == q and tk.tags[tk.tok_at[q]].startswith("v") \
                and word_frequency(tk.words[tk.tok_at[q]]) >= RARE_VERB_FREQ \
                and _place_prefix_len(text[tk.ends[tk.tok_at[q]] : p], lex):
            q = tk.ends[tk.tok_at[q]]
        # ——访|浙江X股份有限公司: a one-character verb before a place is not part of the name
        if q < p - 2 and text[q] in "访到赴去往" and tk.starts[tk.tok_at[q]] == q and tk.ends[tk.tok_at[q]] == q + 1 \
                and _place_prefix_len(text[q + 1 : p], lex):
            q += 1
        after_demonstrative = q > 0 and text[q - 1] in "某该这其本此各"  # (该公司: no name, see below)
        # 由华精公司研制: a preposition the segmenter glued to an unknown name is not part of it
        if text[q] in "由在为从对向被把将以了是与和及的" and tk.tags[tk.tok_at[q]] == "" and tk.starts[tk.tok_at[q]] == q \
                and (tk.ends[tk.tok_at[q]] - q >= 3 or text[q] == "以" and text.startswith("为", e)):
            q += 1  # (以X公司为龙头: the frame 以…为 even around a two-character piece)
        # 蓝岬海|工是|山东X集团有限公司: the segmenter glued a copula or preposition to the end of
        # an unknown word; the name starts after it
        for i in range(tk.tok_at[q], tk.tok_at[p - 1] if p > q else tk.tok_at[q]):
            w = tk.words[i]
            if tk.tags[i] == "" and len(w) >= 2 and w[-1] in GLUED_AFTER_NAMES and tk.starts[i] >= q \
                    and _is_cjk(w[0]) and tk.ends[i] < p - 1:
                q = tk.ends[i]
        # 黑龙江省X厅|黑龙江省Y委员会 (two issuing bodies on one heading line, the space between them
        # gone): a name does not run through another body's suffix into a place
        if info.type == T.GovernmentBody:
            for k in range(p - 2, q + 1, -1):
                if text[q:k].rstrip(" \u3000").endswith(BODY_ENDINGS) and _place_prefix_len(text[k:p], lex) and p - k >= 4:
                    q = k
                    break
        # 华兴银行杭州分行为|远航科技有限公司: a bank lending to the company, not part of its name
        lender = list(BANK_THEN_PREPOSITION.finditer(text, q, p))
        if lender and p - lender[-1].end() >= 4:
            q = lender[-1].end()
        body = text[q:p]
        if suffix == "子公司" and re.search(r"(?:全资|控股|参股|独资|下属|旗下)\Z", body):
            continue  # X全资子公司: a kind of relation, not a name
        if info.type == T.GovernmentBody and len(suffix) == 1:
            # 局/厅/委: a body that reads like a department, anchored at a place or level word
            k = _gov_anchor(text, q, p, lex)
            if k is None:
                continue
            after_demonstrative = after_demonstrative and k == q  # (该项目已获|浙江省能源局批复)
            q = k
            body = text[q:p]
        if after_demonstrative:
            continue
        if len(body) < 2 or _generic_body(body, tk, q, p):
            continue
        if suffix == "组织" and not (tk.tags[ti] == "nt" or body.startswith(("国际", "世界", "全球", "联合国", "亚洲", "欧洲", "非洲"))):
            continue  # 组织 names an international body (世界贸易组织), not any organizing group
        ti0 = tk.tok_at[q]
        compound_noun = tk.starts[ti0] == q and tk.ends[ti0] == p and len(body) >= 4 and tk.tags[ti0] not in PROPER_TAGS
        level_office = suffix in OFFICE_SUFFIXES and re.fullmatch(r"(?:市|省|县|区|州)(?:委|政府)", body) is not None
        if body and info.kind != "legal" and not level_office and (
                _single_common_word(tk, q, p) and len(body) <= 4 or compound_noun):
            continue
        if body.startswith(("某", "一家", "多家", "该", "这家", "各")) or "该" in body[:2]:
            continue
        # the central bank and its branches are government bodies (人民银行佛山市分行)
        central = text.startswith(CENTRAL_BANK, q) and info.type == T.Company
        span = Span(q, e, T.GovernmentBody if central else info.type, rule=f"suffix:{suffix}")
        spans.append(span)
        if office_of is not None and office_of.start == q:  # the office is part of its body
            if office_of.rule == "parent-of-office":
                spans.append(office_of)
            branches.append((span, office_of, q, e))
        # (a school named by two fields is a faculty of its university; 江南大学科技学院 may be a college
        # of its own)
        school = info.type == T.ResearchInstitution and (
            suffix == "学院" and re.search(r"大学[\u3400-\u9fff]{1,6}[与和及]", text[q:p]) is not None
            # a university's institute in another city (哈尔滨工程大学烟台研究院)
            or suffix in ("研究院", "研究所") and re.search(r"大学(?:[\u3400-\u9fff]{2,4})?\Z", text[q:p]) is not None)
        inner = _inner_org_end(text[q:p], lex) \
            if info.type == T.ResearchInstitution and (suffix.endswith(LAB_SUFFIXES) or school) else 0
        if inner and p - (q + inner) >= 2:
            # 江西科学院材料研究所精密器件实验室: a laboratory of the institute named before it
            parent = Span(q, q + inner, lex.suffix_by_text[next(o.suffix for o in sorted(
                lex.org_suffixes, key=lambda o: -len(o.suffix)) if text[q : q + inner].endswith(o.suffix))].type,
                rule="parent-of-lab")
            spans.append(parent)
            branches.append((span, parent, q, e))
        if info.kind == "branch":
            parent_end = _inner_org_end(text[q:p], lex)
            if parent_end:
                parent = Span(q, q + parent_end, T.Company if info.type == T.Company and not central else T.GovernmentBody,
                              rule="parent-of-branch")
                group = _group_of_subsidiary(text, parent)
                if group:  # 华精集团|华精股份有限公司|三分厂: the branch is the subsidiary's
                    parent = Span(group.end, parent.end, parent.type, rule="parent-of-branch")
                    spans += [parent, group]
                    branches += [(span, parent, q, e), (parent, group, q, e)]
                else:
                    spans.append(parent)
                    branches.append((span, parent, q, e))
        elif info.kind == "legal" and info.type == T.Company:
            group = _group_of_subsidiary(text, span)
            if group:  # 华精集团华精股份有限公司: the listed subsidiary, named after its group
                spans[-1] = span = Span(group.end, e, info.type, rule=f"suffix:{suffix}")
                spans.append(group)
                branches.append((span, group, q, e))
    # national bodies are known by name (the State Council, 科技部), not by a suffix and a place
    for m in _national_re(lex).finditer(text):
        if not (tk.is_boundary(m.start()) and tk.is_boundary(m.end())):
            continue
        full = lex.gov_bodies[m.group()]
        spans.append(Span(m.start(), m.end(), T.GovernmentBody, canonical=full if full != m.group() else None,
                          rule="national-body"))
    for m in re.finditer(Lexicon.alternation(lex.national_media), text):  # 新华社, 央视
        i = tk.tok_at[m.start()]
        # (央视|春晚, which the segmenter's dictionary keeps as one word, 央视春晚)
        compound = tk.starts[i] == m.start() and tk.ends[i] > m.end() and word_frequency(tk.words[i][len(m.group()):]) > 0
        if tk.is_boundary(m.start()) and (tk.is_boundary(m.end()) or compound):
            full = lex.national_media[m.group()]
            spans.append(Span(m.start(), m.end(), T.Organization, canonical=full if full != m.group() else None,
                              rule="national-media"))
    return spans, branches


_NATIONAL_RE: re.Pattern | None = None


def _national_re(lex: Lexicon) -> re.Pattern:
    global _NATIONAL_RE
    if _NATIONAL_RE is None:
        _NATIONAL_RE = re.compile(Lexicon.alternation(lex.gov_bodies))
    return _NATIONAL_RE




_SUF_RE: re.Pattern | None = None


def _suffix_re(lex: Lexicon) -> re.Pattern:
    global _SUF_RE
    if _SUF_RE is None:
        _SUF_RE = re.compile(Lexicon.alternation(o.suffix for o in lex.org_suffixes))
    return _SUF_RE


def _gov_anchor(text: str, q: int, p: int, lex: Lexicon) -> int | None:
    body = text[q:p]
    for k in range(len(body) - 1):
        if body.startswith(GOV_ANCHORS, k) or _place_prefix_len(body[k:], lex):
            if len(body) - k >= 2:
                return q + k
    return None


def place_prefix_len(s: str) -> int:
    """Length of the administrative place name ``s`` starts with (0 if none)."""
    return _place_prefix_len(s, lexicon())


def _place_prefix_len(s: str, lex: Lexicon) -> int:
    table = _place_table(lex)
    if s:
        size = len(s)
        for n in _PREFIX_LENGTHS.get(s[0], ()):  # (the lengths of the forms starting with s[0])
            if n <= size and s[:n] in table:
                return n
    return 0


# verbs that name what an organization does, inside its name (产业创新服务综合体, 质量检测中心)
ORG_NAME_VERBS = frozenset("创新 服务 研究 检测 推广 孵化 促进 交流 研发 认证 培训".split())
LAB_SUFFIXES = ("实验室", "研究中心", "研发中心", "技术中心", "工程中心")
NUMBERED_BRANCHES = frozenset({"分厂", "分公司", "分行", "支行"})
_GROUP_SUBSIDIARY = re.compile(r"([\u3400-\u9fff]{2,10}?集团)(?!有限|股份|公司)([\u3400-\u9fff][\u3400-\u9fff（）()]{1,23}?"
                               r"(?:股份有限公司|有限责任公司|有限公司|股份公司))")


def _group_of_subsidiary(text: str, org: Span) -> Span | None:
    """X集团 right before a registered company's full name (X集团X股份有限公司): the group, a
    separate company and the subsidiary's parent; the registered name is the subsidiary's own."""
    m = _GROUP_SUBSIDIARY.fullmatch(text, org.start, org.end)
    if not m:
        return None
    return Span(org.start, m.end(1), T.Company, rule="group-of-subsidiary")


def _inner_org_end(body: str, lex: Lexicon) -> int:
    """End of the longest organization name inside a branch's body (华精集团|精密轴承分公司)."""
    best = 0
    for o in lex.org_suffixes:
        if o.kind == "branch":
            continue
        k = body.rfind(o.suffix)
        if k > 1:
            end = k + len(o.suffix)
            if end > best and end < len(body):
                best = end
    return best


# ---------------------------------------------------------------------------
# Places
# ---------------------------------------------------------------------------

_PLACES: dict[str, str | None] | None = None
#: first character → the lengths (2 to 12, longest first) of the table's forms starting with it
_PREFIX_LENGTHS: dict[str, tuple[int, ...]] = {}
#: the same for the forms starting with a CJK character (the gazetteer scan's)
_PLACE_LENGTHS: dict[str, tuple[int, ...]] = {}
ADMIN_SUFFIXES = ("特别行政区", "自治区", "自治州", "自治县", "地区", "省", "市", "县", "盟")


def _place_table(lex: Lexicon) -> dict[str, str | None]:
    """surface form → canonical full name (None when the short form is ambiguous)."""
    global _PLACES
    if _PLACES is None:
        from kg.nlp.pipeline import _jieba_tags

        tags = _jieba_tags()
        table: dict[str, str | None] = {}
        shorts: dict[str, set[str]] = {}
        for name, div in lex.divisions.items():
            table[name] = name
            for suf in ADMIN_SUFFIXES:
                if name.endswith(suf) and len(name) - len(suf) >= 2:
                    short = name[: -len(suf)]
                    tag = tags.get(short)
                    # short forms only for provinces, cities and county-level cities (余姚市 → 余姚)
                    if div.level == "county" and suf != "市":
                        break
                    if div.level != "county" or tag is None or tag[:2] in ("ns", "n", "nr", "nz"):
                        shorts.setdefault(short, set()).add(name)
                    break
            # a district's short form when jieba knows it as a place name (旅顺口区 → 旅顺口)
            if div.level == "county" and name.endswith("区") and not name.endswith(("自治区", "地区", "新区")):
                short = name[:-1]
                if len(short) >= 2 and tags.get(short, "").startswith("ns"):
                    shorts.setdefault(short, set()).add(name)
        for short, fulls in shorts.items():
            if short not in table:
                table[short] = next(iter(fulls)) if len(fulls) == 1 else None
        for name in lex.regions:
            table.setdefault(name, name)
        # (the scans try only these lengths, instead of every length up to 12)
        lengths: dict[str, set[int]] = {}
        for form in table:
            if 2 <= len(form) <= 12:
                lengths.setdefault(form[0], set()).add(len(form))
        _PREFIX_LENGTHS.update((c, tuple(sorted(ns, reverse=True))) for c, ns in lengths.items())
        _PLACE_LENGTHS.update((c, ns) for c, ns in _PREFIX_LENGTHS.items() if _is_cjk(c))
        _PLACES = table
    return _PLACES


def _county_in_context(text: str, canon: str, lex: Lexicon) -> bool:
    """A county-level unit's short form (瓦房店 for 瓦房店市) counts only in a text that also names
    the unit in full or its prefecture or province (大连, 辽宁), or after a verb or preposition of
    place (落户海淀); other levels always count."""
    div = lex.divisions.get(canon)
    if div is None or div.level != "county":
        return True
    if canon in text:
        return True
    up = [div.parent]
    parent = lex.divisions.get(div.parent)
    if parent is not None and parent.parent in lex.divisions:
        up.append(parent.parent)
    for name in up:
        short = re.sub(r"(?:特别行政区|自治区|自治州|省|市|地区|盟)\Z", "", name)
        if len(short) >= 2 and short in text:
            return True
    return False


def find_places(text: str, tk: Tokens, lex: Lexicon) -> list[Span]:
    table = _place_table(lex)
    longest = _PLACE_LENGTHS
    spans: list[Span] = []
    n = len(text)
    for s in [s for s in tk.starts if text[s] in longest]:
        best = None
        for L in longest[text[s]]:
            if L > n - s:
                continue
            form = text[s : s + L]
            if form in table:
                if tk.is_boundary(s + L) or best is None:
                    cand = (L, table[form])
                    if tk.is_boundary(s + L):
                        best = cand
                        break
                    best = best or cand
        if best:
            L, canon = best
            if text.startswith("地区", s + L) and text[s : s + L] in lex.regions and tk.is_boundary(s + L + 2):
                L, canon = L + 2, None  # 长三角地区, 东北地区: the region written with 地区
            if canon and canon != text[s : s + L] and not _county_in_context(text, canon, lex) \
                    and not re.search(r"(?:落户|位于|落地|地处|坐落于|坐落在|扎根|来到|走进|赴|在|于)\Z", text[max(0, s - 3) : s]):
                continue  # 灯塔(工厂), 江城: a county's short form far from its city reads as a common word
            spans.append(Span(s, s + L, T.Place, canonical=canon if canon and canon != text[s : s + L] else None, rule="gazetteer"))
    gaz_chars = {c for sp in spans for c in range(sp.start, sp.end)}
    # zones, parks and named regions built on a place or a proper name
    zone_re = re.compile(Lexicon.alternation(ZONE_SUFFIXES))
    for m in zone_re.finditer(text):
        if m.end() < n and not tk.is_boundary(m.end()):
            continue
        q = _walk_left(tk, lex, m.start(), max_chars=12, allowed=gaz_chars, stop_at_place=True)
        if q == m.start():
            # verbs inside a name that starts with its place (景德镇国家陶瓷文化传承创新试验区)
            q2 = _walk_left(tk, lex, m.start(), max_chars=16, allowed=gaz_chars, stop_at_place=True, stop_verbs=False)
            while q2 < m.start() and q2 not in gaz_chars:
                q2 = tk.ends[tk.tok_at[q2]]
            if q2 < m.start() and _place_prefix_len(text[q2 : m.start()], lex):
                q = q2
        # a zone's name starts with its place (岳麓重工|长沙经开区智能制造产业园: the company is not part of it)
        first_place = next((sp.start for sp in spans if sp.rule == "gazetteer" and q < sp.start < m.start()
                            and sp.start - 1 not in gaz_chars), None)
        if first_place is not None and not _place_prefix_len(text[q:first_place], lex):
            q = first_place
        body = text[q : m.start()]
        if len(body) < 2 or _generic_body(body, tk, q, m.start()):
            continue
        words = _words_in(tk, q, m.start())
        sector_park = len(words) >= 2 and m.group().startswith(("产业园", "工业园", "企业园", "小微企业园")) \
            and (words[-1] in lex.product_heads or words[-1] in lex.sectors)  # 高端轴承|产业园
        if not (_place_prefix_len(body, lex) or sector_park
                or any(tk.tags[tk.tok_at[c]] in ("", "ns", "nz", "j") for c in range(q, m.start()))):
            continue
        spans.append(Span(q, m.end(), T.Place, rule="zone"))
    # streets, roads, bridges, islands, communities (中山路, 长江大道, 海湾大桥, 金沙岛, 阳光社区)
    for m in re.finditer(r"大道|大街|路|街|大桥|桥|岛|社区|高速公路|高速", text):
        if not tk.is_boundary(m.end()):
            continue
        ti = tk.tok_at[m.start()]
        if tk.starts[ti] != m.start() and tk.tags[ti] not in ("", "ns", "nz"):
            continue  # 思路, 道路: the suffix is the tail of a common word
        if m.group() == "路" and text[m.start() - 1 : m.start()] in tuple("铁公马道思出线网水销门套电回去来进"):
            continue
        if all(c in gaz_chars for c in range(tk.starts[ti], tk.ends[ti])):
            continue  # 青岛, 舟山群岛: a place the gazetteer knows, not a street or an island
        q = _walk_left(tk, lex, m.start(), max_chars=6, allowed=gaz_chars, stop_at_place=True)
        body = text[q : m.start()]
        # 沿X路 / 东到X路 / 二环路富民桥: a route word or an earlier street ends at the name's left edge
        k = max((body.rfind(w) + len(w) for w in ("路", "街", "桥", "道") if w in body[:-1]), default=0)
        leads = [x.end() for x in re.finditer(r"[东西南北]?(?:到|至)|沿|经|从|在|往|向|过|于", body[k:]) if len(body) - k - x.end() >= 2]
        q += k + (leads[-1] if leads else 0)
        body = text[q : m.start()]
        street = m.group() in ("路", "大道", "大街", "街")  # street names are often common words (人民路)
        if len(body) < 2 or body.endswith("之") or _generic_body(body, tk, q, m.start()):
            continue
        if not street and _single_common_word(tk, q, m.start()):
            continue
        if not street and not any(tk.tags[tk.tok_at[c]] in ("", "ns", "nz", "j", "nr", "m") for c in range(q, m.start())) and not _place_prefix_len(body, lex):
            continue
        spans.append(Span(q, m.end(), T.Place, rule="street"))
    # towns, streets and villages (横河镇): a name of two or three characters before the suffix
    place_ends = {sp.end for sp in spans}
    for m in re.finditer(r"(街道|镇|乡)(?![\u3400-\u9fff]?长)", text):
        for L in (3, 2):
            s = m.start() - L
            if s < 0 or not all(_is_cjk(ch) for ch in text[s : m.start()]):
                continue
            if not tk.is_boundary(s) or _dict_word(tk, s, m.end()):
                continue
            body = text[s : m.start()]
            if body in GENERIC_MODIFIERS or body in GENERIC_TOWN_WORDS \
                    or any(w in lex.stopwords for w in _words_in(tk, s, m.start())):
                continue
            # a proper name, or any name right after its county or district (和平区彩霞街道)
            if all(tk.tags[tk.tok_at[c]] not in ("", "ns", "nr", "nz", "j") for c in range(s, m.start())) \
                    and s not in place_ends:
                continue
            spans.append(Span(s, m.end(), T.Place, rule="town"))
            break
    # a community or village right after its sub-district or town (彩霞街道|阳光花园社区)
    town_ends = {sp.end for sp in spans if sp.rule in ("town", "gazetteer")}
    for m in re.finditer(r"社区|村", text):
        for L in (5, 4, 3, 2):
            s = m.start() - L
            if s in town_ends and all(_is_cjk(ch) for ch in text[s : m.start()]) and tk.is_boundary(m.end()) \
                    and not text[s : m.end()].endswith(("农村", "乡村", "新农村")) \
                    and not any(w in lex.stopwords for w in _words_in(tk, s, m.start())):
                spans.append(Span(s, m.end(), T.Place, rule="community"))
                break
    # places listed together (长岛、松山岛、大青山三大片区): an item the segmenter tags as a place
    for i in [i for i, tag in enumerate(tk.tags) if tag == "ns"]:
        s, e, w = tk.starts[i], tk.ends[i], tk.words[i]
        if len(w) < 2 or s < 1 or text[s - 1] != "、" or any(sp.start == s for sp in spans):
            continue
        if any(sp.end == s - 1 for sp in spans) and w not in lex.stopwords:
            spans.append(Span(s, e, T.Place, rule="place-list"))
    # the four bounds of a plot (东到X界、南到Y、西到Z路、北到W): every bound is a place
    for m in re.finditer(r"[东南西北](?:到|至|临|接)([\u3400-\u9fff]{2,6}?)界?(?=[、，；。）)])", text):
        s, e = m.start(1), m.end(1)
        if text[s:e] in GENERIC_MODIFIERS or text.startswith(("规划", "现状", "在建"), s):
            continue
        if not re.search(r"[东南西北](?:到|至|临|接)", text[m.end() : m.end() + 12] + text[max(0, m.start() - 12) : m.start()]):
            continue  # a single 东到… is a direction, not a description of bounds
        if any(sp.start == s and sp.end == e for sp in spans):
            continue
        # the bound as a whole wins over a place name inside it (白沙河, not 沙河)
        spans = [sp for sp in spans if not (s <= sp.start and sp.end <= e) and not (sp.start < e and s < sp.end)]
        spans.append(Span(s, e, T.Place, rule="bounds"))
    return spans


# ---------------------------------------------------------------------------
# Industries, products, policies, projects
# ---------------------------------------------------------------------------

INDUSTRY_NOT_FOLLOWED = ("体系", "链", "集群", "园", "基地", "开发区", "化", "带", "工人", "工程师", "协会", "联盟", "大会")


SECTOR_PREFIXES = ("中高端", "高端", "新一代", "先进", "现代", "绿色", "智能", "新型", "精密", "大型")
_SECTOR_RE: re.Pattern | None = None


def _sector_re(lex: Lexicon) -> re.Pattern:
    """<prefix>*<sector> at the end of a string (中高端消费品, 新一代信息技术)."""
    global _SECTOR_RE
    if _SECTOR_RE is None:
        prefixes = Lexicon.alternation(SECTOR_PREFIXES)
        _SECTOR_RE = re.compile(rf"(?:{prefixes})*(?:{Lexicon.alternation(lex.sectors)})$")
    return _SECTOR_RE


@lru_cache(maxsize=1)
def _sector_lengths(lex: Lexicon) -> tuple[int, ...]:
    return tuple(sorted({len(x) for x in lex.sectors}))


def _sector_parts(name: str, lex: Lexicon) -> list[tuple[int, int]] | None:
    """A sector name (船舶与海工装备), or two joined by 与/和/及 (储能与氢能): their spans in ``name``."""
    if _sector_re(lex).fullmatch(name):
        return [(0, len(name))]
    m = re.fullmatch(r"(.{2,}?)[与和及](.{2,})", name)
    if m and _sector_re(lex).fullmatch(m.group(1)) and _sector_re(lex).fullmatch(m.group(2)):
        return [(0, m.end(1)), (m.start(2), len(name))]
    return None


# enumerated sectors: 装备制造、石油化工、冶金等产业
INDUSTRY_LIST_RE = re.compile(r"((?:[\u3400-\u9fff]{2,8}、)+[\u3400-\u9fff]{2,8})等(?:重点|传统|优势)?(?:产业|行业)")
# sectors listed before 等领域/等方向/等12个…产业集群
SECTOR_LIST_RE = re.compile(r"((?:[\u3400-\u9fff]{2,12}、)*[\u3400-\u9fff]{2,12})等(?:[\d一二三四五六七八九十]+个)?"
                            r"[\u3400-\u9fff]{0,6}?(?:产业|行业|领域|方向)")
# the characters a list before 等 is written in (the patterns above, PROJECT_LIST_RE,
# LISTED_PROJECTS_RE and COMPANY_LIST_RE)
LIST_RUN = re.compile(r"[\u3400-\u9fffA-Za-z0-9、\d]+")


def list_matches(pattern: re.Pattern, text: str):
    """``pattern.finditer(text)`` for a pattern of a list before 等 that only matches
    within a run of LIST_RUN's characters holding a 等 (no lookaround): searched only
    in such runs, instead of trying the pattern at every character of the text."""
    for run in LIST_RUN.finditer(text):
        if "等" in run.group():
            yield from pattern.finditer(text, run.start(), run.end())


def find_industries(text: str, tk: Tokens, lex: Lexicon, places: set[int]) -> list[Span]:
    spans = []
    for m in re.finditer(r"产业|行业|制造业|工业", text):
        chain = text.startswith(("链", "集群", "集聚"), m.end())  # 半导体产业链: the industry is 半导体产业
        if text.startswith(INDUSTRY_NOT_FOLLOWED, m.end()) and not chain \
                and not text.startswith(("带动", "带来", "带领"), m.end()):  # 产业带 is a belt; 产业带动… is not
            continue
        if m.group() in ("制造业", "工业") and m.end() < len(text) and not tk.is_boundary(m.end()):
            continue
        q = _walk_left(tk, lex, m.start(), max_chars=10, tags=NOUNISH_TAGS - {"v", "a", "f"})
        # a place name inside qualifies the industry; it is not part of the sector's name
        inner = [c for c in range(q, m.start()) if c in places]
        if inner:
            q = max(q, max(inner) + 1)
        words = _words_in(tk, q, m.start())
        while words and (
            words[0] in GENERIC_MODIFIERS
            or words[0] in lex.stopwords
            or words[0] in ("国内", "国外", "全球")
            or (tk.tags[tk.tok_at[q]] in ("v", "vn", "d", "p") and tk.starts[tk.tok_at[q]] == q)
        ):
            q += len(words.pop(0))
        body = text[q : m.start()]
        # a known sector name right before the word is the industry, whatever the tags say;
        # what stands before it is not (三大|石化, 2千亿级|高端装备)
        k = -1
        # (a known sector name ends right before the word, or none of the names below does)
        sector_ends = any(text[m.start() - n : m.start()] in lex.sectors for n in _sector_lengths(lex) if n <= m.start())
        for L in range(min(12, m.start()) if sector_ends else 0, 1, -1):
            if _sector_re(lex).fullmatch(text, m.start() - L, m.start()) and tk.is_boundary(m.start() - L) \
                    and not any(c in places for c in range(m.start() - L, m.start())):
                k, q, body = 0, m.start() - L, text[m.start() - L : m.start()]
                break
        if k >= 0:
            pass
        elif chain or m.group() == "工业" or any(
                tk.tags[i] in ("", "v") for i in range(tk.tok_at[q], tk.tok_at[m.start() - 1] + 1)) and q < m.start():
            continue  # an unknown sector: only from plain dictionary nouns (not 以新|产业, 赋能|产业)
        if m.group() == "制造业" and tk.is_boundary(m.start()) and (q == m.start() or body in GENERIC_MODIFIERS) \
                and text[m.start() - 1 : m.start()] not in ("的", "等") and not text.startswith(("企业", "单项"), m.end()):
            spans.append(Span(m.start(), m.end(), T.Industry, rule="industry-manufacturing"))  # the sector itself
            continue
        if len(body) < 2 or _generic_body(body, tk, q, m.start()) or body in GENERIC_MODIFIERS:
            continue
        last = tk.tok_at[m.start() - 1]
        if k < 0 and (tk.tags[last] in ("v", "vn") or tk.words[last] in VERBS_TAGGED_AS_NOUNS) \
                and tk.ends[last] == m.start():
            continue  # verb + object (助推产业, 优化产业, 制约产业), not a sector
        if any(body.endswith(g) for g in ("新兴", "传统", "优势", "特色", "主导", "支柱", "相关", "制造", "重点", "链条")) and not any(
            body.endswith(h) for h in lex.product_heads
        ) and k < 0:
            continue
        if m.group() == "工业" and k >= 0:
            # 轴承工业 is the bearing industry, 轴承产业
            spans.append(Span(q, m.end(), T.Industry, canonical=body + "产业", rule="industry-gongye"))
        elif m.group() in ("制造业", "工业"):
            spans.append(Span(q, m.end(), T.Industry, rule="industry-manufacturing"))
        else:
            # 机器人及智能装备产业: two sectors joined by 及 name one industry
            if q > 2 and text[q - 1] == "及":
                a = _walk_left(tk, lex, q - 1, max_chars=8, tags=NOUNISH_TAGS - {"v", "a", "f"})
                a = max([a] + [c + 1 for c in range(a, q - 1) if c in places])  # (余姚市|机器人及…)
                left = _words_in(tk, a, q - 1)
                while left and (left[0] in GENERIC_MODIFIERS or left[0] in lex.stopwords or left[0] in PRODUCT_NOT_MODIFIERS
                                or tk.tags[tk.tok_at[a]] in ("v", "vn", "d", "p", "")):
                    a += len(left.pop(0))
                chunk = text[a : q - 1]
                if len(chunk) >= 2 and (_sector_re(lex).fullmatch(chunk) or chunk.endswith(lex.product_heads)) \
                        and not any(c in places for c in range(a, q - 1)):
                    q, body = a, chunk + "及" + body
            spans.append(Span(q, m.end(), T.Industry, canonical=body + "产业", rule="industry"))
    for m in list_matches(INDUSTRY_LIST_RE, text):  # (enumerated sectors)
        first_end = m.start(1) + m.group(1).index("、")
        q = _walk_left(tk, lex, first_end, max_chars=8, tags=NOUNISH_TAGS - {"v"})
        words = _words_in(tk, q, first_end)
        while words and (words[0] in GENERIC_MODIFIERS or words[0] in lex.stopwords):
            q += len(words.pop(0))
        pos = q
        for item in text[q : m.end(1)].split("、"):
            s = pos
            pos += len(item) + 1
            if len(item) < 2 or item in GENERIC_MODIFIERS or not tk.is_boundary(s) \
                    or item.endswith(("商", "厂", "企业", "公司")):
                continue
            spans.append(Span(s, s + len(item), T.Industry, rule="industry-list"))
    # sectors listed before 等领域/等方向/等12个…产业集群: every item must be a known sector
    seen = {(sp.start, sp.end) for sp in spans}
    for m in list_matches(SECTOR_LIST_RE, text):
        items = m.group(1).split("、")
        first = items[0]
        k = next((j for j in range(len(first) - 1) if _sector_parts(first[j:], lex)), None)
        if k is None:
            continue
        pos = m.start(1)
        found = []
        for n, item in enumerate(items):
            s0 = pos + (k if n == 0 else 0)
            parts = _sector_parts(item[k:] if n == 0 else item, lex)
            pos += len(item) + 1
            if not parts:
                found = []
                break
            found += [(s0 + x, s0 + y) for x, y in parts]
        for a, b in found:
            if (a, b) not in seen and tk.is_boundary(a):
                seen.add((a, b))
                spans.append(Span(a, b, T.Industry, rule="industry-list"))
    # 轴承业: a product head word + 业 (every head that ends right before a 业)
    heads, lengths = lex.product_head_set, lex.product_head_lengths
    for m in re.finditer("业", text):
        p = m.start()
        if text.startswith(("业务", "业绩", "业内", "业态", "业界"), p):
            continue
        for L in lengths:
            h = text[p - L : p] if L <= p else ""
            if h in heads and tk.is_boundary(p - L):
                spans.append(Span(p - L, p + 1, T.Industry, canonical=h + "产业", rule="industry-ye"))
    return spans


def find_products(text: str, tk: Tokens, lex: Lexicon, blocked: set[int]) -> list[Span]:
    spans = []
    head_set = lex.product_head_set
    max_head = lex.product_head_lengths[0]
    # only the words that end in the last character of a head word (the searches below
    # would find none at the others)
    for m in _head_end_re(lex).finditer(text):
        i = tk.tok_at[m.start()]
        s, e, w = tk.starts[i], tk.ends[i], tk.words[i]
        if e != m.end():
            continue
        head = next((w[-k:] for k in range(min(len(w), max_head), 0, -1) if w[-k:] in head_set), None)
        # a head the segmenter split (安装|船, 混凝土泵|车, 钻井|平台): the longest one ending here
        longer = next((text[e - k : e] for k in range(min(e, max_head), len(w), -1)
                       if text[e - k : e] in head_set), None)
        if longer is not None and (head is None or len(longer) > len(head)):
            head = longer
        if head is None:
            head = _coined_head(text, tk, i)
        if head is None:
            continue
        if e < len(text) and text.startswith(("企业", "产业", "行业", "厂", "公司", "集团", "项目", "基地", "园", "业", "侧"), e) \
                or PART_OF_SECTOR.match(text, e):
            continue
        q = _walk_left(tk, lex, e - len(head), max_chars=16, blocked=blocked, tags=NOUNISH_TAGS - {"v"},
                       allow_tags=frozenset({"d", "g"}), allow_words=frozenset({"系列", "无", "式", "型"}), rare_verbs=RARE_VERB_FREQ,
                       inner_measures=True)
        # strip leading generic modifiers; a name begins after a quantifier inside it (配套|全部|海工吊机)
        words = _words_in(tk, q, e - len(head))
        cut = max((k + 1 for k, x in enumerate(words) if x in QUANTIFIERS), default=0)
        q += len("".join(words[:cut]))
        words = words[cut:]
        while words and (words[0] in PRODUCT_DETERMINERS or words[0] in lex.stopwords or words[0] == "无"
                         or DEMONSTRATIVE_MEASURE.fullmatch(words[0])
                         or tk.tags[tk.tok_at[q]] == "q" and tk.starts[tk.tok_at[q]] == q):
            q += len(words.pop(0))
        # a verb opening the modifier is the predicate, not part of the name (出产|精密机床轴承, 经营|压缩机)
        while words and tk.starts[tk.tok_at[q]] == q and (
                words[0] in PRODUCTION_VERBS or words[0] in PRODUCT_NOT_MODIFIERS
                or tk.tags[tk.tok_at[q]] == "f"  # 周边|中药材
                or len(words) >= 2 and tk.tags[tk.tok_at[q]] in ("v", "vn") and word_frequency(words[0]) >= RARE_VERB_FREQ):
            q += len(words.pop(0))
        # 以微|小型轴承: a function character glued by the segmenter to an unknown word is not part of the name
        if words and text[q] in GLUED_LEFT_CHARS and tk.tags[tk.tok_at[q]] == "" and tk.starts[tk.tok_at[q]] == q \
                and len(words[0]) >= 2:
            q += 1
            words[0] = words[0][1:]
        # 机器人生产机器人: a product, a verb of making, then the product made; the name is the last part
        # (also after a manner word: 满负荷生产|电池液冷板)
        for k in range(len(words) - 1, 0, -1):
            if words[k] in PRODUCTION_VERBS and (any("".join(words[:k]).endswith(h) for h in head_set)
                                                 or words[k - 1] in MANNER_WORDS):
                q += len("".join(words[: k + 1]))
                words = words[k + 1 :]
                break
        # 精密、重载系列高端轴承: a product line named before 系列 is not part of what follows it
        cut = text.rfind("系列", q, e - len(head) - 2)
        if cut >= 0:
            q = cut + 2
        # 华墨新材年产|球形石墨: the maker and its yearly output stand before the name
        made = list(re.finditer(r"(?:年|月|日)产(?:能)?", text[q : e - len(head)]))
        if made and tk.is_boundary(q + made[-1].end()):
            q += made[-1].end()
        # 3000台|六轴工业机器人, 新建2条|高端汽车板: a count before the name is not part of it
        counted = list(COUNT_BEFORE_NAME.finditer(text, q, e - len(head)))
        if counted:
            q = counted[-1].end()
        canonical = None
        if q < e - len(head):
            # “天枢300”重型燃气轮机: a quoted brand or model right before the name is part of it (written
            # without the quotation marks); so is a model code (X350型|浮式钻井平台, 5G|智能巡检系统)
            mq = re.search(r"“([\u3400-\u9fffA-Za-z0-9\-]{2,10})”\Z", text[max(0, q - 14) : q])
            mc = re.search(r"(?<![A-Za-z0-9\-])(?=[A-Za-z0-9\-]*[A-Za-z])(?=[A-Za-z0-9\-]*[0-9\-])"
                           r"[A-Za-z0-9][A-Za-z0-9\-]{0,11}型?\Z", text[max(0, q - 14) : q])
            if mq:
                canonical = mq.group(1) + text[q:e]
                q -= len(mq.group())
            elif mc:
                q -= len(mc.group())
        modifier = text[q : e - len(head)]
        if not modifier or q >= e - len(head):
            # a bare head is a product only as the object of a verb of making or selling (装配压缩机)
            if head == w and len(head) >= 3 and head not in BARE_HEAD_EXCLUDED and _after_production_verb(tk, i):
                spans.append(Span(s, e, T.Product, rule=f"product:{head}"))
            continue
        if len(modifier) < 2 and head != "贷" or modifier in ("系列", "型", "类") \
                or head == "贷" and modifier.endswith("信"):  # 信贷 is credit, not a loan product
            continue
        if head in GENERIC_HEAD_PRODUCTS and not _holds_specific_head(modifier, lex):
            continue
        if head in ("生产线", "产线", "装配线", "总装线") and modifier.endswith(_specific_heads(lex)[0]) \
                and not re.search(r"(?:研制|研发|设计|交付|出口|供货|销售|提供)(?:的|了|出)?[\u3400-\u9fff]{0,3}\Z",
                                  text[max(0, q - 8) : q]):
            # 精密轴承生产线: the product is what the line makes (the line is the maker's own), unless
            # the line is itself what is designed or sold (研制的…薄膜生产线)
            e = e - len(head)
            head = next(h for h in sorted(head_set, key=len, reverse=True) if modifier.endswith(h))
        if all(c in "的之等和与及" for c in modifier) or _place_prefix_len(modifier, lex) == len(modifier):
            continue
        spans.append(Span(q, e, T.Product, canonical=canonical, rule=f"product:{head}"))
    return spans


# characters that end the names of kinds of device, agent, fluid, film, powder or machine
# (灌流器, 催化剂, 透析液, 透析膜, 硅微粉, 固定钉, 监护仪, 洗碗机, 硅胶, 润滑油)
COINED_HEAD_CHARS = frozenset("器剂液膜粉钉仪机胶油")


@lru_cache(maxsize=1)
def _specific_heads(lex: Lexicon) -> tuple[tuple[str, ...], frozenset[str], tuple[int, ...]]:
    """The product heads that are not generic (轴承, not 设备): as a tuple, a set, and their lengths."""
    heads = sorted(h for h in lex.product_head_set if h not in GENERIC_HEAD_PRODUCTS)
    return tuple(heads), frozenset(heads), tuple(sorted({len(h) for h in heads}))


def _holds_specific_head(s: str, lex: Lexicon) -> bool:
    """Whether a head that is not generic occurs in ``s`` (looked up by its substrings)."""
    _, heads, lengths = _specific_heads(lex)
    return any(s[a : a + n] in heads for n in lengths for a in range(len(s) - n + 1))


@lru_cache(maxsize=1)
def _head_end_re(lex: Lexicon) -> re.Pattern:
    """The last character of a product head word, or of a coined head."""
    chars = lex.product_head_last_chars | COINED_HEAD_CHARS
    return re.compile("[" + re.escape("".join(sorted(chars))) + "]")


# rare words ending so that name no kind (国之重器, 新增装机, 单机容量, 整机, 样机)
COINED_NOT_HEADS = frozenset("重器 装机 单机 整机 样机 开机 停机 待机 关机 联机 上机 下机 实机 新机 机机 原液 浓液".split())
# a word ending in one of them is a kind of product only when it is rare: 透析器 is, 机器,
# 武器, 商机, 教材 or 溶液 are everyday words
COINED_HEAD_MAX_FREQ = 150


def _coined_head(text: str, tk: Tokens, i: int) -> str | None:
    """The head word of a product kind the head list does not have, ending at token ``i``:
    a rare word ending in a head character (灌流器), or a head character the segmenter cut
    off a noun (灌流|器)."""
    w = tk.words[i]
    if not w or w[-1] not in COINED_HEAD_CHARS or not all(_is_cjk(c) for c in w) or w in COINED_NOT_HEADS:
        return None
    if len(w) >= 2:
        return w if word_frequency(w) < COINED_HEAD_MAX_FREQ and tk.tags[i] not in ("v", "a", "d", "nr", "ns") else None
    if i == 0 or tk.ends[i - 1] != tk.starts[i]:
        return None
    prev = tk.words[i - 1]
    if not (1 <= len(prev) <= 3 and all(_is_cjk(c) for c in prev)) or tk.tags[i - 1] not in ("n", "nz", "vn", "", "ng", "b", "v"):
        return None
    word = prev + w
    return word if word not in COINED_NOT_HEADS and word_frequency(word) < COINED_HEAD_MAX_FREQ and word_frequency(prev) < 20000 else None


def _after_production_verb(tk: Tokens, i: int) -> bool:
    """Token ``i`` follows a verb of making or selling (正在装配|压缩机, 主要经营|压缩机)."""
    j = i - 1
    while j >= 0 and tk.words[j] in ("正在", "已", "已经", "主要", "还", "也", "出", "了"):
        j -= 1
    return j >= 0 and tk.words[j] in PRODUCTION_VERBS


def find_policies(text: str, tk: Tokens, lex: Lexicon) -> list[Span]:
    spans = []
    for m in re.finditer(r"《([^《》\n]{2,80})》", text):
        inner = m.group(1)
        core = re.sub(r"[（(][^）)]*[）)]$", "", inner)
        if any(core.endswith(w) or w in core for w in POLICY_WORDS):
            spans.append(Span(m.start(1), m.end(1), T.Policy, rule="book-title"))
    named = Lexicon.alternation(("计划", "工程", "行动", "战略", "专项行动", "行动计划", "三年行动", "倡议"))
    # a programme whose name quotes its slogan: 科技“领航者”培育工程, “益企同行”服务行动,
    # “科技领航”工程五年行动计划 (the name is written without the quotation marks)
    for m in re.finditer(rf"“([^“”\n]{{2,20}})”([\u3400-\u9fff]{{0,4}}?)({named})"
                         rf"((?:[一二三四五六七八九十\d]+年)?(?:行动计划|行动方案|实施方案))?", text):
        if m.group(2) and not all(tk.tags[tk.tok_at[c]] in NOUNISH_TAGS for c in range(m.start(2), m.end(2))):
            continue
        if m.end() < len(text) and not tk.is_boundary(m.end()):
            continue
        q = _walk_left(tk, lex, m.start(), max_chars=8, tags=NOUNISH_TAGS - {"v"}, allow_words=frozenset({"和", "企业"}))
        if q > 0 and text[q - 1] in "”\"":
            q = m.start()  # “A”工程和“B”行动: what follows the first programme's name is not part of the second's
        words = _words_in(tk, q, m.start())
        while words and (words[0] in lex.stopwords and words[0] != "企业" or words[0] in ("和", "新一轮", "一批")
                         or words[0].endswith(POLICY_VERBS)
                         or tk.tags[tk.tok_at[q]] in ("v", "vn") and tk.starts[tk.tok_at[q]] == q):
            q += len(words.pop(0))
        name = text[q : m.start()] + m.group(1) + m.group(2) + m.group(3) + (m.group(4) or "")
        spans.append(Span(q, m.end(), T.Policy, canonical=name.replace("‘", "").replace("’", ""), rule="quoted-programme"))
    for m in re.finditer(rf"({named})", text):
        if text[m.start() - 1 : m.start()] == "”":
            continue
        if m.end() < len(text) and not tk.is_boundary(m.end()):
            continue
        if m.end() < len(text) and tk.tags[tk.tok_at[m.end()]] in ("v", "vn", "d"):
            continue  # 计划扩产: "plans to", not a programme
        if m.group() == "工程" and m.end() < len(text) and tk.tags[tk.tok_at[m.end()]].startswith("n") \
                and _is_cjk(text[m.end()]):
            continue  # 工程|机械行业, 工程|师: 工程 modifies the noun after it
        if m.group() == "工程" and re.search(r"(?:改扩建|扩建|改建|新建|续建|改造|配套)\Z", text[:m.start()]):
            continue  # 高速改扩建工程: construction works, not a programme
        q = _walk_left(
            tk, lex, m.start(), max_chars=12, tags=PROPER_TAGS | {"n", "nz", "vn", "b", "v", "a"}, stop_verbs=False,
            allow_words=PROJECT_WORDS,
        )
        words = _words_in(tk, q, m.start())
        body = text[q : m.start()]
        if len(body) < 2 or _generic_body(body, tk, q, m.start()):
            continue
        proper = any(tk.tags[tk.tok_at[c]] in ("", "nz", "j", "ns", "nr") for c in range(q, m.start()))
        # a programme of ordinary words needs a name of some length (产业链协同升级工程, not 发展战略)
        if not proper and (len(body) < 4 or len(words) < 2):
            continue
        spans.append(Span(q, m.end(), T.Policy, rule="named-programme"))
    spans += _campaigns_and_listed_policies(text, tk, lex)
    # the title of a document on a line of its own, without 《》 (关于加快推动X的实施意见)
    for m in HEADING_POLICY.finditer(text):
        spans.append(Span(m.start(1), m.end(1), T.Policy, rule="heading-policy"))
    return spans


HEADING_POLICY = re.compile(r"(?m)^(关于[^\n，。；《》“”]{4,60}?的(?:实施意见|指导意见|若干意见|意见|通知|实施方案|工作方案|"
                            r"方案|管理办法|办法|决定|规划|若干措施|措施|实施细则|细则))$")


# verbs that launch or apply a policy: the words after them, up to the campaign's suffix, name it
CAMPAIGN_VERBS = ("开展", "推进", "实施", "启动", "部署", "推行", "组织开展", "深入开展", "落实", "梳理", "享受", "用好",
                  "兑现", "宣传", "解读")
# a numbered slogan (七个聚焦, 两化融合, 三篇大文章) is not a policy (guideline)
SLOGAN_RE = re.compile(r"[一二两三四五六七八九十百千万\d]+[个项大化篇条]")
GOAL_VERBS = tuple(POLICY_VERBS) + tuple(PRODUCT_NOT_MODIFIERS) + ("加大", "促进", "提高", "提升", "加强", "优化", "完善")
CAMPAIGN_SUFFIXES = ("专项行动", "攻坚行动", "专项整治", "行动计划", "三年行动")


def _campaigns_and_listed_policies(text: str, tk: Tokens, lex: Lexicon) -> list[Span]:
    """Policies whose names are clauses (推进防范和化解拖欠账款专项行动), quoted measures in a list
    of campaigns or after 实施 (推出“阳光快办”、…等专项行动; 实施税费优惠“即申即享”), and
    measures listed before 等政策 (研发费用加计扣除、固定资产加速折旧等相关政策)."""
    out = []
    verbs = Lexicon.alternation(CAMPAIGN_VERBS)
    suffixes = Lexicon.alternation(CAMPAIGN_SUFFIXES)
    for m in re.finditer(rf"(?:{verbs})([\u3400-\u9fff]{{4,20}}?(?:{suffixes}))(?=[、，。；）)\n]|$)", text):
        name = m.group(1)
        if "等" in name or name.startswith(("各项", "一系列", "系列", "相关", "有关")) or any(v in name for v in CAMPAIGN_VERBS):
            continue
        if tk.is_boundary(m.start(1)):
            out.append(Span(m.start(1), m.end(1), T.Policy, rule="campaign"))
    for m in re.finditer(r"((?:[^、，。；\n]{2,20}、)+[^、，。；\n]{2,20})等(?:专项|相关|优惠|扶持)?(?:行动|政策|措施|举措)", text):
        items = m.group(1).split("、")
        pos = m.start(1)
        for n, item in enumerate(items):
            s0, e0 = pos, pos + len(item)
            pos = e0 + 1
            q = re.fullmatch(r"(.*?)“([^“”]{2,10})”", item)
            if q and SLOGAN_RE.match(q.group(2)):
                continue
            if q:  # a quoted measure
                out.append(Span(s0 + len(q.group(1)) + 1, e0 - 1, T.Policy, rule="listed-policy"))
                continue
            if not m.group().endswith("政策"):
                continue
            if n == 0:  # where the first item starts: after the verb that introduces the list
                k = max((item.rfind(v) + len(v) for v in CAMPAIGN_VERBS if v in item), default=-1)
                if k <= 0:
                    continue
                s0 += k
            # a named measure, not a field of policy (住房保障) or a goal (推动制造业高质量发展)
            if not re.fullmatch(r"[\u3400-\u9fff]{6,14}", text[s0:e0]):
                continue
            if text.startswith(GOAL_VERBS, s0):
                continue
            if tk.is_boundary(s0) and tk.is_boundary(e0) and text[s0:e0] not in GENERIC_MODIFIERS:
                out.append(Span(s0, e0, T.Policy, rule="listed-policy"))
    for m in re.finditer(r"(?:实施|推行)[\u3400-\u9fff]{0,6}“([\u3400-\u9fff]{2,8})”(?=[，。；、]|$)", text):
        if not SLOGAN_RE.match(m.group(1)):
            out.append(Span(m.start(1), m.end(1), T.Policy, rule="quoted-measure"))
    return out


# a yearly capacity inside a project's name
CAPACITY_IN_NAME = re.compile(r"年产(?:能)?\s*[\d.]+\s*(?:万|千|百|亿)?\s*(?:吨|台|套|辆|件|片|平方米|千瓦时|吉瓦时|兆瓦时|GWh|GW|MW|"
                              r"只|颗|支|个|条|艘|立方米|米|盒|瓶|头|株)")


# a list of projects (A项目、B项目和C项目等…)
PROJECT_LIST_RE = re.compile(r"((?:[\u3400-\u9fffA-Za-z0-9]{2,24}项目[、和])+[\u3400-\u9fffA-Za-z0-9]{2,24}项目)等")
# projects listed before 等项目, 等60个项目, 等一批重点项目
LISTED_PROJECTS_RE = re.compile(r"((?:[\u3400-\u9fffA-Za-z0-9]{4,24}[、和])+[\u3400-\u9fffA-Za-z0-9]{4,24})等"
                                r"(?:[\d一二三四五六七八九十]+个|一批)?[\u3400-\u9fff]{0,4}?项目")


def find_projects(text: str, tk: Tokens, lex: Lexicon, blocked: set[int], places: set[int]) -> list[Span]:
    spans = []
    for m in re.finditer("项目", text):
        if m.end() < len(text) and not tk.is_boundary(m.end()) and not tk.is_boundary(m.start()):
            continue
        if text.startswith(("库", "池", "储备库", "清单"), m.end()):
            continue  # 项目库: a list of projects, not one
        q = _walk_left(
            tk, lex, m.start(), max_chars=24, blocked=blocked, stop_verbs=False, allow_words=PROJECT_WORDS,
            allowed=places, stop_at_place=True,
        )
        # a park or zone inside the project's name (X长沙经开区智能制造产业园项目): walk on past it
        # when a company's name stands right before the park (its investor names the project)
        if q < m.start() and re.search(r"(?:开区|新区|园区|片区)\Z", text[max(0, q - 3) : q]):
            zs = q
            while zs > 0 and zs - 1 in places:
                zs -= 1
            if zs < q and text[:zs].endswith(tuple(TRADE_WORDS) + ("集团", "公司", "股份")):
                q = _walk_left(tk, lex, q, max_chars=24 - (m.start() - q), blocked=blocked, stop_verbs=False,
                               allow_words=PROJECT_WORDS, allowed=places, stop_at_place="second")
        k = text.rfind("项目", q, m.start())
        if k >= 0:
            q = k + 2  # an earlier project ends here
        words = _words_in(tk, q, m.start())
        while words and (
            words[0] in GENERIC_MODIFIERS
            or words[0] in lex.stopwords
            or words[0] in ("等", "个", "年")
            or re.fullmatch(r"[\d０-９.]+|[一二两三四五六七八九十百千几多]+|\s+", words[0])
            or (len(words) >= 2 and tk.tags[tk.tok_at[q]] == "v" and words[0] not in PROJECT_WORDS)
        ):
            q += len(words.pop(0))
        body = text[q : m.start()]
        if len(body) < 4 or _generic_body(body, tk, q, m.start()):
            continue
        if re.search(r"(?:[\d０-９]+|[一二两三四五六七八九十百千几多]+)\s*(?:个|项|批|类|大)\Z", text[max(0, q - 8) : q]) \
                or text[q] in "个项批类" and re.search(r"[\d０-９]\s*\Z", text[max(0, q - 4) : q]):
            continue  # 27个海工配套项目: a count of a kind of projects, not one named project
        kind = next((w for w in PROJECT_KIND_WORDS if body.endswith(w)), None)
        if kind and (body[: -len(kind)] in lex.gov_bodies or _place_prefix_len(body[: -len(kind)], lex) == len(body) - len(kind)):
            continue  # 工信部示范项目, 江西省重点项目: a kind of project, named by who lists it
        if not any(tk.tags[tk.tok_at[c]] in ("", "nz", "j", "ns", "nr", "nt", "eng") for c in range(q, m.start())) \
                and not re.search(r"(?:集团|公司).{2}", body) \
                and not (len(body) >= 6 and set(_words_in(tk, q, m.start())) & PROJECT_WORDS):
            continue  # (a name: a proper word, its company, or what is built 易地建设升级)
        spans.append(Span(q, m.end(), T.Project, rule="project"))
    # a project named with its yearly capacity (X公司年产5万台工业机器人项目, 年产8万吨负极材料一体化项目)
    for m in CAPACITY_IN_NAME.finditer(text):
        end = text.find("项目", m.end(), m.end() + 24)
        if end < 0 or re.search(r"[，。；：、！？\n（）()“”]", text[m.end() : end]):
            continue
        q = _walk_left(tk, lex, m.start(), max_chars=20, blocked=blocked, stop_verbs=True, allowed=places,
                       stop_at_place="second", allow_words=LEGAL_WORDS)
        words = _words_in(tk, q, m.start())
        while words and (words[0] in lex.stopwords or words[0] in GENERIC_MODIFIERS or words[0] in PROJECT_WORDS
                         or tk.tags[tk.tok_at[q]] in ("v", "vn", "p", "d") and tk.starts[tk.tok_at[q]] == q):
            q += len(words.pop(0))
        if q < m.start() and not tk.is_boundary(q):
            continue
        spans.append(Span(q, end + 2, T.Project, rule="project-capacity"))
    # A项目、B项目和C项目等一批重点项目: each item of a list of projects is one
    for m in list_matches(PROJECT_LIST_RE, text):
        pos = m.start(1)
        for item in re.split(r"(?<=项目)[、和]", m.group(1)):
            s0, e0 = pos, pos + len(item)
            pos = e0 + 1
            if s0 == m.start(1):
                s0 = _walk_left(tk, lex, e0 - 2, max_chars=24, blocked=blocked, stop_verbs=False,
                                allow_words=PROJECT_WORDS, allowed=places, stop_at_place=True)
            body = text[s0 : e0 - 2]
            if len(body) >= 2 and tk.is_boundary(s0) and not _generic_body(body, tk, s0, e0 - 2) \
                    and body not in PROJECT_WORDS:
                spans.append(Span(s0, e0, T.Project, rule="project-list"))
    # projects listed before 等项目 / 等60个项目 / 等一批重点项目 (A、B和C等项目)
    for m in list_matches(LISTED_PROJECTS_RE, text):
        items = re.split(r"[、和]", m.group(1))
        first_end = m.start(1) + len(items[0])
        q = _walk_left(tk, lex, first_end, max_chars=24, blocked=blocked, stop_verbs=False, allowed=places)
        words = _words_in(tk, q, first_end)
        while words and (words[0] in lex.stopwords or words[0] in GENERIC_MODIFIERS
                         or words[0].endswith(POLICY_VERBS + ("规划", "建设", "开工", "签约")) and len(words) > 1):
            q += len(words.pop(0))
        pos = m.start(1)
        for n, item in enumerate(items):
            s0 = q if n == 0 else pos
            e0 = pos + len(item)
            pos = e0 + 1
            if e0 - s0 < 4 or "项目" in text[s0:e0] or not tk.is_boundary(s0) or not tk.is_boundary(e0):
                continue
            if not any(tk.tags[tk.tok_at[c]] in ("", "nz", "j", "ns", "nr", "nt", "eng") for c in range(s0, e0)) \
                    and not any(text[s0:e0].find(h) > 0 for h in lex.product_heads if len(h) >= 2):
                continue  # 能效提升、清洁生产等改造项目: kinds of work, not named projects
            spans.append(Span(s0, e0, T.Project, rule="project-list"))
    return spans


# the alias is quoted whole (简称“华精”), or quotes its slogan and goes on (以下简称“解纾暖”行动)
ALIAS_RE = re.compile(
    r"[（(]\s*(以下简称|简称)[：:]?\s*(“[^”\n]{1,20}”[\u3400-\u9fff]{1,6}|[“\"]?([^”\"）)，,、；\n]{1,20}?)[”\"]?)\s*[）)]")


def find_alias_declarations(text: str, spans: list[Span]) -> list[AliasHit]:
    by_end: dict[int, Span] = {}
    for sp in spans:
        if sp.end not in by_end or (sp.end - sp.start) > (by_end[sp.end].end - by_end[sp.end].start):
            by_end[sp.end] = sp
    out = []
    for m in ALIAS_RE.finditer(text):
        full = by_end.get(m.start())
        if full is None and m.start() > 0 and text[m.start() - 1] in "》中":
            full = by_end.get(m.start() - 1)  # 《X》（简称Y）; 在X行动中（以下简称Y）
        if full is None:
            continue
        a0, a1 = (m.start(3), m.end(3)) if m.group(3) is not None else (m.start(2), m.end(2))
        alias = Span(a0, a1, full.type, rule="alias-declaration")
        out.append(AliasHit(full, alias, m.group(1)))
    return out


def _names_reaching_their_alias(text: str, cands: list[Span], aliases: list[AliasHit],
                                places: list[Span]) -> tuple[list[Span], list[AliasHit]]:
    """A declared short name begins the name it shortens: when the name found lacks the short
    name's first character and that character stands right before it (烟台泓|远海洋装备科技有限公司
    （简称泓远装备）, the segmenter read 泓 as a measure word), the name starts there, or at the
    place right before it."""
    place_by_end = {sp.end: sp for sp in places}
    fixed: dict[int, Span] = {}
    out = []
    for hit in aliases:
        full, alias = hit.full, text[hit.alias.start : hit.alias.end]
        name = text[full.start : full.end]
        if full.type in ORG_TYPES and alias and alias[0] not in name and full.start > 0 \
                and text[full.start - 1] == alias[0] and _is_cjk(alias[0]):
            start = full.start - 1
            place = place_by_end.get(start)
            new = Span(place.start if place else start, full.end, full.type, full.canonical, full.rule)
            fixed[id(full)] = new
            hit = AliasHit(new, Span(hit.alias.start, hit.alias.end, new.type, rule=hit.alias.rule), hit.how)
        out.append(hit)
    if fixed:
        cands = [fixed.get(id(c), c) for c in cands]
    return cands, out


# ---------------------------------------------------------------------------
# Putting it together
# ---------------------------------------------------------------------------

PRIORITY = {T.Person: 0, T.Company: 1, T.GovernmentBody: 1, T.ResearchInstitution: 1, T.Organization: 1,
            T.Policy: 2, T.Project: 3, T.Place: 4, T.Industry: 5, T.Product: 6}


def _select(cands: list[Span]) -> list[Span]:
    """Non-overlapping spans, longest first; ties by type priority then position."""
    chosen: list[Span] = []
    taken = bytearray()
    order = sorted(cands, key=lambda s: (-(s.end - s.start), PRIORITY[s.type], s.start))
    maxend = max((s.end for s in cands), default=0)
    taken = bytearray(maxend + 1)
    for sp in order:
        if any(taken[sp.start : sp.end]):
            continue
        chosen.append(sp)
        for c in range(sp.start, sp.end):
            taken[c] = 1
    return sorted(chosen, key=lambda s: s.start)


def extract_entities(doc: Doc) -> EntityResult:
    lex = lexicon()
    text = doc_text(doc)
    tk = Tokens(doc)
    titles = find_titles(text, lex)
    persons = find_persons(text, tk, titles, lex)
    person_chars = {c for s in persons for c in range(s.start, s.end)}
    title_chars = {c for t in titles for c in range(t.start, t.end)}
    places = find_places(text, tk, lex)
    place_chars = {c for s in places for c in range(s.start, s.end)}
    zone_chars = {c for s in places if s.rule == "zone" for c in range(s.start, s.end)}
    orgs, branches = find_orgs(text, tk, lex, blocked=person_chars | title_chars, allowed=place_chars, zones=zone_chars)
    orgs = _with_campus(text, orgs, branches, lex)
    blocked = person_chars | title_chars
    cands = persons + orgs + places
    cands += find_industries(text, tk, lex, place_chars)
    org_chars = {c for s in orgs for c in range(s.start, s.end)}
    cands += find_products(text, tk, lex, blocked | place_chars | org_chars)
    cands += find_policies(text, tk, lex)
    cands += find_projects(text, tk, lex, blocked, place_chars)
    cands += _level_bodies(text, tk, places)
    cands += _divisions_of_bodies(text, tk, orgs)
    cands += _bodies_set_up(text, tk, blocked | place_chars)
    community = _community_bodies(text, places)
    cands += [b for b, _ in community]
    # titles are not names: drop candidates that merely sit inside a title (市委 in 市委书记)
    title_end_from: dict[int, int] = {}  # character → the furthest end of the titles over it
    for t in titles:
        for c in range(t.start, t.end):
            title_end_from[c] = max(title_end_from.get(c, 0), t.end)
    cands = [c for c in cands if title_end_from.get(c.start, -1) < c.end]
    cands += _holders_before_company_titles(text, tk, lex, titles, persons, cands)
    cands += _listed_companies(text, tk, lex, place_chars)
    cands += _first_unit_makers(text, tk, lex, place_chars)
    cands += _brand_companies(text, tk, lex, blocked, places)
    aliases = find_alias_declarations(text, cands)
    cands, aliases = _names_reaching_their_alias(text, cands, aliases, places)
    cands += [a.alias for a in aliases]
    nested = [b[1] for b in branches]
    chosen = _select([c for c in cands if c not in nested])
    chosen = _propagate(text, tk, chosen, lex, sources=[b[1] for b in branches if b[0] in set(chosen)])
    chosen = _level_short_forms(text, chosen)
    chosen = _place_dropped_forms(text, chosen, lex)
    chosen += _project_investors(text, tk, chosen)
    chosen += _kinds_and_listed_products(text, tk, lex, chosen)
    # a branch's parent is kept as a nested mention (华精集团 inside 华精集团精密轴承分公司)
    chosen_set = set(chosen)
    placed = {(c.start, c.end, c.type) for c in chosen}
    for body, place in community:  # the community stays a place of its own (X社区 in X社区党委)
        if body in chosen_set and (place.start, place.end, place.type) not in placed:
            placed.add((place.start, place.end, place.type))
            chosen.append(place)
    # (only when the document also names the parent on its own: a bank that only qualifies its
    # branch's name, 华兴银行股份有限公司杭州分行, is no entity of the document)
    alone = {text[c.start : c.end] for c in chosen if c.type in ORG_TYPES} | {
        text[a.alias.start : a.alias.end] for a in aliases}
    # (the names of a chain, 集团|股份有限公司|分厂, are each named)
    in_chain = {id(x[0]) for x in branches} & {id(x[1]) for x in branches}
    for b, parent, _, _ in branches:  # (a chain lists the branch before its parent's parent)
        if b in chosen_set and parent not in chosen_set and (
                text[parent.start : parent.end] in alone or parent.rule == "parent-of-lab"
                or id(parent) in in_chain or id(b) in in_chain):
            chosen_set.add(parent)
            if (parent.start, parent.end, parent.type) not in placed:
                placed.add((parent.start, parent.end, parent.type))
                chosen.append(parent)
    chosen.sort(key=lambda s: (s.start, s.end))
    branches = [b for b in branches if b[0] in chosen_set and b[1] in chosen_set]
    chosen = [_industry_named(text, s) for s in chosen]
    return EntityResult(chosen, titles, aliases, branches)


# heads that stand for a whole branch of industry when used alone: a bare one is never a product
# (光伏组件 alone names a kind; 电池, 汽车 or 半导体 alone name a sector)
BARE_GENERIC = BARE_HEAD_EXCLUDED | frozenset(
    "电池 汽车 新能源汽车 半导体 集成电路 陶瓷 生产线 产线 装配线 总装线 机床 母机 船 药 贷 e贷 模块 总成 封装 气体 "
    "合金 复合材料 纤维 玻璃 器件 元器件 整车 主机 面板 钢材 材料 云平台 操作系统 服务器 无人机 飞机 发动机 电机 "
    "药品 药物 制剂 器械 医疗器械 耗材 仪器 仪表 制品 服装 服饰 纺织品 化纤 鞋 皮革 食品 饮料 种子 农药 化学品 塑料 "
    "橡胶 稀土 水泥 电缆 电线 手机 电脑 家电 电源 卫星 火箭 家具 石墨 颗粒 支架 导管 电极 助剂 弹簧".split())
# what follows a product kind named alone: its output, orders or making (电芯订单, 泵车总装, 光刻胶产能)
KIND_THEN = re.compile(r"(?:的)?(?:产能|产量|出货量|销量|订单(?!班)|总装|生产|制造|研发|研制|出口|交付|供货|装机量|下线|国产化)")
# a count with a measure word right before a kind (一台泵车, 两艘运输船); not a demonstrative
# (这款吊机 points back to a product named before)
MEASURE_BEFORE = re.compile(r"(?<![这那该此])(?:[\d一二两三四五六七八九十百千万]+|每|首)(?:台|套|艘|辆|架|款|批|条|座)\Z")
LIST_JOINER = re.compile(r"、|和|及|与|以及|，以及")
CLAUSE_END = re.compile(r"[，。；：！？\n]|等")


def _kinds_and_listed_products(text: str, tk: Tokens, lex: Lexicon, chosen: list[Span]) -> list[Span]:
    """Products the head rule leaves out, found by their place in the sentence.

    * A product kind named by its head word alone (逆变器, 泵车, 硅片; not a sector word such as
      电池, nor a word the document uses for its own sector: 陶瓷 where it speaks of 陶瓷产业) is a
      product when it is listed with another product (硅片、电池片、逆变器等环节), made or sold
      (生产泵车), counted (一台起重机), or followed by its output or orders (光刻胶产能).
    * A name with no known head listed with known products after a verb of making (主要生产
      六氟磷酸锂和锂电池电解液) is a product like the others.
    """
    taken = bytearray(len(text) + 1)
    for sp in chosen:
        taken[sp.start : sp.end] = b"\x01" * (sp.end - sp.start)
    heads = lex.product_head_set
    max_head = lex.product_head_lengths[0]
    sector_words: dict[str, bool] = {}
    named = [sp for sp in chosen if sp.type == T.Product]

    def sector_word(w: str) -> bool:
        if w not in sector_words:
            sector_words[w] = re.search(re.escape(w) + "(?:产业|行业|企业|工业|领域)", text) is not None
        return sector_words[w]

    kinds: list[tuple[int, int, int]] = []  # (start, end, index of the last token)
    for m in _head_end_re(lex).finditer(text):  # (the words a head word may end)
        i = tk.tok_at[m.start()]
        e = tk.ends[i]
        if e != m.end():
            continue
        w = None
        for k in range(min(e, max_head), 1, -1):
            if text[e - k : e] in heads and tk.is_boundary(e - k):
                w = text[e - k : e]
                break
        if w is None:
            w = _coined_head(text, tk, i)
            if w is not None and len(w) < 3:
                w = None
        if w is None or w in BARE_GENERIC or any(taken[e - len(w) : e]):
            continue
        s = e - len(w)
        prev = text[s - 1 : s]
        if prev and (_is_cjk(prev) or prev.isalnum()) and not (
                tk.tags[tk.tok_at[s - 1]] in ("v", "p", "c", "u", "uj", "d", "m", "q", "r", "f")
                or prev in "、和及与的" or MEASURE_BEFORE.search(text, max(0, s - 4), s)
                or DEMONSTRATIVE_MEASURE.fullmatch(tk.words[tk.tok_at[s - 1]])
                or tk.words[tk.tok_at[s - 1]] in lex.stopwords or tk.words[tk.tok_at[s - 1]] in PRODUCT_DETERMINERS):
            continue  # the end of a longer name the head rule did not take
        if text.startswith(("企业", "产业", "行业", "厂", "公司", "集团", "项目", "基地", "园", "业", "领域"), e) \
                or sector_word(w):
            continue
        if any(sp.start < s and sp.end - sp.start > len(w) and text[sp.end - len(w) : sp.end] == w for sp in named):
            continue  # the head of a product named before points back to it (钒电池储能系统 … 一套储能系统)
        kinds.append((s, e, i))
    products = sorted([(sp.start, sp.end) for sp in chosen if sp.type == T.Product] + [(s, e) for s, e, _ in kinds])
    joined = set()
    for (a0, a1), (b0, b1) in zip(products, products[1:]):
        if LIST_JOINER.fullmatch(text, a1, b0):
            joined.update({(a0, a1), (b0, b1)})
    out = []
    for s, e, i in kinds:
        if (s, e) in joined or _after_production_verb(tk, tk.tok_at[s]) or KIND_THEN.match(text, e) \
                or MEASURE_BEFORE.search(text, max(0, s - 4), s):
            out.append(Span(s, e, T.Product, rule="product-kind"))
            taken[s:e] = b"\x01" * (e - s)
    # 主要生产A和B: unknown names listed with a known product after a verb of making
    known = sorted([sp for sp in chosen if sp.type == T.Product] + out, key=lambda sp: sp.start)
    for i in [i for i, w in enumerate(tk.words) if w in LISTING_VERBS]:
        building = tk.words[i] in BUILDING_VERBS
        v1 = tk.ends[i]
        stop = CLAUSE_END.search(text, v1)
        c1 = stop.start() if stop else len(text)
        # 建设A、B和C智能化生产线: the lines make the listed products
        line = LINE_AFTER_LIST.search(text, v1, c1)
        if building and line is None:
            continue
        if line is not None:
            c1 = line.start()
        inside = [sp for sp in known if v1 <= sp.start and sp.end <= c1]
        # after 主要生产, 主营, 专注生产 the list names the maker's products even with no known head
        core = MAIN_PRODUCTS.search(text, max(0, tk.starts[i] - 4), v1)
        if not inside and not (core and core.end() == v1):
            continue
        # the list must run from the verb to the end of the clause, item by item
        pos, items, ok = v1, [], True
        for m in LIST_JOINER.finditer(text, v1, c1):
            items.append((pos, m.start()))
            pos = m.end()
        items.append((pos, c1))
        known_at = {(sp.start, sp.end) for sp in inside}
        new = []
        for a, b in items:
            if (a, b) in known_at:
                continue
            if not 2 <= b - a <= 12 or any(taken[a:b]) or not (tk.is_boundary(a) and tk.is_boundary(b)) \
                    or not re.fullmatch(r"[\u3400-\u9fffA-Za-z0-9\-]+", text[a:b]):
                ok = False
                break
            toks = range(tk.tok_at[a], tk.tok_at[b - 1] + 1)
            # (a verb inside an item is a technical word, 一次性使用|输注器械, 真人|发|头套; not at its ends)
            if tk.words[tk.tok_at[b - 1]] in NOT_PRODUCT_NOUNS or tk.tags[tk.tok_at[a]] in ("v", "vn") \
                    or tk.tags[tk.tok_at[b - 1]] in ("v", "vn") or any(
                        tk.words[t] in lex.stopwords or tk.words[t] in PRODUCTION_VERBS or tk.words[t] in GENERIC_MODIFIERS
                        or tk.tags[t] in ("p", "c", "u", "uj", "r", "t", "f", "ns", "nr")
                        or tk.tags[t] == "d" and len(tk.words[t]) < 3 for t in toks):  # (一次性/d is a modifier)
                ok = False
                break
            new.append((a, b))
        if ok and new and (len(new) < len(items) or core and core.end() == v1):
            for a, b in new:
                out.append(Span(a, b, T.Product, rule="product-listed"))
                taken[a:b] = b"\x01" * (b - a)
    return out


# a division of a government department (省工业和信息化厅|原材料工业处)
# named on its own (牵头单位：…处，); before a post it is part of the title (工信局装备处处长X)
DIVISION = re.compile(r"[\u3400-\u9fff]{2,10}?处(?=[^\u3400-\u9fff]|\Z)")


def _divisions_of_bodies(text: str, tk: Tokens, orgs: list[Span]) -> list[Span]:
    out = []
    for sp in orgs:
        if sp.type != T.GovernmentBody or not text[sp.start : sp.end].endswith(("厅", "局", "委员会", "委")):
            continue
        m = DIVISION.match(text, sp.end)
        if m is None or not tk.is_boundary(m.end() - 1) or "处理" in m.group() or any(c in m.group() for c in "的和与及是在"):
            continue
        out.append(Span(sp.start, m.end(), T.GovernmentBody, rule="division"))
    return out


SET_UP_BODY = re.compile(
    r"(?:共同组建|共建|组建|成立|设立|筹建|揭牌)(?:了)?([\u3400-\u9fff]{2,14}?(?:联合实验室|重点实验室|实验室|联合研发中心|研发中心|"
    r"研究中心|创新中心|技术中心|工程中心|研究院))(?=[，。；、：）)\n]|$)")


BARE_BODY = re.compile(r"(?:一个|一批|多个|联合|重点|省级|市级|国家级|国家|省|市|新型|企业|校企)*(?:联合)?(?:实验室|研发中心|研究中心|"
                       r"创新中心|技术中心|工程中心|研究院)")


def _bodies_set_up(text: str, tk: Tokens, blocked: set[int]) -> list[Span]:
    """A laboratory or centre named right after the verb that sets it up, whatever the words of
    its name (共建中药质量控制联合实验室: 控制 is a verb the suffix walk stops at)."""
    out = []
    for m in SET_UP_BODY.finditer(text):
        a, b = m.span(1)
        if BARE_BODY.fullmatch(m.group(1)):
            continue  # 共建联合实验室: no name
        if tk.is_boundary(a) and not any(c in "的和与及、" for c in m.group(1)[:-2]) \
                and not any(c in blocked for c in range(a, b)):
            out.append(Span(a, b, T.ResearchInstitution, rule="set-up-body"))
    return out


def _with_campus(text: str, orgs: list[Span], branches, lex: Lexicon) -> list[Span]:
    """A university's campus in another city is written after its name in brackets
    (哈尔滨工业大学（威海）): the bracket is part of the name."""
    in_branches = {id(x) for b in branches for x in b[:2]}
    out = []
    for sp in orgs:
        m = CAMPUS.match(text, sp.end)
        if m and sp.type == T.ResearchInstitution and id(sp) not in in_branches \
                and text[sp.start : sp.end].endswith(UNIVERSITY_WORDS) \
                and _place_prefix_len(m.group(1), lex) == len(m.group(1)):
            sp = Span(sp.start, m.end(), sp.type, canonical=sp.canonical, rule=sp.rule)
        out.append(sp)
    return out


CAMPUS = re.compile(r"[（(]([\u3400-\u9fff]{2,6})[）)]")


# verbs the segmenter tags as nouns, often before 产业 as their object (制约产业高质量发展)
VERBS_TAGGED_AS_NOUNS = frozenset("制约 影响 支撑 服务 带动 引领 阻碍 限制 困扰 冲击 拖累 反哺 辐射".split())


# standard short forms of sector names (石化 for 石油化工)
SECTOR_ABBREVIATIONS = {"石化": "石油化工"}


def industry_core(name: str) -> str:
    """The sector a name of an industry stands for: 冶金行业, 冶金产业 and 冶金 are one sector;
    so are 装备制造业, 装备制造 and 装备 (the guideline names an industry "X产业")."""
    core = re.sub(r"(?:产业|行业|制造业|工业|业)$", "", name)
    core = re.sub(r"制造$", "", core)
    core = SECTOR_ABBREVIATIONS.get(core, core)
    return core if len(core) >= 2 else name


def _industry_named(text: str, sp: Span) -> Span:
    """Every mention of one sector gets the same canonical name, core + 产业."""
    if sp.type != T.Industry:
        return sp
    name = (sp.canonical or text[sp.start : sp.end]).replace("“", "").replace("”", "")
    core = industry_core(name)
    canonical = core + "产业" if core != name or not name.endswith("业") else name
    if canonical == text[sp.start : sp.end]:
        canonical = None
    return sp if canonical == sp.canonical else Span(sp.start, sp.end, sp.type, canonical=canonical, rule=sp.rule)


COMMUNITY_BODIES = ("党工委", "党委", "党总支", "党支部", "居委会", "村委会", "居民委员会", "村民委员会")


def _community_bodies(text: str, places: list[Span]) -> list[tuple[Span, Span]]:
    """The party or residents' committee of a community, village, town or sub-district
    (阳光社区党委, 横河镇党委): a government body, with its place."""
    out = []
    for pl in places:
        if pl.rule not in ("community", "town"):
            continue
        suffix = next((w for w in COMMUNITY_BODIES if text.startswith(w, pl.end)), None)
        if suffix:
            out.append((Span(pl.start, pl.end + len(suffix), T.GovernmentBody, rule="community-body"), pl))
    return out


def _place_dropped_forms(text: str, spans: list[Span], lex: Lexicon) -> list[Span]:
    """An organization named again without one of the place names in its full name
    (南昌X集团有限公司 for 江西南昌X集团有限公司, 华兴银行青山支行 for 华兴银行南昌青山支行) is
    the same organization, when the document gives the full name."""
    fulls = sorted({text[s.start : s.end] for s in spans if s.type in ORG_TYPES and not s.canonical}, key=len)
    by_form: dict[str, str] = {}
    for full in fulls:
        for k in range(len(full) - 1):
            n = _place_prefix_len(full[k:], lex)
            if n and len(full) - n >= 4:
                by_form.setdefault(full[:k] + full[k + n :], full)
    out = []
    for sp in spans:
        form = text[sp.start : sp.end]
        full = by_form.get(form) if sp.type in ORG_TYPES and not sp.canonical else None
        if full is not None and full != form:
            sp = Span(sp.start, sp.end, sp.type, canonical=full, rule=sp.rule)
        out.append(sp)
    return out


def _project_investors(text: str, tk: Tokens, spans: list[Span]) -> list[Span]:
    """A project named after a company the segmenter does not know (远迈仕精密生产线扩建):
    an opening unknown word of three or more characters, or two rare proper nouns, is the
    company, kept as a nested mention inside the project's name."""
    out = []
    taken = {(sp.start, sp.end) for sp in spans}
    for sp in spans:
        if sp.type != T.Project:
            continue
        i = tk.tok_at[sp.start]
        if tk.starts[i] != sp.start or any(o.type in ORG_TYPES and o.start == sp.start for o in spans):
            continue
        end = None
        if tk.tags[i] == "" and len(tk.words[i]) >= 3 and all(_is_cjk(c) for c in tk.words[i]):
            end = tk.ends[i]
        elif i + 1 < len(tk.words) and tk.tags[i] in ("nr", "nrt") and tk.tags[i + 1] in ("nr", "nrt") \
                and word_frequency(tk.words[i]) < COMMON_WORD_FREQ and word_frequency(tk.words[i + 1]) < COMMON_WORD_FREQ:
            end = tk.ends[i + 1]
        elif i + 1 < len(tk.words) and tk.words[i + 1] in TRADE_WORDS and len(tk.words[i]) >= 2 \
                and tk.tags[i] in BRAND_TAGS and word_frequency(tk.words[i]) < COMMON_WORD_FREQ:
            end = tk.ends[i + 1]  # 远星电子|高频柔性线路板
        elif i + 1 < len(tk.words) and tk.words[i + 1] == "集团" and 2 <= len(tk.words[i]) <= 3 \
                and tk.tags[i] in ("n", "nz", "j", "", "ns") and tk.words[i] not in GENERIC_MODIFIERS \
                and not place_prefix_len(tk.words[i]):
            end = tk.ends[i + 1]  # 远洋集团|易地建设升级项目: a group builds what bears its name
        if end is not None and end - sp.start >= 3 and sp.end - end >= 4 and (sp.start, end) not in taken:
            out.append(Span(sp.start, end, T.Company, rule="project-investor"))
    return out


def _home_division(text: str, level: str, places: list[Span]) -> str | None:
    """The document's own division of a level (市 → the city it names most), if one stands out."""
    counts: dict[str, int] = {}
    for sp in places:
        name = sp.canonical or text[sp.start : sp.end]
        if name.endswith(level) and len(name) >= 3:
            counts[name] = counts.get(name, 0) + 1
    ranked = sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))
    if not ranked or len(ranked) > 1 and ranked[1][1] == ranked[0][1]:
        return None
    return ranked[0][0]


def _level_bodies(text: str, tk: Tokens, places: list[Span]) -> list[Span]:
    """市委, 县政府… named by their level word alone: the bodies of the document's own city or
    county (嘉兴市委), when the document names one such division more than any other."""
    covered = {c for sp in places for c in range(sp.start, sp.end)}
    homes: dict[str, str | None] = {}
    out = []
    for m in re.finditer(r"(省|市|县|区)(委|政府|人大常委会|人大|政协)", text):
        if m.start() in covered or not tk.is_boundary(m.start()):
            continue
        if m.end() < len(text) and not tk.is_boundary(m.end()) and not text.startswith(("市", "省", "县", "区"), m.end()):
            continue
        level = m.group(1)
        if level not in homes:
            homes[level] = _home_division(text, level, places)
        home = homes[level]
        if home is not None:
            out.append(Span(m.start(), m.end(), T.GovernmentBody, canonical=home + m.group(2), rule="level-body"))
    return out


def _in_order(short: str, full: str) -> bool:
    it = iter(full)
    return all(ch in it for ch in short)


def _level_short_forms(text: str, spans: list[Span]) -> list[Span]:
    """市工信局 in a city's document is its 嘉兴市工业和信息化局: a body named by its level word
    (市/省/区/县) whose characters stand in order in exactly one full name of the document."""
    fulls = sorted({text[s.start : s.end] for s in spans if s.type == T.GovernmentBody})
    out = []
    for sp in spans:
        form = text[sp.start : sp.end]
        if sp.type == T.GovernmentBody and sp.canonical is None and form[0] in "市省区县":
            cands = [
                f for f in fulls
                if len(f) > len(form) and f[-1] == form[-1] and form[0] in f
                and _in_order(form[1:], f[f.index(form[0]) + 1 :]) and not f.startswith(form[0])
            ]
            if len(cands) == 1:
                sp = Span(sp.start, sp.end, sp.type, canonical=cands[0], rule=sp.rule)
        if sp.type == T.GovernmentBody and sp.canonical is None:
            # 江西省税务局 in a document that names 国家税务总局江西省税务局
            longer = [f for f in fulls if len(f) > len(form) + 1 and f.endswith(form)]
            if len(longer) == 1:
                sp = Span(sp.start, sp.end, sp.type, canonical=longer[0], rule=sp.rule)
            else:
                # 南昌市工信局 is 南昌市工业和信息化局
                expanded = form
                for short, full in lexicon().gov_abbreviations:
                    expanded = re.sub(rf"{short}(?=[局委厅部办])", full, expanded)
                if expanded != form:
                    sp = Span(sp.start, sp.end, sp.type, canonical=expanded, rule=sp.rule)
        out.append(sp)
    return out


COMPANY_LIST_RE = re.compile(
    r"((?:[\u3400-\u9fffA-Za-z0-9]{2,10}、)*[\u3400-\u9fffA-Za-z0-9]{2,10})等(?:一批|多家|\d+家|[一二三四五六七八九十]+家)?[\u3400-\u9fff]{0,10}?(?:企业|公司)"
)


def _listed_companies(text: str, tk: Tokens, lex: Lexicon, places: set[int]) -> list[Span]:
    """Short names listed before 等…企业 (华精、远航等一批领军企业): an item that reads as a
    proper name (out-of-vocabulary or an abbreviation) and is not a place is a company."""
    out = []
    for m in list_matches(COMPANY_LIST_RE, text):
        group_start = m.start(1)
        items = m.group(1).split("、")
        # the first item's left edge: where a name can start
        first_end = group_start + len(items[0])
        q = _walk_left(tk, lex, first_end, max_chars=10, stop_verbs=False, tags=PROPER_TAGS | {"n", "nz", "vn"})
        pos = q
        seq = text[q : m.end(1)].split("、")
        for item in seq:
            s, e = pos, pos + len(item)
            pos = e + 1
            if len(item) < 2 or not tk.is_boundary(s) or not tk.is_boundary(e):
                continue
            if any(c in places for c in range(s, e)) or item in GENERIC_MODIFIERS or item in lex.stopwords:
                continue
            if item.endswith(("企业", "公司", "单位", "机构", "厂商")):
                continue  # a kind of enterprise (科技型中小企业), not one
            tags = {tk.tags[tk.tok_at[c]] for c in range(s, e)}
            if not (tags & {"", "nz", "j", "nt", "eng", "nrt"}) or _dict_word(tk, s, e) and not (tags & {"j", "nt", "nz"}):
                continue
            out.append(Span(s, e, T.Company, rule="company-list"))
    return out


# X首台Y, X全球首艘Y: a maker named at the head of a list item, right before its first unit
FIRST_UNIT_RE = re.compile(r"(?:(?<=[，、：；。“\n])|^)([\u3400-\u9fffA-Za-z]{2,6})(?=(?:全国|全球|国内|世界|亚洲|行业)?首[台艘套架辆座列])")
# who can stand there without being a maker: places, levels and pronouns (全省首台, 我国首套)
FIRST_UNIT_NOT_MAKERS = frozenset("我国 国内 全国 全球 世界 全省 全市 全区 全县 本省 本市 省内 市内 区内 国际 亚洲 行业 "
                                  "企业 公司 集团 该公司 这里 此前 目前 今年 去年 当年 同年".split())


def _first_unit_makers(text: str, tk: Tokens, lex: Lexicon, places: set[int]) -> list[Span]:
    """Makers listed with the first unit of what they made (远航集团全球首艘X、华精首台Y): the
    name before 首台/首艘 at the head of a list item is a company, also a short one."""
    out = []
    for m in FIRST_UNIT_RE.finditer(text):
        s, e = m.span(1)
        name = re.sub(r"(?:全国|全球|国内|世界|亚洲|行业)$", "", m.group(1))
        e = s + len(name)
        if len(name) < 2 or name in FIRST_UNIT_NOT_MAKERS or name in lex.stopwords or any(c in places for c in range(s, e)):
            continue
        if not (tk.is_boundary(s) and tk.is_boundary(e)) or _place_prefix_len(name, lex) == len(name):
            continue
        tags = {tk.tags[tk.tok_at[c]] for c in range(s, e)}
        if tags & {"t", "m", "r", "v", "d", "p", "c"} or name.endswith(("年", "月", "期")):
            continue
        out.append(Span(s, e, T.Company, rule="first-unit-maker"))
    return out


# trade words a company's short name ends with after its brand (华东重工, 远星电子, 恒远石化)
TRADE_WORDS = frozenset(
    "重工 重机 科技 电子 化学 化工 石化 电气 机电 机械 智能 动力 精工 制药 药业 材料 新材 储能 能源 汽车 "
    "轴承 钢铁 衡器 光电 半导体 信息 软件 通信 网络 物流 医疗 生物 环保 装备 电器 电力 电池 机床 精密 数控 "
    "光伏 控股 实业 纺织 食品 船舶 重装 锻造 铸造".split()
)
# words before a kind of thing (各类海工装备, 多种新材料): a name after them is no brand
KIND_BEFORE = r"(?:各类|各种|各式|多种|多类|这类|此类|同类|该类|一批|各型)"
BRAND_TAGS = frozenset({"", "nz", "nr", "nrt", "nrfg", "j"})


def _brand_companies(text: str, tk: Tokens, lex: Lexicon, blocked: set[int], places: list[Span]) -> list[Span]:
    """A brand and a trade word (华东重工, 恒远石化, 南昌远动科技): the brand is a word jieba does
    not know, or a rare proper noun, and no sector or product; a place right before is kept."""
    place_by_end = {sp.end: sp for sp in places}
    out = []
    for i in range(len(tk.words) - 1):
        brand, trade = tk.words[i], tk.words[i + 1]
        if trade not in TRADE_WORDS or len(brand) < 2 or not all(_is_cjk(ch) for ch in brand):
            continue
        if tk.tags[i] not in BRAND_TAGS or word_frequency(brand) >= COMMON_WORD_FREQ:
            continue
        s, e = tk.starts[i], tk.ends[i + 1]
        glued = re.match(r"[已正将还也曾再]?[向为与对给在从]", brand)
        if glued and len(brand) - glued.end() >= 2:
            s += glued.end()  # 已向|昌瓷新材: an adverb and a preposition glued to the brand
            brand = brand[glued.end() :]
        if trade == "控股" and text.startswith(("子公司", "孙公司", "股东", "的", "了"), e):
            continue  # X控股子公司: 控股 is "holding", said of the parent
        if any(c in blocked for c in range(s, e)) or brand in lex.sectors or brand.endswith(lex.product_heads):
            continue
        if brand[0] in "以为在和与及等对从向将把被由让使" or brand[-1] in "局委厅部办院所会处站" \
                or brand in PRODUCT_DETERMINERS or brand in TRADE_WORDS:
            continue  # a function word glued to the brand, or a body's name (工信局|装备)
        if i > 0 and len(tk.words[i - 1]) == 1 and _is_cjk(tk.words[i - 1]) and tk.tags[i - 1] not in STOP_TAGS:
            continue  # the brand is the tail of a longer word the segmenter split (专|精特新)
        if tk.tags[i] == "nz" and trade in lex.product_heads:
            continue  # a technical term and a product (钠离子|电池), not a company
        if re.search(KIND_BEFORE + re.escape(brand + trade), text):
            continue  # 各类海工装备: the words name a kind of thing somewhere in the text
        nxt = tk.words[i + 2] if i + 2 < len(tk.words) else ""
        nxt_tag = tk.tags[i + 2] if i + 2 < len(tk.words) else "x"
        if nxt[:1] and (nxt in TRADE_WORDS or nxt.startswith(("产业", "行业", "公司", "集团", "有限", "股份", "领域", "技术"))
                        or _is_cjk(nxt[0]) and (nxt_tag in ("", "nz", "j") or len(nxt) == 1 and nxt_tag.startswith("n"))
                        or nxt.endswith(lex.product_heads)):
            continue  # part of a longer name, a sector or a product (华锐科技公司 is found by its suffix)
        place = place_by_end.get(s)
        out.append(Span(place.start if place else s, e, T.Company, rule="brand+trade"))
    return out


def _holders_before_company_titles(text, tk, lex, titles, persons, cands) -> list[Span]:
    """A company's short name standing before a company post and a person (远航动力总经理王某)."""
    ends = {c.end for c in cands}
    person_starts = {p.start for p in persons}
    out = []
    for t in titles:
        if t.title not in COMPANY_TITLES or t.end not in person_starts or t.start in ends:
            continue
        q = _walk_left(tk, lex, t.start, max_chars=6, stop_verbs=False)
        body = text[q : t.start]
        if len(body) < 2 or _generic_body(body, tk, q, t.start) or _single_common_word(tk, q, t.start):
            continue
        proper = any(tk.tags[tk.tok_at[c]] in ("", "nz", "j", "nt", "ns", "eng") for c in range(q, t.start))
        if not proper and (len(_words_in(tk, q, t.start)) < 2 or body[0] in "该本这其我各某"):
            continue
        out.append(Span(q, t.start, T.Company, rule="holder-of-company-post"))
    return out


# place rules that read a name from its last character alone (X桥, X岛): a company's brand wins
WEAK_PLACE_RULES = frozenset({"street"})
# organization rules read from a title or a trade word alone: a known name over them wins
WEAK_ORG_RULES = frozenset({"holder-of-company-post", "brand+trade"})


def _propagate(text: str, tk: Tokens, chosen: list[Span], lex: Lexicon, sources: list[Span] = ()) -> list[Span]:
    """Every name found once is a mention wherever else it stands in the document.

    ``sources``: further names whose forms spread, though they are not (yet) mentions
    themselves (the parent inside a branch's name: 江北重工集团有限公司 of its 分厂 → 江北重工)."""
    forms: dict[str, Span] = {}
    brands: dict[str, list[Span]] = {}  # brand → its short spans, one per registered name
    for sp in list(chosen) + list(sources):
        form = text[sp.start : sp.end]
        if len(form) >= 2 and sp.type != T.Product or len(form) >= 3:
            forms.setdefault(form, sp)
        # a registered name without its legal form (华精重工集团有限公司 → 华精重工集团, 华精重工)
        if sp.type == T.Company and (sp.rule.startswith("suffix:") or sp.rule == "parent-of-branch"):
            base = re.sub(r"(?:集团)?(?:股份有限公司|有限责任公司|有限公司|股份公司)$", "", form)
            for short in {base, re.sub(r"集团$", "", base)}:
                if 4 <= len(short) < len(form) and not _place_table(lex).get(short):
                    forms.setdefault(short, Span(sp.start, sp.start + len(short), T.Company, canonical=form, rule="legal-short"))
        # the brand of a registered name, after its place (江西天衡无人机科技有限公司 → 天衡): an unknown
        # or rare word the segmenter does not know as a common one
        if sp.type == T.Company and sp.rule.startswith("suffix:") and sp.rule[7:] in LEGAL_WORDS:
            k = _place_prefix_len(form, lex)
            i = tk.tok_at[sp.start + k] if k and sp.start + k < sp.end else None
            end = None
            while i is not None and i < len(tk.words) and tk.ends[i] <= sp.end - 2:
                w = tk.words[i]
                rare = word_frequency(w) < COMMON_WORD_FREQ and w not in lex.stopwords and _is_cjk(w[0])
                # 科瑞|德, 鑫|江智桥: a single character next to a rare word
                nxt = tk.words[i + 1] if i + 1 < len(tk.words) and tk.ends[i + 1] <= sp.end - 2 else ""
                glued = len(w) == 1 and _is_cjk(w) and w not in lex.stopwords and (end is not None or (
                    len(nxt) >= 2 and word_frequency(nxt) < COMMON_WORD_FREQ and _is_cjk(nxt[0])))
                if not (rare or glued) or tk.ends[i] - (sp.start + k) > 4:
                    break
                end = tk.ends[i]
                i += 1
            if end is not None and end - (sp.start + k) >= 2 and tk.starts[tk.tok_at[sp.start + k]] == sp.start + k \
                    and end < sp.end - 2:
                brand = text[sp.start + k : end]
                if all(b.canonical != form for b in brands.get(brand, ())):
                    brands.setdefault(brand, []).append(
                        Span(sp.start + k, end, T.Company, canonical=form, rule="brand-short"))
        # short names: X of X集团 / X公司 (华精集团 → 华精) when X is not a common word
        if sp.type == T.Company:
            m = re.fullmatch(r"(.{2,3})(集团|公司)", form)
            if m and not _dict_word(tk, sp.start, sp.start + len(m.group(1))):
                forms.setdefault(m.group(1), Span(sp.start, sp.start + len(m.group(1)), T.Company, rule="short-name"))
    # a brand two registered names share (芜湖启泰汽车零部件有限公司, 安徽启泰控股集团有限公司) names neither
    for brand, spans in brands.items():
        if len(spans) > 1 or (brand in forms and forms[brand].type != T.Place and forms[brand].canonical != spans[0].canonical):
            if brand in forms and forms[brand].rule == "short-name":
                del forms[brand]  # (nor the group 启泰集团: 启泰 alone is ambiguous)
            continue
        if forms.get(brand) is not None and forms[brand].rule in WEAK_PLACE_RULES:
            del forms[brand]  # 鑫江智桥 read as a bridge before its company's full name
        forms.setdefault(brand, spans[0])
    if not forms:
        return chosen
    # a product name that ran into an organization's name starts after it (华精|风电主轴轴承)
    org_forms = sorted((f for f, sp in forms.items() if sp.type in ORG_TYPES), key=len, reverse=True)
    for k, sp in enumerate(chosen):
        if sp.type != T.Product:
            continue
        form = text[sp.start : sp.end]
        f = next((f for f in org_forms if form.startswith(f) and len(form) - len(f) >= 3
                  and tk.is_boundary(sp.start + len(f))), None)
        if f is not None:
            chosen[k] = Span(sp.start + len(f), sp.end, sp.type, sp.canonical, sp.rule)
            if forms.get(form) is sp:
                del forms[form]
                forms.setdefault(form[len(f) :], chosen[k])
    taken = bytearray(len(text) + 1)
    for sp in chosen:
        for c in range(sp.start, sp.end):
            taken[c] = 1
    out = list(chosen)
    cover: dict[int, list[Span]] = {}  # character → the spans of ``out`` over it
    for sp in out:
        for c in range(sp.start, sp.end):
            cover.setdefault(c, []).append(sp)
    for s, e in Literals(forms).finditer(text):
        src = forms[text[s:e]]
        if any(taken[s:e]):
            # an organization's name may swallow a place name it starts with (江北 of 江北重工)
            if src.type == T.Place or not tk.is_boundary(s) or not tk.is_boundary(e):
                continue
            inner = list({id(sp): sp for c in range(s, e) for sp in cover.get(c, ())}.values())
            # (or a company read from weak evidence inside the known name: 泓|远装备董事长)
            if not all((sp.type == T.Place or sp.rule in WEAK_ORG_RULES and src.type in ORG_TYPES)
                       and s <= sp.start and sp.end <= e for sp in inner):
                continue
            out = [sp for sp in out if sp not in inner]
            for sp in inner:
                for c in range(sp.start, sp.end):
                    cover[c] = [x for x in cover[c] if x not in inner]
        # (仅华精一家, 为华精: a function character the segmenter glued to a name it does not know)
        glued = s > 0 and text[s - 1] in GLUED_BEFORE_NAMES and tk.starts[tk.tok_at[s - 1]] == s - 1 \
            and tk.tags[tk.tok_at[s - 1]] == "" and src.type in ORG_TYPES | {T.Person}
        if not ((tk.is_boundary(s) or glued) and (tk.is_boundary(e) or src.type in (T.Person, T.Company))):
            continue
        out.append(Span(s, e, src.type, canonical=src.canonical, rule="propagated"))
        for c in range(s, e):
            taken[c] = 1
            cover.setdefault(c, []).append(out[-1])
    return sorted(out, key=lambda s: s.start)

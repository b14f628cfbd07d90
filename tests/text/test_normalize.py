"""Normalisation of newspaper pages: line re-joining, stray spaces, folding, offsets."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from kg.text.normalize import FOLD_MAP, fold, fold_char, normalize

CORPUS = Path(__file__).resolve().parents[2] / "corpus"

# (case id, original, expected normalised text) — snippets of the real corpus
# pages plus small made-up lines for the character-level rules
CASES = [
    (
        "number-wrapped-after-a-trailing-space-that-marks-block-ends",
        "合同金额超过 2 \n60 亿元，订单已排到 2027  \n年。\n新的段落开始了。 \n总投资 3 \n000 元。",
        "合同金额超过260亿元，订单已排到2027年。\n新的段落开始了。\n总投资3000元。",
    ),
    (
        "number-wrapped-after-its-decimal-point",
        "全年实现营业收入18.\n6 亿元，同比增长12%。",
        "全年实现营业收入18.6亿元，同比增长12%。",
    ),
    (
        "a-line-ending-in-a-digit-before-a-numbered-item-stays",
        "主要任务有以下 2\n1、扩大产能。\n2、加强研发。",
        "主要任务有以下2\n1、扩大产能。\n2、加强研发。",
    ),
    (
        "join-inside-word, double-spaced page",
        "沿沈大高速一入大连市界，便是有\n\n“中国轴承之都”之称的瓦房店市。正如\n\n"
        "这一称谓，轴承是瓦房店最具特色的产\n\n业，以瓦房店轴承集团有限责任公司（简\n\n"
        "称瓦轴集团）为代表的轴承企业及相关\n\n产业一直在国内居于领先地位。",
        "沿沈大高速一入大连市界，便是有“中国轴承之都”之称的瓦房店市。正如这一称谓，"
        "轴承是瓦房店最具特色的产业，以瓦房店轴承集团有限责任公司（简称瓦轴集团）"
        "为代表的轴承企业及相关产业一直在国内居于领先地位。",
    ),
    (
        "join-inside-number",
        "——大连瑞谷科技公司是国内轴承\n\n保持架行业的领军企业，部分产品填补\n\n"
        "了国内空白，结束了高端精密保持架依\n\n赖进口的历史，2021 年实现产值 5.1 亿\n\n"
        "元，今年一季度达 1.4 亿元。",
        "——大连瑞谷科技公司是国内轴承保持架行业的领军企业，部分产品填补了国内空白，"
        "结束了高端精密保持架依赖进口的历史，2021年实现产值5.1亿元，今年一季度达1.4亿元。",
    ),
    (
        "headlines and bylines keep their lines",
        " 辽宁瓦房店市发挥核心产业赋能作用——\n\n轴承之都积蓄新优势\n本报记者 苏大鹏\n\n"
        "推动更多科研成果进入市场\n\n杨开新\n\n本版编辑 徐 达 美 编 倪梦婷\n\n"
        "沿沈大高速一入大连市界，便是有\n\n“中国轴承之都”之称的瓦房店市。正如\n\n"
        "这一称谓，轴承是瓦房店最具特色的产\n\n业，以瓦房店轴承集团有限责任公司（简\n\n"
        "称瓦轴集团）为代表的轴承企业及相关\n\n产业一直在国内居于领先地位。",
        "辽宁瓦房店市发挥核心产业赋能作用——\n轴承之都积蓄新优势\n本报记者苏大鹏\n"
        "推动更多科研成果进入市场\n杨开新\n本版编辑徐达美编倪梦婷\n"
        "沿沈大高速一入大连市界，便是有“中国轴承之都”之称的瓦房店市。正如这一称谓，"
        "轴承是瓦房店最具特色的产业，以瓦房店轴承集团有限责任公司（简称瓦轴集团）"
        "为代表的轴承企业及相关产业一直在国内居于领先地位。",
    ),
    (
        "single-spaced page with a blank line inside a paragraph",
        "聚焦优化举措，全力巩固工业\n增长态势。强化运行监测调度，对\n不利因素和存在的问题及时预测预\n"
        "警，早发现、早应对。紧盯产值排名\n靠前的重点规模以上企业，针对制\n"
        "约企业发展的主要问题，一抓到底，\n全力解决。优化工作秘书服务，做\n"
        "好精准服务。引导和支持规模以上\n\n工业企业升为巨型企业，推动工业\n"
        "经济持续健康发展。\n\n聚焦项目建设，全力加快产业",
        "聚焦优化举措，全力巩固工业增长态势。强化运行监测调度，对不利因素和存在的问题"
        "及时预测预警，早发现、早应对。紧盯产值排名靠前的重点规模以上企业，针对制约企业"
        "发展的主要问题，一抓到底，全力解决。优化工作秘书服务，做好精准服务。"
        "引导和支持规模以上工业企业升为巨型企业，推动工业经济持续健康发展。\n"
        "聚焦项目建设，全力加快产业",
    ),
    (
        "headline set apart by blank lines on a single-spaced page",
        "进党风廉政建设，一体推进不能\n腐、不敢腐、不想腐。优化工作作\n风，选准配强干部。\n\n"
        "大连实施“七个聚焦”加快建设现代化工业体系\n\n"
        "党的二十大报告指出，建设现代化产业体系，\n坚持把发展经济的着力点放在实体经济上，推进\n"
        "新型工业化。省委经济工作会议也强调，要着力\n建设现代化产业体系，全力推动制造业高质量发\n\n"
        "展，做强做大产业集群，强化数字赋能增效。",
        "进党风廉政建设，一体推进不能腐、不敢腐、不想腐。优化工作作风，选准配强干部。\n"
        "大连实施“七个聚焦”加快建设现代化工业体系\n"
        "党的二十大报告指出，建设现代化产业体系，坚持把发展经济的着力点放在实体经济上，"
        "推进新型工业化。省委经济工作会议也强调，要着力建设现代化产业体系，"
        "全力推动制造业高质量发展，做强做大产业集群，强化数字赋能增效。",
    ),
    (
        "trailing spaces mark paragraph ends; wrapped numbered heading joined",
        "质生产力，加快优势产业布局，推动我国由‚轴承大国‛向‚轴承强国‛迈\n\n"
        "进呢？下面，结合轴承行业实际，谈一些个人的思考。 \n\n一、着眼大势，找准高质量发展“突破口” \n\n"
        "2024 年以来，国际形势风云变幻，新一轮科技革命和产业变革的浪潮汹\n\n"
        "涌，既为轴承行业带来了难得的发展机遇，也带来了严峻的挑战。面对复杂\n\n"
        "多变的经济形势，发展新质生产力是抢抓这一机遇、应对挑战的战略选择，\n\n"
        "态以及市场需求变化，才能找准高质量发展的‚突破口‛。 \n"
        " （一）发展新质生产力是抢抓新一轮科技革命和产业变革机遇的战略选\n\n择 \n\n"
        "在当今全球化的经济格局中，因受局部战争不断，贸易保护主义抬头等\n\n"
        "因素的影响，各国贸易摩擦频繁，政策调整频繁，经济增长的不确定性增加，",
        "质生产力，加快优势产业布局，推动我国由“轴承大国”向“轴承强国”迈进呢？下面，"
        "结合轴承行业实际，谈一些个人的思考。\n一、着眼大势，找准高质量发展“突破口”\n"
        "2024年以来，国际形势风云变幻，新一轮科技革命和产业变革的浪潮汹涌，既为轴承行业"
        "带来了难得的发展机遇，也带来了严峻的挑战。面对复杂多变的经济形势，发展新质生产力"
        "是抢抓这一机遇、应对挑战的战略选择，态以及市场需求变化，才能找准高质量发展的"
        "“突破口”。\n（一）发展新质生产力是抢抓新一轮科技革命和产业变革机遇的战略选择\n"
        "在当今全球化的经济格局中，因受局部战争不断，贸易保护主义抬头等因素的影响，"
        "各国贸易摩擦频繁，政策调整频繁，经济增长的不确定性增加，",
    ),
    (
        "long-paragraph page: Markdown headline kept, mid-word break joined",
        "## 辽宁优化税收服务助推产业升级\n\n郝迎灿 齐婧\n\n"
        "辽宁产业基础雄厚、工业门类齐全，集聚一批“国之重器”。近年来，国家税务总局辽宁省"
        "税务局坚持强化税收驱动作用，确保各项税费优惠政策直达快享，助力数字辽宁、智造强省建\n\n"
        "设，推动老工业基地焕发新生机。\n\n"
        "优质的税费服务、精准释放的税费政策红利成为了企业创新发展的有力支\n\n"
        "撑。作为国家级专精特新“小巨人”企业，辽宁丹东克隆集团有限责任公司对关键工艺装备"
        "和生产线进行了智能化改造升级，效率增加30%。\n\n辽宁沈阳\n\n纾困解难暖人心\n\n汤龙",
        "##辽宁优化税收服务助推产业升级\n郝迎灿齐婧\n"
        "辽宁产业基础雄厚、工业门类齐全，集聚一批“国之重器”。近年来，国家税务总局辽宁省"
        "税务局坚持强化税收驱动作用，确保各项税费优惠政策直达快享，助力数字辽宁、智造强省建设，"
        "推动老工业基地焕发新生机。\n"
        "优质的税费服务、精准释放的税费政策红利成为了企业创新发展的有力支撑。作为国家级"
        "专精特新“小巨人”企业，辽宁丹东克隆集团有限责任公司对关键工艺装备和生产线进行了"
        "智能化改造升级，效率增加30%。\n辽宁沈阳\n纾困解难暖人心\n汤龙",
    ),
    (
        "captions, bullets and photo credits",
        "▲沈阳新松生产车间内，技术人员正在对机器人产品进行调试。  \n沈阳市浑南区委宣传部供图\n\n"
        "▼沈阳浑南科技城。  \n沈阳市浑南区委宣传部供图\n\n\n\n▲鞍钢股份炼铁集控中心。  \n鞍钢集团供图",
        "▲沈阳新松生产车间内，技术人员正在对机器人产品进行调试。\n沈阳市浑南区委宣传部供图\n"
        "▼沈阳浑南科技城。\n沈阳市浑南区委宣传部供图\n▲鞍钢股份炼铁集控中心。\n鞍钢集团供图",
    ),
    ("stray spaces removed", "完成 136 亿元，同比增长 7.3%，净增 82 户", "完成136亿元，同比增长7.3%，净增82户"),
    ("spaced-out characters", "绍 ，在 一 系 列 有 力 措 施 的 支 持 下 ，自", "绍，在一系列有力措施的支持下，自"),
    ("Latin spaces kept", "发布 Made  in China 2025 计划，科创 e 贷", "发布Made in China 2025计划，科创e贷"),
    ("quotes ‚ ‛ unified", "首次提到‚新质生产力‛。", "首次提到“新质生产力”。"),
    ("quotes 〝 〞 unified", "〝轴承之都〞", "“轴承之都”"),
    ("OCR variant 臵", "相继购臵了更高效、节能的设备", "相继购置了更高效、节能的设备"),
    ("full-width Latin and digits, ⋯", "ＧＤＰ增长５．３％⋯⋯", "GDP增长5．3%……"),
    ("ideographic space and leading spaces", "\u3000  三是推进绿色制造新业态。", "三是推进绿色制造新业态。"),
    ("CRLF line ends", "轴承之都积蓄新优势\r\n本报记者 苏大鹏\r\n", "轴承之都积蓄新优势\n本报记者苏大鹏"),
    ("empty and blank", " \n\n\u3000\n", ""),
]


def check_offsets(original: str, norm) -> None:
    """The invariants every NormalizedText must satisfy."""
    text, offs = norm.text, norm.offsets
    assert len(offs) == len(text)
    assert norm.original_length == len(original)
    assert all(0 <= o < len(original) for o in offs)
    assert all(a < b for a, b in zip(offs, offs[1:]))
    for ch, o in zip(text, offs):
        src = original[o]
        if ch == "\n":
            assert src == "\n"
        elif ch == " ":
            assert src.isspace() and src != "\n"
        else:
            assert not src.isspace() and fold_char(src) == ch
    assert text == text.strip()
    assert "\n\n" not in text and " \n" not in text and "\n " not in text


def squeeze(s: str) -> str:
    return re.sub(r"\s+", "", s)


def source_of(original: str, norm, i: int, j: int) -> str:
    s, e = norm.to_original(i, j)
    return "".join(fold_char(c) for c in original[s:e] if not c.isspace())


@pytest.mark.parametrize("original, expected", [c[1:] for c in CASES], ids=[c[0] for c in CASES])
def test_normalize_cases(original: str, expected: str) -> None:
    norm = normalize(original)
    assert norm.text == expected
    check_offsets(original, norm)


def test_fold_char_table() -> None:
    assert fold_char("‚") == "“" and fold_char("‛") == "”"
    assert fold_char("臵") == "置" and fold_char("⋯") == "…"
    assert fold_char("Ａ") == "A" and fold_char("９") == "9"
    assert fold_char("轴") == "轴" and fold_char("，") == "，"  # identity / CJK punctuation kept
    assert fold_char("\u3000") == " " and fold_char("\n") == "\n"
    assert all(len(k) == 1 and len(v) == 1 for k, v in FOLD_MAP.items())
    assert fold("购臵‚Ｘ‛") == "购置“X”"


_ALPHABET = "轴承集团有限公司瓦房店亿元业产" + "0123456789" + "ab" + "  \u3000\n\n\n\r" + "‚‛“”〝〞" + "臵，。、：⋯" + "#▲（一）"


@settings(max_examples=300, deadline=None)
@given(st.lists(st.text(alphabet=_ALPHABET, max_size=25), max_size=8).map("\n".join))
def test_offsets_property(original: str) -> None:
    norm = normalize(original)
    check_offsets(original, norm)
    n = len(norm.text)
    for i in range(n):
        for j in range(i + 1, n + 1):
            assert source_of(original, norm, i, j) == squeeze(norm.text[i:j])
    # nothing but whitespace is ever dropped
    assert squeeze(norm.text) == squeeze(fold(original))


@pytest.fixture(scope="module")
def corpus() -> dict[str, tuple[str, object]]:
    out = {}
    for p in sorted(CORPUS.glob("*.txt")):
        original = p.read_bytes().decode("utf-8")
        out[p.name] = (original, normalize(original))
    assert len(out) == 5
    return out


def test_corpus_sentences_map_back(corpus) -> None:
    for name, (original, norm) in corpus.items():
        check_offsets(original, norm)
        assert squeeze(norm.text) == squeeze(fold(original)), name
        for m in re.finditer(r"[^。！？\n]+[。！？]*[”’]?", norm.text):
            assert source_of(original, norm, m.start(), m.end()) == squeeze(m.group()), (name, m.group())


def test_corpus_reads_right(corpus) -> None:
    lines = {name: norm.text.split("\n") for name, (_, norm) in corpus.items()}
    page = lines["000_9c23c85fa6d8a88a.txt"]
    assert "本报记者苏大鹏" in page and "轴承之都积蓄新优势" in page and "优势见实力" in page
    text = "\n".join(page)
    assert "瓦房店轴承集团有限责任公司（简称瓦轴集团）" in text
    assert "2021年实现产值5.1亿元，今年一季度达1.4亿元。" in text
    assert "瓦房店市科技和工业信息化局局长曲连军告诉记者" in text
    assert "## " not in "\n".join(lines["001_75582bbaba95035a.txt"])
    assert "助力数字辽宁、智造强省建设，推动" in "\n".join(lines["001_75582bbaba95035a.txt"])
    assert "大连实施“七个聚焦”加快建设现代化工业体系" in lines["002_8fc95feac54eed20.txt"]
    essay = "\n".join(lines["003_742a5b2f0f981355.txt"])
    assert "购置" in essay and "臵" not in essay and "‚" not in essay and "‛" not in essay
    assert "一、着眼大势，找准高质量发展“突破口”" in lines["003_742a5b2f0f981355.txt"]
    assert lines["004_9eab0976ac9c2368.txt"][-2:] == ["慈溪市科学技术局", "2021年6月22日"]
    for name, ls in lines.items():  # no paragraph is left broken mid-line
        short_unpunctuated = [x for x in ls if len(x) > 30 and not re.search(r"[。！？；：”…）%\d]$", x)]
        assert len(short_unpunctuated) <= 2, (name, short_unpunctuated)


@pytest.mark.parametrize(
    "raw, expected",
    [
        ('实施"强链"行动，建立"链长制"。', "实施“强链”行动，建立“链长制”。"),
        ('He said "hello" to me.', 'He said "hello" to me.'),  # Latin text keeps its quotes
        ('只有一个"引号', '只有一个"引号'),  # an odd number: no pairing is safe
        ("“已有”和＂直引号＂", "“已有”和“直引号”"),
    ],
)
def test_straight_double_quotes_in_chinese_text_are_curled(raw, expected):
    norm = normalize(raw)
    assert norm.text == expected
    assert len(norm.offsets) == len(norm.text)


def test_a_bracket_left_open_joins_the_next_line_despite_trailing_whitespace():
    # trailing whitespace marks block ends in this file (the exception: one line in five),
    # but a byline's bracket left open goes on in the next line
    raw = ("远航公司扩产项目投产 \n本报讯（记者 陈晓东 通讯员 \n李丽）10月16日，远航公司年产10万台电机项目投产。\n"
           "项目总投资20亿元，达产后年产值50亿元。\n公司董事长张伟表示，将继续扩大产能。\n"
           "今年前三季度，公司实现营业收入30亿元。\n")
    text = normalize(raw).text
    assert "通讯员李丽）" in text
    assert text.startswith("远航公司扩产项目投产\n")


def test_a_space_at_the_end_of_a_wrapped_line_is_no_block_end():
    # trailing whitespace marks block ends here (two lines in eight), but a full line that
    # stops mid-sentence wrapped: the space fell there with the number after it
    lines = ["远航公司二期项目今年3月开工，一期将 ", "新增减速器产能30万台。浙江华兴银行", "余姚支行为项目提供贷款。 ",
             "项目总投资20亿元，达产后年产值50亿", "元，新增就业岗位1200个，带动上下游", "企业30余家落户园区，形成产业集群。",
             "公司董事长张伟表示，将继续扩大产能。", "今年前三季度，公司实现营业收入30亿"]
    text = normalize("\n".join(lines) + "元。\n").text
    assert "一期将新增减速器产能" in text
    assert "浙江华兴银行余姚支行" in text

"""Figures: recognition, qualifiers, periods, metric and subject."""

import pytest

from kg.extract.figures import normalize_period, parse_number
from kg.nlp.pipeline import make_nlp

NLP = make_nlp()


def figs(text, date="2023"):
    doc = NLP.make_doc(text)
    doc._.kg_date = date
    for _, proc in NLP.pipeline:
        doc = proc(doc)
    return doc._.kg_figures


@pytest.mark.parametrize(
    "text, value, unit, norm, unit_norm, qualifier",
    [
        ("全市工业产值达到1250亿元。", 1250, "亿元", 125000000000, "CNY", None),
        ("增加值同比增长6.5%。", 6.5, "%", 6.5, "percent", None),
        ("园区聚集了40多家配套企业。", 40, "家", 40, "enterprise", "more-than"),
        ("累计完成技术攻关800余项。", 800, "项", 800, "item", "more-than"),
        ("项目总投资近20亿元。", 20, "亿元", 2000000000, "CNY", "approx"),
        ("新建两座标准厂房。", 2, "座", 2, "unit", None),
        ("比重提高了2.1个百分点。", 2.1, "个百分点", 2.1, "percentage-point", None),
        ("储能电站规模达100兆瓦。", 100, "兆瓦", 100000000, "W", None),
        # Latin power units, large areas and tonnages, durations
        ("全市光伏组件产能达到14.2GW。", 14.2, "GW", 14200000000, "W", None),
        ("储能电池出货3.6GWh。", 3.6, "GWh", 3600000000, "Wh", None),
        ("光伏胶膜年产能达到5亿平方米。", 5, "亿平方米", 500000000, "m2", None),
        ("造船完工量达到120万载重吨。", 120, "万载重吨", 1200000, "dwt", None),
        ("审批时间缩短至15天。", 15, "天", 15, "day", None),
        ("生猪存栏12万头。", 12, "万头", 120000, "head", None),
        ("全年节约3.5万吨标准煤。", 3.5, "万吨标准煤", 35000, "tce", None),  # (节约: no 约 of approximation)
        # 七成: seven tenths, written with its own unit
        ("本地配套率提高到七成。", 7, "成", 70, "percent", None),
    ],
)
def test_values_and_units(text, value, unit, norm, unit_norm, qualifier):
    (f,) = figs(text)
    assert (f.value, f.unit, f.value_normalized, f.unit_normalized, f.qualifier) == (value, unit, norm, unit_norm, qualifier)


@pytest.mark.parametrize(
    "text",
    ["会议于2023年5月12日召开。", "对第166号建议的答复。", "M350型浮式生产储卸油船下水。", "第一套国产轴承诞生。", "一家家企业加快转型。"],
)
def test_not_figures(text):
    assert figs(text) == []


def test_a_change_gives_two_figures_with_one_metric():
    fs = figs("规上工业企业从120户增加到150户。")
    assert [(f.value, f.unit) for f in fs] == [(120, "户"), (150, "户")]
    assert fs[0].metric == fs[1].metric == "规上工业企业"


def test_metric_period_and_subject():
    fs = figs("今年一季度，宁波市地区生产总值完成3600亿元，同比增长5.2%。", date="2023-06-01")
    a, b = fs
    assert a.metric == "地区生产总值" and a.period == "今年一季度" and a.period_normalized == "2023-Q1"
    assert a.subject is not None and a.subject.type.value == "Place"
    assert b.is_growth and b.metric == "地区生产总值同比增长"


@pytest.mark.parametrize(
    "period, date, expected",
    [
        ("今年一季度", "2022", "2022-Q1"),
        ("今年1—9月", "2024", "2024-01/2024-09"),
        ("到2026年底", "2024", "2026-12-31"),
        ("去年", "2022-06-14", "2021"),
        ("2021年", None, "2021"),
        ("截至5月底", "2022", "2022-05-31"),
        ("“十四五”期间", "2022", "2021/2025"),
        ("上半年", "2024", "2024-H1"),
        ("今年", None, None),
    ],
)
def test_period_normalisation(period, date, expected):
    assert normalize_period(period, date) == expected


@pytest.mark.parametrize("text, value", [("136", 136), ("53.73", 53.73), ("三分之一", 1 / 3), ("两", 2), ("二〇三五", 2035)])
def test_parse_number(text, value):
    assert parse_number(text) == pytest.approx(value)


def test_subject_and_period_carry_over_and_regional_subject():
    text = "2022年，宁波市工业增加值增长5.1%。全市新增规上企业120家，其中制造业企业80家。"
    fs = figs(text, date="2023")
    assert [f.value for f in fs] == [5.1, 120, 80]
    assert all(f.subject is not None and text[f.subject.start : f.subject.end] == "宁波市" for f in fs)
    assert [f.period for f in fs] == ["2022年", "2022年", "2022年"]


def test_a_list_of_values_takes_the_lists_unit():
    fs = figs("比重分别提高了2个、2.1个和1.5个百分点。")
    assert [(f.value, f.unit) for f in fs] == [(2, "个百分点"), (2.1, "个百分点"), (1.5, "个百分点")]


@pytest.mark.parametrize("text", ["实施“七个聚焦”，推进发展。", "位列全国前8个城市之中。"])
def test_slogans_and_ranks_are_not_figures(text):
    assert figs(text) == []


@pytest.mark.parametrize(
    "text, value, unit",
    [("年发电量480亿千瓦时。", 480, "亿千瓦时"), ("惠及纳税人730万户次。", 730, "万户次")],
)
def test_more_units(text, value, unit):
    assert (value, unit) in [(f.value, f.unit) for f in figs(text)]


@pytest.mark.parametrize(
    "text, period",
    [
        ("2023年，高端装备营收占比较2022年提高了2个百分点。", "2023年"),
        ("自2018年以来，全市净增企业82户。", "自2018年以来"),
        ("到2025年，培育专精特新企业30家。", "到2025年"),
        ("目前，园区已入驻企业41家。", "目前"),
    ],
)
def test_period_as_written(text, period):
    assert figs(text)[0].period == period


def test_a_regional_clause_belongs_to_the_region():
    text = "宁波市出台新政。据市发改委统计，全市已备案的20家托育机构享受优惠。"
    (f,) = figs(text)
    assert text[f.subject.start : f.subject.end] == "宁波市"


def _subject_of(text, f):
    return text[f.subject.start : f.subject.end] if f.subject else None


@pytest.mark.parametrize(
    "text, subject",
    [
        # the topic of an earlier clause carries to a clause that names no one
        ("华精集团已经完成了全部核心车间的改造，核心零部件加工效率提升28.2%。", "华精集团"),
        # 全省 in an earlier clause of the sentence
        ("2023年，全省高技术制造业增加值增长8.8%，新能源汽车产量增长29.2%。", "江西省"),
        # 我们 in a quotation: the organization of whoever speaks, before or after it
        ("天域公司总经理王明介绍，“目前我们已累计完成技术攻关80余项。”", "天域公司"),
        ("“去年我们共获得各项税费减免1.1亿元。”远航动力有限公司财务总监李强说。", "远航动力有限公司"),
        # the source of the numbers is not what they are about
        ("据江北省轴承工业协会统计，前8个月产销增幅超过8%。", None),
        # an investment belongs to the project it is made in, named after or before it
        ("远山重工投资80亿元建设的远山重工智能制造产业园项目已完成主体建设。", "远山重工智能制造产业园项目"),
        ("今年5月，华精集团电驱总成基地项目在经开区开工，总投资35亿元。", "华精集团电驱总成基地项目"),
        # what a project will do once built
        ("华精集团电驱总成基地项目开工。项目建成后可形成年产120万套电驱总成的能力。", "华精集团电驱总成基地项目"),
        # a kind word opening the sentence stands for the body of that kind named before
        ("江南市储能产业创新联盟成立于2020年。联盟已吸纳会员企业236家。", "江南市储能产业创新联盟"),
    ],
)
def test_subject_of_a_figure(text, subject):
    fs = figs("江西省位于中部。" + text)
    assert _subject_of("江西省位于中部。" + text, fs[-1]) == subject


def test_a_quoted_paragraph_whose_first_word_is_quoted_belongs_to_the_speakers_organization():
    text = ("华东精工机械有限公司董事长刘伟在会上讲话。\n"
            "“十四五”期间我们将投资25亿元进行技术改造。”刘伟表示。")
    (f,) = figs(text)
    assert _subject_of(text, f) == "华东精工机械有限公司"


def test_period_runs_to_yilai_over_a_few_words():
    (f,) = figs("从4月试运行以来，已有18家企业获得授信。")
    assert f.period == "从4月试运行以来"


def test_quannian_after_a_year_in_the_paragraph_is_that_year():
    fs = figs("2022年，全市工业增加值同比增长5.1%；全年完成工业投资460亿元。", date="2023-03-01")
    assert [f.period for f in fs] == ["2022年", "2022年"]


def test_a_sector_is_the_subject_of_its_own_statistics():
    text = "从江北轴承协会公布的数据看，轴承行业146家企业累计产值同比增长8.25%。"
    fs = figs(text)
    assert [_subject_of(text, f) for f in fs] == ["轴承行业", "轴承行业"]


def test_a_scale_figure_describes_the_sector_after_it():
    text = "加快打造万亿级绿色石化产业集群、2千亿级高端装备产业集群、1千亿级新一代汽车产业集群。"
    fs = [f for f in figs(text) if f.unit == "千亿级"]
    assert [_subject_of(text, f) for f in fs] == ["高端装备产业", "新一代汽车产业"]
    assert text[fs[0].ev_start : fs[0].ev_end] == "2千亿级高端装备产业"


def test_the_base_of_a_share_is_not_the_subject():
    text = "江西省南昌市出台新政。南昌市两化融合贯标企业达217家，占全省85%。"
    fs = figs(text)
    assert [_subject_of(text, f) for f in fs] == ["南昌市", "南昌市"]


@pytest.mark.parametrize(
    "text, value, unit, norm, qualifier",
    [
        # a magnitude with its one left out keeps the unit as written and a qualifier
        ("天域精密每月出产高端轴承上万套。", 1, "万套", 10000, "more-than"),
        ("全市企业上云超万户。", 1, "万户", 10000, "more-than"),
        ("近万人参加了招聘会。", 1, "万人", 10000, "approx"),
        # a fraction with no unit after it is a share; 百分之 is per cent
        ("华精轮毂轴承单元在头部企业的供货份额超过三分之一。", pytest.approx(1 / 3), "", pytest.approx(1 / 3), "more-than"),
        ("新产品占比达到百分之三十。", 30, "%", 30, None),
    ],
)
def test_magnitudes_and_fractions_written_in_words(text, value, unit, norm, qualifier):
    (f,) = figs(text)
    assert (f.value, f.unit, f.value_normalized, f.qualifier) == (value, unit, norm, qualifier)


@pytest.mark.parametrize(
    "text, subject",
    [
        # the count that closes a list (A等3家企业) is not about the firm the list names …
        ("江西省南昌市推进节能降耗。目前全市共有国家级绿色工厂14家，华精等3家企业获评领跑者。", "南昌市"),
        # … but X的A等2个 counts X's items
        ("远航科技有限公司的智能检测系统等2个平台入选。", "远航科技有限公司"),
        # the object of a preposition (为中国工业贡献…) is not the subject
        ("山西省是重要的老工业基地，曾经为中国工业贡献了300多个第一。", "山西省"),
        # a longer name wins over the shorter one nested in it
        ("华精银行上海分行主动联系客户，并快速完成了1000万元贷款投放。", "华精银行上海分行"),
        # an earlier 全省 makes a sector's clause a regional statistic
        ("2023年，全省高技术制造业增加值增长8.8%，新能源汽车产量增长29.2%。", "江西省"),
    ],
)
def test_subject_rules_of_clauses(text, subject):
    full = "江西省位于中部。" + text
    fs = figs(full)
    assert _subject_of(full, fs[-1]) == subject


def test_a_national_total_belongs_to_the_nation_or_no_one():
    named = "中国经济稳定增长。经申报、评审，最终全国共有120家单位入选，其中，试验检测类75家。"
    assert [_subject_of(named, f) for f in figs(named)] == ["中国", "中国"]
    unnamed = "江北省工信厅发布通知。经申报、评审，最终全国共有120家单位入选，其中，试验检测类75家。"
    assert [f.subject for f in figs(unnamed)] == [None, None]


@pytest.mark.parametrize(
    "text, subject",
    [
        # a physical quantity written before a product describes the product
        ("江北重工成功研制全球单机容量最大的18兆瓦海上风电机组铸件。", "海上风电机组铸件"),
        # a product that opens the clause with one of its properties, and the next clause's property
        ("通过控制氧含量，天域研制出的稀土轴承钢抗压疲劳寿命提高40多倍，滚动接触疲劳寿命提升40%。", "稀土轴承钢"),
        # a project's investment
        ("在华精集团风电主轴轴承项目建设现场，厂房已经封顶。华精集团投资10亿元建设的这个大项目将于明年投产。",
         "华精集团风电主轴轴承项目"),
    ],
)
def test_products_and_projects_as_subjects(text, subject):
    fs = figs(text)
    assert _subject_of(text, fs[-1]) == subject


@pytest.mark.parametrize(
    "text, subject",
    [
        # a sentence that names no one continues the topic of an earlier sentence of the paragraph
        ("多年来，华精集团坚定不移走绿色发展之路。瞄准风电等产业需求，连续投入近20亿元，淘汰落后产能。", "华精集团"),
        ("“瑞锋贷”产品是天域银行推出的创新产品。产品具有纯信用、全线上的特点，最高授信额度可达1000万元。", "瑞锋贷"),
    ],
)
def test_a_sentence_without_names_takes_the_paragraphs_topic(text, subject):
    fs = figs(text)
    assert _subject_of(text, fs[-1]) == subject


def test_the_topic_does_not_cross_a_paragraph():
    text = "多年来，华精集团坚定不移走绿色发展之路。\n瞄准风电等产业需求，连续投入近20亿元。"
    (f,) = figs(text)
    assert f.subject is None


def test_a_frequency_is_the_period_as_written():
    (f,) = figs("华精精密轴承分公司每月出产精密机床轴承上万套。")
    assert (f.period, f.period_normalized) == ("每月", None)


@pytest.mark.parametrize(
    "text, value, unit, norm, qualifier",
    [
        ("收集问题4.8万余件。", 4.8, "万件", 48000, "more-than"),  # 余 between the magnitude and the unit
        ("储能系统可以支持普通家庭15个月的用电。", 15, "个月", 15, None),
        ("上百座高等院校聚集于此。", 100, "座", 100, "more-than"),  # a magnitude after a qualifier
        ("园区聚集了近千家企业。", 1000, "家", 1000, "approx"),
        ("打造万亿级绿色石化产业集群。", 1, "万亿级", 10**12, None),  # a scale needs no qualifier
        ("实现百亿级车联网产业规模目标。", 1, "百亿级", 10**10, None),
    ],
)
def test_more_written_forms(text, value, unit, norm, qualifier):
    (f,) = figs(text)
    assert (f.value, f.unit, f.value_normalized, f.qualifier) == (value, unit, norm, qualifier)


@pytest.mark.parametrize(
    "text",
    [
        "从协会公布的前8个月数据看，产销平稳。",  # a period, not a duration
        "在一个月的时间里反复沟通。",
        "一次拉碳出钢率显著提高。",  # 一次: once
        "在市十七届人大五次会议上提出建议。",  # a session's ordinal
        "千家万户用上了清洁能源。",  # an idiom: no qualifier, no figure
    ],
)
def test_more_not_figures(text):
    assert figs(text) == []


def test_a_year_in_chinese_numerals_is_a_period():
    (f,) = figs("到二〇三五年，全市工业产值达到5000亿元。", date="2023")
    assert (f.period, f.period_normalized) == ("到二〇三五年", "2035")


def test_the_items_of_a_list_of_rates_are_all_rates():
    fs = figs("全省规上工业产值、营业收入分别增长8.25%、6.92%和8.69%。")
    assert [(f.value, f.is_growth) for f in fs] == [(8.25, True), (6.92, True), (8.69, True)]


@pytest.mark.parametrize(
    "text, expected",
    [
        # the new level after a change is a level, with the metric without the verb
        ("一次拉碳出钢率从86%提高至96%。", [(86, False, "一次拉碳出钢率"), (96, False, "一次拉碳出钢率")]),
        ("全市产值增长到300亿元，同比增长5%。", [(300, False, "产值"), (5, True, "产值同比增长")]),
    ],
)
def test_a_level_reached_is_not_a_rate(text, expected):
    assert [(f.value, f.is_growth, f.metric) for f in figs(text)] == expected


def test_a_range_gives_its_two_ends():
    fs = figs("华精集团计划新增5至10家配套企业。")
    assert [(f.value, f.unit, f.qualifier) for f in fs] == [(5, "家", "range-lower"), (10, "家", "range-upper")]
    assert fs[0].metric == fs[1].metric and fs[0].subject == fs[1].subject


@pytest.mark.parametrize(
    "text, value, metric",
    [
        ("一、全市工业产值达到100亿元。", 100, "工业产值"),  # list numbering is neither a figure nor the metric
        ("（二）全市新增企业20家。", 20, "新增企业"),
        ("今年一季度，宁波市地区生产总值完成 136 亿元。", 136, "地区生产总值"),  # spaces inside
    ],
)
def test_list_numbering_and_spaces(text, value, metric):
    (f,) = figs(text)
    assert (f.value, f.metric) == (value, metric)


def test_qi_and_gaigongsi_refer_back_to_the_last_named_company():
    text = "华精集团成立于1998年。去年，该公司实现产值20亿元。"
    (f,) = figs(text)
    assert (_subject_of(text, f), f.metric, f.period) == ("华精集团", "产值", "去年")


def test_the_examples_of_a_group_are_not_its_subject():
    text = "江西省位于中部。以华精集团为代表的轴承企业产值超过300亿元。"
    (f,) = figs(text)
    assert (f.subject, f.metric, f.qualifier) == (None, "轴承企业产值", "more-than")


def test_scale_items_joined_by_he_have_their_own_evidence_and_measure_a_cluster():
    text = "打造2千亿级高端装备产业集群、1千亿级新一代汽车产业集群和1千亿级中高端消费品产业集群。"
    fs = figs(text)
    assert [(_subject_of(text, f), f.metric) for f in fs] == [
        ("高端装备产业", "集群规模"), ("新一代汽车产业", "集群规模"), ("中高端消费品产业", "集群规模")]
    assert text[fs[2].ev_start : fs[2].ev_end] == "1千亿级中高端消费品产业"


def test_a_product_referred_to_by_its_head_is_the_subject():
    text = "天域公司推出了钒电池储能系统。“一套储能系统可以储存3000度的电能，该系统能够支持一个普通家庭15个月的用电量。”"
    fs = figs(text)
    assert [(f.value, f.unit, _subject_of(text, f)) for f in fs] == [
        (3000, "度", "钒电池储能系统"), (15, "个月", "钒电池储能系统")]
    assert fs[0].metric == "一套储能系统可以储存"


def test_a_frequency_holds_for_its_own_clause_only():
    fs = figs("天域储能系统每月可储存3000度电，能够支持一个普通家庭15个月的用电量。")
    assert [(f.value, f.period) for f in fs] == [(3000, "每月"), (15, None)]


@pytest.mark.parametrize(
    "text, period",
    [
        # 到 after a verb of change belongs to the verb; a target year keeps it
        ("本地配套率从2019年的38%提高到去年的61%。", "去年"),
        ("力争到2025年产值突破2000亿元。", "到2025年"),
        # within N years
        ("计划3年内建设分布式光伏1500兆瓦。", "3年内"),
        ("今年1—9月，全市规上工业增加值增长8.5%。", "今年1—9月"),
        ("力争到2026年底产值突破500亿元。", "到2026年底"),
        ("截至6月末，全区专精特新企业达到126家。", "截至6月末"),
        ("推动100家企业两年内营业收入翻番，新增产值50亿元。", "两年内"),
    ],
)
def test_periods_of_changes_and_spans(text, period):
    assert figs(text, date="2024")[-1].period == period


def test_we_in_an_interview_answer_is_the_answerers_organization():
    text = ("——访浙江甬远智能装备股份有限公司董事长沈敬安\n记者：企业融资难不难？\n"
            "沈敬安：比前几年顺畅多了。去年我们的营业收入达到18.6亿元，同比增长27.4%。")
    fs = figs(text, date="2024")
    assert [_subject_of(text, f) for f in fs] == ["浙江甬远智能装备股份有限公司"] * 2


def _figure_texts(seed: int, n: int) -> list[str]:
    """Random texts of qualifiers, numerals, units and filler, the stuff figures are made of."""
    import random

    from kg.extract.figures import CN_DIGITS, QUAL_BARE, QUAL_BEFORE
    from kg.extract.lexicon import lexicon

    rnd = random.Random(seed)
    units = sorted({u.text for u in lexicon().units})
    words = ([w.split(")")[-1] for w in QUAL_BEFORE.split("|")] + QUAL_BARE.split("|") + list(CN_DIGITS)
             + list("0123456789节制签合预公契条多余至到-—~.,， 的年") + ["分之", "百分之", "约", "企业", "增长"])
    return ["".join(rnd.choice(units) if rnd.random() < 0.25 else rnd.choice(words)
                    for _ in range(rnd.randint(1, 30))) for _ in range(n)]


def test_figure_patterns_find_what_they_find_without_their_opening_lookahead():
    """The lookahead for the characters a figure can begin with changes no match."""
    import re

    import kg.extract.figures as F
    from kg.extract.lexicon import lexicon

    F._figure_re(lexicon())
    patterns = [F._BARE_RE, F._MAG_RE, F._UNIT_RE, F.FRACTION_RE]
    plain = []
    for rx in patterns:
        assert rx.pattern.startswith("(?=[")
        plain.append(re.compile(rx.pattern[rx.pattern.index("])") + 2 :]))
    found = 0
    for text in _figure_texts(7, 3000):
        for rx, without in zip(patterns, plain):
            expected = [(m.span(), m.groupdict()) for m in without.finditer(text)]
            assert [(m.span(), m.groupdict()) for m in rx.finditer(text)] == expected, text
            found += len(expected)
    assert found > 1000  # the texts do hold figures


def test_first_chars_of_an_alternation():
    from kg.extract.figures import first_chars

    assert first_chars("近|(?<![节制])约|超过|超|不到") == "不约超近"


def test_spans_by_start_finds_what_a_scan_finds():
    """SpansByStart's lookups give the spans a scan of the list gives, in the list's order."""
    import random

    from kg.extract.entities import Span
    from kg.extract.figures import SpansByStart
    from kg.models import EntityType

    rnd = random.Random(3)
    types = list(EntityType)
    for _ in range(300):
        spans = []
        for _ in range(rnd.randint(0, 25)):
            start = rnd.randint(0, 40)
            spans.append(Span(start, start + rnd.randint(1, 8), rnd.choice(types)))
        index = SpansByStart(spans)
        for _ in range(20):
            lo, hi = sorted((rnd.randint(-2, 50), rnd.randint(-2, 50)))
            assert index.starting_in(lo, hi) == [sp for sp in spans if lo <= sp.start < hi]
            within = index.within(lo, hi)
            assert within == [sp for sp in spans if lo <= sp.start and sp.end <= hi]
            assert [id(sp) for sp in within] == [id(sp) for sp in spans if lo <= sp.start and sp.end <= hi]

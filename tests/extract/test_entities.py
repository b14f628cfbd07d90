"""Entity extraction on hand-written sentences in the style of Chinese business news."""

import pytest

from kg.extract.entities import industry_core
from kg.nlp.pipeline import make_nlp

NLP = make_nlp()


def ents(text):
    doc = NLP(text)
    return {(text[s.start : s.end], s.type.value) for s in doc._.kg_entities.spans}


def assert_entities(text, present, absent):
    """``present`` (name, type) pairs are found; no name of ``absent`` is."""
    found = ents(text)
    assert present <= found
    assert not ({n for n, _ in found} & absent)


@pytest.mark.parametrize(
    "text, expected",
    [
        ("华东精工机械有限公司董事长张伟表示，今年将扩大产能。", {("华东精工机械有限公司", "Company"), ("张伟", "Person")}),
        ("走进杭州远航动力科技股份有限公司的车间，机器轰鸣。", {("杭州远航动力科技股份有限公司", "Company")}),
        ("浙江省省长王刚表示，要加快发展先进制造业。", {("浙江省", "Place"), ("王刚", "Person")}),
        ("宁波市经济和信息化局局长周红介绍了有关情况。", {("宁波市经济和信息化局", "GovernmentBody"), ("周红", "Person")}),
        ("该校与浙江大学机械工程学院开展联合攻关。", {("浙江大学机械工程学院", "ResearchInstitution")}),
        ("中国机械工业联合会发布了年度报告。", {("中国机械工业联合会", "Organization")}),
        ("本报记者 陈晓东\n", {("陈晓东", "Person")}),
        ("企业成功研制出高速精密主轴轴承。", {("高速精密主轴轴承", "Product")}),
        ("当地机器人产业规模不断扩大。", {("机器人产业", "Industry")}),
        ("市里出台了《宁波市制造业高质量发展三年行动计划》。", {("宁波市制造业高质量发展三年行动计划", "Policy")}),
        ("苏州工业园区吸引了大批企业。", {("苏州工业园区", "Place")}),
    ],
)
def test_finds_named_entities(text, expected):
    assert expected <= ents(text)


@pytest.mark.parametrize(
    "text, generic",
    [
        ("轴承企业要主动对接有关部门。", {"轴承企业", "有关部门"}),
        ("某动力设备有限公司拖欠货款。", {"动力设备有限公司", "某动力设备有限公司"}),
        ("这些产品质量过硬，格局正在改变。", {"产品", "格局"}),
        ("传统产业和新兴产业都要发展。", {"传统产业", "新兴产业"}),
        ("这种轴承很耐用。", {"轴承"}),
    ],
)
def test_generic_words_are_not_entities(text, generic):
    found = {name for name, _ in ents(text)}
    assert not (found & generic)


def test_declared_short_name_and_its_later_uses():
    text = "杭州远航动力科技有限公司（简称远航动力）今年营收增长。远航动力计划扩产。"
    doc = NLP(text)
    res = doc._.kg_entities
    decl = [(text[a.full.start : a.full.end], text[a.alias.start : a.alias.end]) for a in res.aliases]
    assert decl == [("杭州远航动力科技有限公司", "远航动力")]
    assert sum(1 for s in res.spans if text[s.start : s.end] == "远航动力") == 2


def test_a_branch_keeps_its_parent_as_a_nested_mention_when_the_parent_is_named_alone():
    text = "华东精工集团今年扩产。华东精工集团精密轴承分公司总经理李强说，订单饱满。"
    doc = NLP(text)
    spans = [(s.start, text[s.start : s.end], s.type.value) for s in doc._.kg_entities.spans]
    assert (11, "华东精工集团精密轴承分公司", "Company") in spans
    assert (11, "华东精工集团", "Company") in spans  # the nested mention
    # named only inside the branch's name, the parent is no entity of the text
    text = "华东精工集团精密轴承分公司总经理李强说，订单饱满。"
    found = {(text[s.start : s.end], s.type.value) for s in NLP(text)._.kg_entities.spans}
    assert ("华东精工集团精密轴承分公司", "Company") in found
    assert ("华东精工集团", "Company") not in found


def test_person_found_once_is_found_everywhere_in_the_document():
    text = "市委书记赵立新指出，要抓好项目。赵立新强调，要优化服务。"
    doc = NLP(text)
    persons = [text[s.start : s.end] for s in doc._.kg_entities.spans if s.type.value == "Person"]
    assert persons == ["赵立新", "赵立新"]


@pytest.mark.parametrize(
    "text, expected",
    [
        # a photo credit closing a caption
        ("工人正在调试新型减速器。王立新摄\n", {("王立新", "Person")}),
        # enumerated sectors before 等产业
        ("当地钢铁、建材、石油化工等产业转型加快。", {("钢铁", "Industry"), ("建材", "Industry"), ("石油化工", "Industry")}),
        # streets and roads built on a proper name
        ("项目位于中山路与长江大道交汇处。", {("中山路", "Place"), ("长江大道", "Place")}),
    ],
)
def test_more_patterns(text, expected):
    assert expected <= ents(text)


def test_a_line_of_reporters_names_after_a_known_byline():
    norm = "本报记者陈晓东\n正文在这里。\n陈晓东王丽\n"  # already normalised
    found = {(norm[s.start : s.end], s.type.value) for s in NLP(norm)._.kg_entities.spans}
    assert {("陈晓东", "Person"), ("王丽", "Person")} <= found


@pytest.mark.parametrize(
    "text, present, absent",
    [
        ("车队沿中山路东行，南到兴业路。", {("中山路", "Place"), ("兴业路", "Place")}, {"沿中山路", "南到兴业路"}),
        ("公司生产大型轴承设备和高端精密保持架。", {("大型轴承设备", "Product"), ("高端精密保持架", "Product")}, set()),
        ("车间新添了加工设备，搭建了服务平台。", set(), {"加工设备", "服务平台"}),
        ("高速铁路建设加快。", set(), {"高速铁路"}),
    ],
)
def test_edges_of_places_and_products(text, present, absent):
    assert_entities(text, present, absent)


@pytest.mark.parametrize(
    "text, present, absent",
    [
        ("浙江省宁波市政府召开会议。", {("宁波市政府", "GovernmentBody")}, {"浙江省宁波市政府"}),
        ("市科技局会同市财政局开展调研。", {("市科技局", "GovernmentBody"), ("市财政局", "GovernmentBody")}, {"市科技局会同市财政局"}),
        ("要优化国家产业布局。", set(), {"国家产业布局"}),
        ("▲江南大学机械工程学院的实验室里", {("江南大学机械工程学院", "ResearchInstitution")}, {"▲江南大学机械工程学院"}),
    ],
)
def test_edges_of_organization_names(text, present, absent):
    assert_entities(text, present, absent)


@pytest.mark.parametrize(
    "text, present, absent",
    [
        ("在江北经济开发区华精集团风电主轴轴承项目建设现场，厂房已封顶。", {("华精集团风电主轴轴承项目", "Project")}, set()),
        ("江北重工易地建设升级项目取得进展。", {("江北重工易地建设升级项目", "Project")}, set()),
        ("华东智慧工厂项目入选省级示范项目名单。", {("华东智慧工厂项目", "Project")}, {"入选省级示范项目", "省级示范项目"}),
        ("我们启动了一批重点项目。", set(), {"重点项目", "一批重点项目"}),
    ],
)
def test_projects(text, present, absent):
    assert_entities(text, present, absent)


def test_a_level_word_short_form_points_to_the_documents_full_name():
    text = "嘉兴市科学技术局答复如下。市科技局将会同市财政局推进。"
    spans = NLP(text)._.kg_entities.spans
    short = [s for s in spans if text[s.start : s.end] == "市科技局"]
    assert short and short[0].canonical == "嘉兴市科学技术局"
    other = [s for s in spans if text[s.start : s.end] == "市财政局"]
    assert other and other[0].canonical is None


@pytest.mark.parametrize(
    "text, present, absent",
    [
        ("全面实施产业基础再造工程。", {("产业基础再造工程", "Policy")}, {"实施产业基础再造工程"}),
        ("深入实施创新驱动发展战略。", {("创新驱动发展战略", "Policy")}, set()),
        ("企业计划扩产，要对接国家战略。", set(), {"国家战略", "对接国家战略", "企业计划"}),
    ],
)
def test_named_programmes(text, present, absent):
    assert_entities(text, present, absent)


@pytest.mark.parametrize(
    "text, present, absent",
    [
        ("全市装备制造业增加值增长。", {("装备制造业", "Industry")}, set()),
        ("要用好政策助推产业升级。", set(), {"助推产业", "政策助推产业"}),
        # a verb the segmenter tags as a noun, with 产业 as its object
        ("要攻克制约产业高质量发展的关键技术。", set(), {"制约产业", "攻克制约产业"}),
        ("规模以上工业增加值增长6%。", set(), {"规模以上工业"}),
    ],
)
def test_industries(text, present, absent):
    assert_entities(text, present, absent)


def test_short_company_names_listed_before_qiye():
    # only name-like items count: an item that is an ordinary dictionary word (远航, "voyage")
    # is left out on purpose, as are product words (轴承)
    found = ents("当地诞生了华精、祥鹭等一批领军企业，轴承、齿轮等企业也在发展。")
    assert {("华精", "Company"), ("祥鹭", "Company")} <= found
    assert not ({n for n, _ in found} & {"轴承", "齿轮"})


def test_a_rare_word_before_gongsi_names_a_company():
    # 天域 is a rare dictionary word (a brand); 科技 a common noun: a generic company
    assert_entities("天域公司总经理王明介绍，产品供不应求。", {("天域公司", "Company"), ("王明", "Person")}, set())
    assert_entities("科技公司总经理王明介绍，产品供不应求。", {("王明", "Person")}, {"科技公司"})


@pytest.mark.parametrize(
    "text, present, absent",
    [
        # a town after a preposition: 在 is not part of the name
        ("在石桥镇布局两个园区。", {("石桥镇", "Place")}, {"在石桥镇"}),
        ("沈阳市浑南区明珠街道党委书记王丽说。", {("明珠街道", "Place")}, set()),
        # the four bounds of a plot are places; a planned road is not a name
        ("地块东至白沙河、南至规划支路、西至青石村、北至兴园路，总面积30公顷。",
         {("白沙河", "Place"), ("青石村", "Place"), ("兴园路", "Place")}, {"规划支路", "沙河"}),
        ("地块东到石门界、南到沿江线，面积不大。", {("石门", "Place"), ("沿江线", "Place")}, {"石门界"}),
        # one direction alone is not a list of bounds
        ("航线一路向东到青石村。", set(), {"青石村"}),
        # a district's short form that jieba knows as a place name; a named region
        ("公司落户海淀，产品销往东三省。", {("海淀", "Place"), ("东三省", "Place")}, set()),
    ],
)
def test_towns_bounds_and_short_district_names(text, present, absent):
    assert_entities(text, present, absent)


@pytest.mark.parametrize(
    "text, present, absent",
    [
        ("沈阳市浑南区明珠街道党委书记王丽说。", {("明珠街道", "Place")}, set()),  # named after its district
        ("城市街道很干净。", set(), {"城市街道"}),
        ("他在彩霞街道散步。", set(), {"彩霞街道"}),  # a common word with no district before it: not sure enough
    ],
)
def test_sub_districts(text, present, absent):
    assert_entities(text, present, absent)


def spans_with_canonical(text):
    return {(text[s.start : s.end], s.type.value, s.canonical) for s in NLP(text)._.kg_entities.spans}


@pytest.mark.parametrize(
    "text, expected",
    [
        # national bodies by name and by their usual short form
        ("按工信部的安排推进。", ("工信部", "GovernmentBody", "工业和信息化部")),
        ("坚决贯彻党中央决策部署。", ("党中央", "GovernmentBody", "中共中央")),
        ("国务院常务会议召开。", ("国务院", "GovernmentBody", None)),
        # a local department's short form stands for its full name
        ("绍兴市工信局发布通知。", ("绍兴市工信局", "GovernmentBody", "绍兴市工业和信息化局")),
        # a body named without its national prefix, in a document that gives the full name
        ("国家税务总局江西省税务局成立。江西省税务局表示。", ("江西省税务局", "GovernmentBody", "国家税务总局江西省税务局")),
        # 市委 alone: the party committee of the city the document is about
        ("绍兴市出台政策。绍兴市企业很多。嘉兴市也有。根据市委的部署推进。", ("市委", "GovernmentBody", "绍兴市委")),
    ],
)
def test_government_bodies(text, expected):
    assert expected in spans_with_canonical(text)


@pytest.mark.parametrize(
    "text, absent",
    [
        ("市委书记王明说。", "市委"),  # part of a title
        ("绍兴市出台政策。嘉兴市也出台政策。根据市委的部署推进。", "市委"),  # which city? none stands out
        ("中央企业发挥带头作用。", "中央"),
    ],
)
def test_no_government_body_without_a_name(text, absent):
    assert absent not in {t for t, _, _ in spans_with_canonical(text)}


@pytest.mark.parametrize(
    "text, present, absent",
    [
        # a verb of making or selling is not part of the name; after it a specific head stands alone
        ("公司员工正在装配压缩机。", {("压缩机", "Product")}, set()),
        ("该企业主要经营压缩机设备的制造、研发。", {("压缩机设备", "Product")}, {"经营压缩机设备"}),
        ("公司员工正在装配轴承。", set(), {"轴承"}),  # a bare broad head is never a product
        # 系列 inside a product line's name, never a name on its own
        ("精密系列轴承、铁路系列轴承畅销海外。", {("精密系列轴承", "Product"), ("铁路系列轴承", "Product")}, {"系列轴承"}),
        # quantity and scope words before the name
        ("公司已连续创造月产机床轴承新纪录。", {("机床轴承", "Product")}, {"月产机床轴承"}),
        ("我们拿下该项目配套轴承的全部订单。", set(), {"项目配套轴承", "配套轴承"}),
        # an organization's short name before a product is not part of the product
        ("华东精工机械有限公司（简称华精）成立于1990年。目前，华精大功率风电主轴轴承畅销。",
         {("华精", "Company"), ("大功率风电主轴轴承", "Product")}, {"华精大功率风电主轴轴承"}),
    ],
)
def test_product_edges(text, present, absent):
    assert_entities(text, present, absent)


@pytest.mark.parametrize(
    "text, present, absent",
    [
        # a known sector ends the name, whatever stands before it
        ("全市已形成三大石化产业集聚区。", {("石化产业", "Industry")}, {"三大石化产业"}),
        ("打造2千亿级高端装备产业集群。", {("高端装备产业", "Industry")}, {"装备产业"}),
        ("增强了集成电路产业链供应链的韧性。", {("集成电路产业", "Industry")}, set()),
        # sectors listed before 等领域/等方向/等N个…产业: only when every item is a sector
        ("重点围绕储能与氢能等方向实施专项。", {("储能", "Industry"), ("氢能", "Industry")}, set()),
        ("做强航空装备、船舶与海工装备等12个优势产业集群。",
         {("航空装备", "Industry"), ("船舶与海工装备", "Industry")}, set()),
        ("在高端医疗器械、盾构等领域攻克难题。", set(), {"盾构", "高端医疗器械"}),
        # an unknown sector only from plain dictionary nouns; a verb before 产业 is a predicate
        ("以新产业新动能为支撑。", set(), {"以新产业", "新产业"}),
        ("实现数字赋能产业升级。", set(), {"数字赋能产业", "赋能产业"}),
        ("制造业是立市之本。", {("制造业", "Industry")}, set()),
    ],
)
def test_industries_by_sector_names(text, present, absent):
    assert_entities(text, present, absent)


@pytest.mark.parametrize(
    "text, expected",
    [
        # a programme whose name quotes its slogan: the name is written without the quotation marks
        ("一是实施科技“领航者”培育工程。", ("科技“领航者”培育工程", "科技领航者培育工程")),
        ("启动实施“科技领航”工程五年行动计划，每年筛选。", ("“科技领航”工程五年行动计划", "科技领航工程五年行动计划")),
        ("启动新一轮科技企业“三提升”行动，培育壮大。", ("科技企业“三提升”行动", "科技企业三提升行动")),
        ("开展“益企同行”服务行动。", ("“益企同行”服务行动", "益企同行服务行动")),
        ("积极响应“数字丝路”倡议等国家战略。", ("“数字丝路”倡议", "数字丝路倡议")),
    ],
)
def test_programmes_that_quote_their_slogan(text, expected):
    found = {(t, c) for t, typ, c in spans_with_canonical(text) if typ == "Policy"}
    assert expected in found


def test_an_alias_declared_after_a_programme_in_which_something_happens():
    text = "这是全市开展“惠民生、解民忧”行动中（以下简称“惠解”行动）的缩影。"
    doc = NLP(text)
    (hit,) = doc._.kg_entities.aliases
    assert text[hit.full.start : hit.full.end] == "“惠民生、解民忧”行动"
    assert text[hit.alias.start : hit.alias.end] == "“惠解”行动"


@pytest.mark.parametrize(
    "text, present, absent",
    [
        # a company's name does not run through the zone it stands in; a zone's own body may
        ("在江西自贸试验区南昌片区华精集团风电轴承项目建设现场。",
         {("江西自贸试验区南昌片区", "Place"), ("华精集团风电轴承项目", "Project")},
         {"江西自贸试验区南昌片区华精集团"}),
        ("南昌高新区管委会主任王明说。", {("南昌高新区管委会", "GovernmentBody")}, set()),
        # projects listed before 等项目 / 等N个项目
        ("目前已启动特种轴承精密技术、高端装备轴承技术和高端轴承零部件制造等项目，努力打造。",
         {("特种轴承精密技术", "Project"), ("高端装备轴承技术", "Project"), ("高端轴承零部件制造", "Project")},
         {"已启动特种轴承精密技术", "启动特种轴承精密技术"}),
        ("持续做好服务，远航精密生产线扩建、华精电子元器件制造升级改造等60个项目顺利投产。",
         {("远航精密生产线扩建", "Project"), ("华精电子元器件制造升级改造", "Project")}, set()),
    ],
)
def test_zones_and_listed_projects(text, present, absent):
    assert_entities(text, present, absent)


@pytest.mark.parametrize(
    "text, present, absent",
    [
        # a brand the segmenter does not know, and a trade word
        ("瑞锋重工成功研制全球最大的海上风电机组铸件。", {("瑞锋重工", "Company"), ("海上风电机组铸件", "Product")}, set()),
        ("南昌迅动科技的三维运动分析系统入选名单。", {("南昌迅动科技", "Company")}, set()),
        # not a brand: a sector, a function word glued on, a name the segmenter split, a place word after
        ("区块链科技发展迅速。", set(), {"区块链科技"}),
        ("构建科创智能风控体系。", set(), {"科创智能"}),
        ("推动高精特新装备国产化替代。", set(), {"精特新装备"}),
        ("南昌浑东科技城开园。", set(), {"南昌浑东科技", "浑东科技"}),
        # long product names, and a production line's product
        ("远洋重工建造的全球首艘LNG双燃料动力超大型原油船交付。", {("LNG双燃料动力超大型原油船", "Product")}, set()),
        ("公司投产了精密轴承生产线。", {("精密轴承", "Product")}, {"精密轴承生产线"}),
        ("图为一家企业的储能系统生产线。", {("储能系统", "Product")}, {"储能系统生产线"}),
        ("公司研制的新型PVC四辊压延医用薄膜生产线正式交付。", {("PVC四辊压延医用薄膜生产线", "Product")}, set()),  # a line it makes
        ("公司推出系列高端轴承。", {("高端轴承", "Product")}, {"系列高端轴承"}),
    ],
)
def test_brand_companies_and_long_products(text, present, absent):
    assert_entities(text, present, absent)


@pytest.mark.parametrize(
    "text, form, canonical",
    [
        ("江西南昌华精集团有限责任公司成立。南昌华精集团有限责任公司财务负责人王明说。",
         "南昌华精集团有限责任公司", "江西南昌华精集团有限责任公司"),
        ("华兴银行南昌青山支行发放贷款。华兴银行青山支行负责人王明表示。", "华兴银行青山支行", "华兴银行南昌青山支行"),
    ],
)
def test_a_name_given_again_without_one_of_its_places_is_the_same(text, form, canonical):
    assert (form, "Company", canonical) in spans_with_canonical(text)


@pytest.mark.parametrize(
    "text, present, absent",
    [
        ("世界贸易组织预计全球贸易增速3.2%。", {("世界贸易组织", "Organization")}, set()),
        ("世界卫生组织发布报告。", {("世界卫生组织", "Organization")}, set()),
        ("不断完善普惠金融组织体系。", set(), {"不断完善普惠金融组织", "普惠金融组织"}),
    ],
)
def test_international_organizations(text, present, absent):
    assert_entities(text, present, absent)


@pytest.mark.parametrize(
    "text, present, absent",
    [
        # a rare verb is a technical modifier inside the name; a frequent one is the predicate
        ("由华精公司研制的8台重载工业机器人亮相。", {("华精公司", "Company"), ("重载工业机器人", "Product")}, set()),
        ("公司打造高端轴承。", {("高端轴承", "Product")}, {"打造高端轴承"}),
        # a product line named before 系列 is not part of the product after it
        ("瞄准高速、精密、重载系列高端轴承研发。", {("高端轴承", "Product")}, {"系列高端轴承", "重载系列高端轴承"}),
        ("区内重载系列轴承畅销海外。", {("重载系列轴承", "Product")}, {"区内重载系列轴承"}),
        # 轴承工业 is the bearing industry
    ],
)
def test_product_modifiers(text, present, absent):
    assert_entities(text, present, absent)


def test_x_gongye_is_the_x_industry():
    assert ("轴承工业", "Industry", "轴承产业") in spans_with_canonical("我国轴承工业发展迅速。")


@pytest.mark.parametrize(
    "text, present, absent",
    [
        # a project named after a company the segmenter does not know: the company is nested in it
        ("持续做好服务，瑞迈仕精密生产线扩建、华精电子元器件制造升级改造等60个项目顺利投产。",
         {("瑞迈仕", "Company"), ("瑞迈仕精密生产线扩建", "Project")}, set()),
        ("远星电子高频柔性线路板、泰邦化学气体纯化设备等项目开工。",
         {("远星电子", "Company"), ("泰邦化学", "Company")}, set()),
        # kinds of enterprise are not enterprises
        ("培育壮大高新技术企业、科技型中小企业等创新型企业梯队。", set(), {"科技型中小企业", "高新技术企业"}),
        ("物业管理公司负责维护。", set(), {"物业管理公司"}),
    ],
)
def test_project_investors_and_kinds_of_enterprise(text, present, absent):
    assert_entities(text, present, absent)


@pytest.mark.parametrize(
    "text, present, absent",
    [
        # verbs of development talk are the predicate, however the segmenter tags them
        ("全省培育壮大机器人、新能源汽车等新兴产业。", set(), {"壮大机器人"}),
        ("融合机器人、数字化、新材料的先进制造技术加快发展。", set(), {"融合机器人"}),
        # a verb of making before the product (出产, 投运), also as a rare word
        ("远航公司每月出产精密机床轴承上万套。", {("精密机床轴承", "Product")}, {"出产精密机床轴承"}),
        ("华精储能累计投运钒电池储能系统超过300兆瓦时。", {("钒电池储能系统", "Product")}, {"投运钒电池储能系统"}),
        # a function character the segmenter glued to the name
        ("企业要跳出微小型轴承的狭小范围，向以微小型轴承为主转变。", {("微小型轴承", "Product")},
         {"以微小型轴承", "跳出微小型轴承"}),
        # a product, a verb of making, the product made
        ("车间里是“机器人生产机器人”的场景。", set(), {"机器人生产机器人"}),
        # 无 and measure words that follow no number stay inside a technical name
        ("第一套铁路货车无轴箱轴承在这里诞生。", {("铁路货车无轴箱轴承", "Product")}, {"轴箱轴承"}),
        ("完成大兆瓦整体架单列圆锥主轴轴承样件装机。", {("大兆瓦整体架单列圆锥主轴轴承", "Product")}, {"单列圆锥主轴轴承"}),
        ("公司交付了3台重型轴承。", {("重型轴承", "Product")}, {"台重型轴承", "3台重型轴承"}),
        # a model code belongs to the name
        ("江北重工全球首艘X360型浮式储油船下水。", {("X360型浮式储油船", "Product")}, {"浮式储油船"}),
    ],
)
def test_product_left_edges(text, present, absent):
    assert_entities(text, present, absent)


def test_a_quoted_model_name_before_a_product_is_part_of_it():
    found = spans_with_canonical("天域集团“天枢300”重型燃气轮机等一批装备问世。")
    assert ("“天枢300”重型燃气轮机", "Product", "天枢300重型燃气轮机") in found


@pytest.mark.parametrize(
    "name, core",
    [("冶金行业", "冶金"), ("冶金产业", "冶金"), ("冶金", "冶金"), ("装备制造业", "装备"), ("装备制造", "装备"),
     ("轴承业", "轴承"), ("化学工业", "化学"), ("石化", "石油化工"), ("制造业", "制造业"), ("核工业", "核工业")],
)
def test_one_sector_whatever_the_suffix(name, core):
    assert industry_core(name) == core


def test_mentions_of_one_sector_share_a_canonical_name():
    found = spans_with_canonical("装备制造、冶金等产业加快转型，冶金行业和装备制造业带动就业。")
    canon = {t: c for t, ty, c in found if ty == "Industry"}
    assert canon["冶金"] == canon["冶金行业"] == "冶金产业"
    assert canon["装备制造"] == canon["装备制造业"] == "装备产业"


def _orgs_and_branches(text):
    doc = NLP(text)
    r = doc._.kg_entities
    spans = {(text[s.start : s.end], s.type.value) for s in r.spans}
    branches = {(text[b.start : b.end], text[p.start : p.end]) for b, p, _, _ in r.branches}
    return spans, branches


@pytest.mark.parametrize(
    "text, present, links, absent",
    [
        # a group named right before its listed subsidiary's registered name: two companies
        ("天域集团天域股份有限公司发布年报。", {("天域集团", "Company"), ("天域股份有限公司", "Company")},
         {("天域股份有限公司", "天域集团")}, {"天域集团天域股份有限公司"}),
        # a numbered plant of a works of that subsidiary
        ("走进天域集团天域股份有限公司轧钢总厂二分厂的车间。",
         {("天域集团天域股份有限公司轧钢总厂二分厂", "Company"), ("天域股份有限公司", "Company"), ("天域集团", "Company")},
         {("天域集团天域股份有限公司轧钢总厂二分厂", "天域股份有限公司"), ("天域股份有限公司", "天域集团")},
         {"天域集团天域股份有限公司轧钢总厂"}),
        # one registered name: 集团有限公司, or a place in brackets after 集团
        ("华精集团有限公司发布公告。", {("华精集团有限公司", "Company")}, set(), {"华精集团"}),
        ("远航集团（南昌）有限公司正式投产。", {("远航集团（南昌）有限公司", "Company")}, set(), {"（南昌）有限公司"}),
    ],
)
def test_groups_subsidiaries_and_numbered_plants(text, present, links, absent):
    spans, branches = _orgs_and_branches(text)
    assert present <= spans
    assert links <= branches
    assert not absent & {t for t, _ in spans}


@pytest.mark.parametrize(
    "text, present, absent",
    [
        # makers listed with the first unit of what they made, short names included
        ("去年以来，瑞锋重工全国首台压缩机、大船集团全球首艘X35型油船、华精首台零排放机车等一批重器问世。",
         {("瑞锋重工", "Company"), ("大船集团", "Company"), ("华精", "Company")}, {"大船集团全球"}),
        # places, levels and pronouns before 首台 are not makers
        ("这是我国首台自主研制的盾构机，全省首套系统投运，江西首台机组并网。", set(), {"我国", "全省", "江西"}),
    ],
)
def test_makers_of_first_units(text, present, absent):
    found = ents(text)
    assert present <= found
    assert not {n for n, t in found if t == "Company"} & absent


@pytest.mark.parametrize(
    "text, present, absent",
    [
        # a list of projects, each named with 项目, short names included
        ("规划实施了华精精密轴承智能化生产基地项目、新能源汽车轮毂单元智能生产线项目、高铁项目等一批重点项目。",
         {("新能源汽车轮毂单元智能生产线项目", "Project"), ("高铁项目", "Project")}, set()),
        # a group builds what bears its name: the project and the group
        ("远洋集团易地建设升级项目取得突破性进展。", {("远洋集团易地建设升级项目", "Project"), ("远洋集团", "Company")}, set()),
        # a kind of project named by who lists it, and kinds of work, are not projects
        ("华精智慧工厂项目入选工信部示范项目名单。", {("华精智慧工厂项目", "Project")}, {"工信部示范项目"}),
        ("实施能效提升、清洁生产、综合利用等绿色改造项目。", set(), {"能效提升", "清洁生产", "综合利用"}),
    ],
)
def test_projects_in_lists_and_their_builders(text, present, absent):
    assert_entities(text, present, absent)


@pytest.mark.parametrize(
    "text, present, absent",
    [
        # a name the segmenter knows as a person's, right before a title
        ("李海涛董事长表示，公司将扩大产能。", {("李海涛", "Person")}, set()),
        # a photo credit glued to the name, a name before a form of address, a rare surname
        ("工人正在装配轴承。\n张明远摄\n", {("张明远", "Person")}, {"张明远摄"}),
        ("童建立代表：\n建议加快建设。", {("童建立", "Person")}, set()),
        ("2023年9月，习近平总书记在江西考察。", {("习近平", "Person")}, set()),
        # a title with no name before it
        ("要坚持学习总书记讲话精神。", set(), {"学习", "习总"}),
    ],
)
def test_names_before_titles_and_in_credits(text, present, absent):
    assert_entities(text, present, absent)


@pytest.mark.parametrize(
    "text, present, absent",
    [
        # a community right after its sub-district, and its party committee
        ("掌声在江西省南昌市青山湖区湖滨街道阳光花园社区党委的会议室响起。",
         {("湖滨街道", "Place"), ("阳光花园社区", "Place"), ("阳光花园社区党委", "GovernmentBody")}, set()),
        # a science city and a park named by its sector
        ("▼南昌瑶湖科技城。", {("南昌瑶湖科技城", "Place")}, set()),
        ("高标准布局建设高端轴承产业园。", {("高端轴承产业园", "Place")}, set()),
        # places listed together: an item the segmenter knows as a place
        ("南昌市已形成长兴岛、松木岛、大孤山三大石化产业集聚区。", {("大孤山", "Place")}, set()),
        ("提高小微企业园管理水平。", set(), {"小微企业园"}),
    ],
)
def test_communities_science_cities_parks_and_listed_places(text, present, absent):
    assert_entities(text, present, absent)


@pytest.mark.parametrize(
    "text, present, absent",
    [
        # national news organizations, also inside a word the segmenter keeps whole (央视春晚)
        ("在今年央视春晚南昌分会场上，机器人惊艳亮相。", {("央视", "Organization")}, set()),
        ("新华社记者李海涛报道。", {("新华社", "Organization"), ("李海涛", "Person")}, set()),
        # what an organization does is part of its name
        ("根据阀门产业创新服务综合体建设情况，安排资金。", {("阀门产业创新服务综合体", "Organization")}, set()),
        ("挖掘南昌天衡检测平台等载体作用。", {("南昌天衡检测平台", "Organization")}, set()),
        ("加强研究中心建设。", set(), {"研究中心"}),
    ],
)
def test_media_and_service_organizations(text, present, absent):
    assert_entities(text, present, absent)


def test_a_national_news_organization_is_named_in_full():
    assert ("央视", "Organization", "中央广播电视总台") in spans_with_canonical("央视报道了这一消息。")


@pytest.mark.parametrize(
    "text, present, absent",
    [
        # a campaign named by a clause after the verb that launches it
        ("南昌市持续推进防范和化解拖欠中小企业账款专项行动、持续推进清欠工作。",
         {("防范和化解拖欠中小企业账款专项行动", "Policy")}, set()),
        # a quoted measure in a list of campaigns, and after 实施
        ("推出“阳光快办”、破解企业融资难等专项行动。", {("阳光快办", "Policy")}, {"破解企业融资难"}),
        ("江西大力实施税费优惠“即申即享”，企业直接享受。", {("即申即享", "Policy")}, set()),
        # named measures listed before 等政策; fields of policy and goals are not policies
        ("税务干部帮我们梳理研发费用加计扣除、新购固定资产加速折旧等相关政策。",
         {("研发费用加计扣除", "Policy"), ("新购固定资产加速折旧", "Policy")}, set()),
        ("落实奖励补贴、住房保障、子女入学等政策。", set(), {"奖励补贴", "住房保障", "子女入学"}),
        ("如加大科研投入、推动制造业高质量发展等政策，有助于企业创新。", set(), {"推动制造业高质量发展"}),
        # numbered slogans are not policies
        ("会议提出，实施“七个聚焦”，推进制造业发展。", set(), {"七个聚焦"}),
    ],
)
def test_campaigns_and_listed_measures(text, present, absent):
    assert_entities(text, present, absent)


@pytest.mark.parametrize(
    "text, lab, parent",
    [
        # a laboratory of the institute named before it, rare technical verbs included
        ("▲江西科学院材料研究所纳米碳基器件超净实验室内，科研人员在讨论。",
         "江西科学院材料研究所纳米碳基器件超净实验室", "江西科学院材料研究所"),
        ("南昌大学材料学院重点实验室发布成果。", "南昌大学材料学院重点实验室", "南昌大学"),
    ],
)
def test_laboratories_of_institutes(text, lab, parent):
    spans, branches = _orgs_and_branches(text)
    assert (lab, "ResearchInstitution") in spans and (parent, "ResearchInstitution") in spans
    assert (lab, parent) in branches


def test_a_known_name_glued_to_a_function_character_is_still_a_mention():
    text = "华精集团是龙头企业。仅华精一家企业就推出多个新品，为华精赢得了市场。"
    spans = [s for s in NLP(text)._.kg_entities.spans if text[s.start : s.end] == "华精"]
    assert len(spans) == 2 and all(s.type.value == "Company" for s in spans)


@pytest.mark.parametrize(
    "text, short, full",
    [
        # the brand of a registered name, after its place, used alone later
        ("南昌科瑞德半导体材料股份有限公司加入。仅有200多名员工的科瑞德拿下订单。", "科瑞德", "南昌科瑞德半导体材料股份有限公司"),
        ("江西天衡无人机科技有限公司研发巡检设备。天衡的负责人说。", "天衡", "江西天衡无人机科技有限公司"),
        # a single character and an unknown word (鑫|海智桥), the short name used first, where
        # its last character alone would read as a bridge (X桥)
        ("鑫江智桥积极打造数字化管理平台。大连鑫江智桥信息技术有限公司的方案获奖。", "鑫江智桥", "大连鑫江智桥信息技术有限公司"),
    ],
)
def test_the_brand_of_a_registered_name_used_alone(text, short, full):
    assert (short, "Company", full) in spans_with_canonical(text)


@pytest.mark.parametrize(
    "text, present, absent",
    [
        # a common word after the place is no brand
        ("南昌冶金轴承有限公司成立。冶金行业发展。", set(), {"冶金"}),
        # function characters glued to an unknown company's name
        ("以天衡集团为代表的企业加快发展。", {("天衡集团", "Company")}, {"以天衡集团"}),
        ("目前，以禾珂公司为龙头，机器人产业上下游企业超过100家。", {("禾珂公司", "Company")}, {"以禾珂公司"}),
        # 以…同志为核心: a name in a fixed phrase, and a power station
        ("以张明远同志为核心的领导集体。", {("张明远", "Person")}, set()),
        ("江北核电站年发电量480亿千瓦时。", {("江北核电站", "Company")}, set()),
    ],
)
def test_brands_glued_characters_fixed_phrases(text, present, absent):
    found = ents(text)
    assert present <= found
    assert not {n for n, t in found if t == "Company"} & absent


@pytest.mark.parametrize(
    "text, present, absent",
    [
        # a faculty named by two fields, after its university, which is kept as its parent
        ("天衡集团与江南大学材料与化工学院联合研发新型涂层。",
         {("江南大学材料与化工学院", "ResearchInstitution"), ("江南大学", "ResearchInstitution")}, {"化工学院"}),
        # a declared short name reaches the character the segmenter cut off (泓 read as a measure word)
        ("在龙口市，烟台泓远海洋装备科技有限公司（简称泓远装备）的车间里。",
         {("烟台泓远海洋装备科技有限公司", "Company"), ("泓远装备", "Company")}, {"远海洋装备科技有限公司"}),
        # a copula glued to the end of an unknown word is not part of the name after it
        ("订单排到2027年\n蓝岬海工是山东蓝岬海洋装备集团有限公司（简称蓝岬集团）的控股子公司。",
         {("山东蓝岬海洋装备集团有限公司", "Company")}, {"蓝岬海工是山东蓝岬海洋装备集团有限公司"}),
        # verbs of taking orders and building, and a manner word before a verb of making
        ("公司今年已承接汽车运输船订单18艘。", {("汽车运输船", "Product")}, {"承接汽车运输船"}),
        ("该公司正在满负荷生产电池液冷板。", set(), {"满负荷生产电池"}),
        # a count of a kind of projects, and a list of projects, are no named project
        ("全市已有27个海工配套项目享受政策补助。", set(), {"27个海工配套项目", "个海工配套项目", "个海工"}),
        ("对纳入常州市发改委新型储能项目库的企业给予优惠。", set(), {"发改委新型储能项目"}),
        # 工程 before a noun, and construction works, are no programme
        ("今年湖南工程机械行业营业收入增长。", {("工程机械行业", "Industry")}, {"湖南工程"}),
        ("压路机已在京港澳高速改扩建工程中投入使用。", set(), {"改扩建工程"}),
        # a technical term and a product, and a kind of equipment, are no company
        ("研究院重点攻关钠离子电池和长时储能技术。", {("钠离子电池", "Product")}, set()),
        ("今年交付各类海工装备9座。海工装备加速出港。", set(), {"海工装备"}),
        # 零部件 is a noun (jieba's dictionary tags it as a numeral-measure word)
        ("走进芜湖启泰汽车零部件有限公司的智能工厂。", {("芜湖启泰汽车零部件有限公司", "Company")}, set()),
        # a brand two registered names share names neither of them alone
        ("芜湖启泰汽车零部件有限公司是安徽启泰控股集团有限公司（简称启泰集团）旗下子公司。启泰的发展很快。",
         {("启泰集团", "Company")}, {"启泰"}),
    ],
)
def test_unseen_article_patterns(text, present, absent):
    found = ents(text)
    for name, type_ in present:  # found, and with that type only
        assert {(n, t) for n, t in found if n == name} == {(name, type_)}
    assert not {n for n, _ in found} & absent


@pytest.mark.parametrize(
    "text, products",
    [
        # heads the segmenter splits (安装|船, 混凝土泵|车, 钻井|平台), and 式 inside a name
        ("公司主要建造半潜式钻井平台、风电安装船和深远海养殖工船。", {"半潜式钻井平台", "风电安装船", "深远海养殖工船"}),
        ("一台台电动混凝土泵车正在进行下线前的测试。", {"电动混凝土泵车"}),
        ("一个个集装箱式储能系统正在进行出厂测试。", {"集装箱式储能系统"}),
        # a quantifier inside the walked words starts the name after it
        ("将为后者建造的风电安装船配套全部海工吊机。", {"风电安装船", "海工吊机"}),
    ],
)
def test_product_heads_split_by_the_segmenter(text, products):
    found = {n for n, t in ents(text) if t == "Product"}
    assert found == products


@pytest.mark.parametrize(
    "text, place, found",
    [
        # a county-level unit's short form needs its city, province or full name nearby
        ("在岳麓重工的“灯塔工厂”里，焊接机器人正在作业。", "灯塔", False),
        ("辽阳市下辖的灯塔经济平稳增长。", "灯塔", True),
        ("瓦房店是大连的轴承之都。", "瓦房店", True),
        # a prefecture-level city's short form always counts
        ("芜湖新能源汽车产业加快发展。", "芜湖", True),
    ],
)
def test_county_short_forms_in_context(text, place, found):
    assert ((place, "Place") in ents(text)) is found


@pytest.mark.parametrize(
    "text, expected",
    [
        # a region written with 地区
        ("货车开往长三角地区的整车工厂。", ("长三角地区", "Place")),
        # a rarer surname after a title, and a correspondent's byline
        ("烟台市工业和信息化局副局长战立明说，补助已到位。", ("战立明", "Person")),
        ("本报记者 姜明远 通讯员 初雪华\n走进产业园", ("初雪华", "Person")),
    ],
)
def test_regions_with_diqu_and_rarer_surnames(text, expected):
    assert expected in ents(text)


def test_a_project_named_by_its_investor_and_park_and_the_park_starts_with_its_place():
    text = "远山重工投资80亿元建设的远山重工长沙经开区智能制造产业园项目已完成主体建设。"
    found = ents(text)
    assert ("远山重工长沙经开区智能制造产业园项目", "Project") in found
    assert not any(t == "Place" and n.startswith("重工") for n, t in found)
    # a zone before a project that no company precedes stays a place of its own
    text = "位于浙江自贸试验区舟山片区的华精集团风电主轴轴承项目投产。"
    assert ("华精集团风电主轴轴承项目", "Project") in ents(text)


@pytest.mark.parametrize(
    "text, present, absent",
    [
        # bylines: a trainee, and a reporter who compiled the piece
        ("本报记者钱沐阳 实习生林可心", {("钱沐阳", "Person"), ("林可心", "Person")}, set()),
        ("（本报记者贺嘉言整理）", {("贺嘉言", "Person")}, set()),
        # words that put a company under another, and the verb of an interview's subtitle
        ("该集团旗下漯河绿原肉制品有限公司年屠宰生猪200万头。", {("漯河绿原肉制品有限公司", "Company")},
         {"集团旗下漯河绿原肉制品有限公司"}),
        ("——访浙江甬舜智能装备股份有限公司董事长沈敬南", {("浙江甬舜智能装备股份有限公司", "Company")},
         {"访浙江甬舜智能装备股份有限公司"}),
        ("支持秦川半导体全资子公司西安秦川封测科技有限公司扩产。", {("西安秦川封测科技有限公司", "Company")},
         {"秦川半导体全资子公司"}),
    ],
)
def test_bylines_and_names_after_words_of_ownership(text, present, absent):
    assert_entities(text, present, absent)


@pytest.mark.parametrize(
    "text, present, absent",
    [
        # offices and departments of the body named right before them
        ("江州市人民政府办公厅关于印发《江州市产业强链实施方案》的通知", {("江州市人民政府办公厅", "GovernmentBody")}, set()),
        ("牵头单位：市委组织部、市财政局、市委金融办", {("市委组织部", "GovernmentBody"), ("市委金融办", "GovernmentBody")}, set()),
        ("3月18日，市政府新闻办举行新闻发布会。", {("市政府新闻办", "GovernmentBody")}, set()),
        # a laboratory set up together: the name begins after the verb
        ("双方共建车规芯片联合实验室，联合攻关车规级MCU芯片。", {("车规芯片联合实验室", "ResearchInstitution")},
         {"双方共建车规芯片联合实验室", "双方共建车规芯片"}),
    ],
)
def test_offices_departments_and_joint_laboratories(text, present, absent):
    assert_entities(text, present, absent)


@pytest.mark.parametrize(
    "text, products, absent",
    [
        # a count before the name is not part of it
        ("今年预计交付3000台六轴工业机器人。", {"六轴工业机器人"}, {"3000台六轴工业机器人"}),
        ("新建2条高端汽车板生产线。", {"高端汽车板"}, {"新建2条高端汽车板"}),
        # general product words of semiconductors and materials
        ("公司量产12英寸功率半导体晶圆和电子特气。", {"12英寸功率半导体晶圆"}, set()),
    ],
)
def test_products_after_counts_and_more_head_words(text, products, absent):
    found = {n for n, t in ents(text) if t == "Product"}
    assert products <= found and not found & absent


def test_rural_is_no_village():
    assert not any(t == "Place" and n.endswith("农村") for n, t in ents("浙江四明农村商业银行为企业授信。"))


@pytest.mark.parametrize(
    "text, present, absent",
    [
        # a common verb before the place a registered name starts with
        ("闽东锂能拟以4.2亿元收购宁德海蓝新材料有限公司51%股权。", {("宁德海蓝新材料有限公司", "Company")},
         {"收购宁德海蓝新材料有限公司"}),
        # component and ware head words
        ("分公司主要生产动力电池壳体和电池盖板。", {("动力电池壳体", "Product"), ("电池盖板", "Product")}, set()),
        ("机械臂把一片片氧化锆陶瓷基板送进窑膛。", {("氧化锆陶瓷基板", "Product")}, {"氧化锆陶瓷"}),
    ],
)
def test_names_after_transaction_verbs_and_component_words(text, present, absent):
    assert_entities(text, present, absent)


@pytest.mark.parametrize(
    "text, present, absent",
    [
        # a product kind named by its head word alone: listed with another, made, counted,
        # or followed by its output or orders
        ("园区企业覆盖硅片、电池片和逆变器等环节。", {("硅片", "Product"), ("电池片", "Product"), ("逆变器", "Product")}, set()),
        ("华岳新材扩大电子特气、光刻胶产能。", {("电子特气", "Product"), ("光刻胶", "Product")}, set()),
        ("今年以来，公司泵车订单增长三成。", {("泵车", "Product")}, set()),
        ("车间里，两台起重机正在调试。", {("起重机", "Product")}, set()),
        ("这台泵车的生产周期缩短了一半。", {("泵车", "Product")}, {"这台泵车"}),
        # not: a sector word (alone, or the document's own sector), a head pointing back to a
        # product named before, a training class, a demonstrative
        ("全市电池产能快速扩张。", set(), {"电池"}),
        ("逆变器产业是当地支柱，逆变器产量增长两成。", set(), {"逆变器"}),
        ("公司推出了集装箱式储能系统，一套储能系统可供百户人家用电。", {("集装箱式储能系统", "Product")}, {"储能系统"}),
        ("学校与企业合作开设泵车订单班。", set(), {"泵车"}),
        ("车间里一台液压吊机正在试验。这款吊机由企业自主研发。", {("液压吊机", "Product")}, {"吊机"}),
        # a name with no known head, listed with a known product after a verb of making
        ("华锂新材主要生产四氟硼酸锂和锂电池电解液。", {("四氟硼酸锂", "Product"), ("锂电池电解液", "Product")}, set()),
        ("该公司主要研发、生产和销售高端轴承。", {("高端轴承", "Product")}, {"研发", "生产"}),
    ],
)
def test_product_kinds_named_alone_and_listed_products(text, present, absent):
    assert_entities(text, present, absent)


@pytest.mark.parametrize(
    "text, present, absent",
    [
        # head words of more branches: medicine, devices, textiles, food, materials, electronics
        ("华康药业推出的板蓝根颗粒和小儿止咳口服液销往全国。", {("板蓝根颗粒", "Product"), ("小儿止咳口服液", "Product")}, set()),
        ("园区企业生产一次性输液器和医用敷料。", {("一次性输液器", "Product"), ("医用敷料", "Product")}, set()),
        ("公司假发出口额增长两成。", {("假发", "Product")}, set()),
        ("华墨新材年产鳞片石墨5万吨。", {("鳞片石墨", "Product")}, set()),
        # a broad head needs a modifier that names a kind (高端医疗器械 is a branch)
        ("全市高端医疗器械加快发展。", set(), {"高端医疗器械"}),
        # words before 及…产业 name a sector; 电源侧 is a side of the grid
        ("钒钛新材料及应用产业营业收入增长。", set(), {"钒钛新材料"}),
        ("项目面向电源侧和用户侧。", set(), {"面向电源", "电源"}),
        # what follows 主要生产/主营/专注研发 is the maker's products, even with no known head
        ("华锂公司主要生产磷酸铁锂和碳酸锂。", {("磷酸铁锂", "Product"), ("碳酸锂", "Product")}, set()),
        ("该公司主营业务收入增长15%。", set(), {"业务收入"}),
        ("企业主要生产经营活动正常。", set(), {"经营活动"}),
    ],
)
def test_heads_of_more_branches_and_lists_after_main_products(text, present, absent):
    assert_entities(text, present, absent)


@pytest.mark.parametrize(
    "text, present, absent",
    [
        # two issuing bodies on one heading line, the space between them lost
        ("湖南省工业和信息化厅 湖南省发展和改革委员会\n关于推动新材料产业发展的实施意见",
         {("湖南省工业和信息化厅", "GovernmentBody"), ("湖南省发展和改革委员会", "GovernmentBody")}, {"信息化厅湖南省发展和改革委员会"}),
        # the editor after a colon, the contact person of a notice
        ("（责任编辑：孙丽）", {("孙丽", "Person")}, set()),
        ("联系人：赵德明，电话：0731-1234567\n", {("赵德明", "Person")}, set()),
        # a university's campus in another city, in brackets after its name
        ("山东大学（威海）与企业共建实验室。", {("山东大学（威海）", "ResearchInstitution")}, {"山东大学"}),
    ],
)
def test_heading_bodies_editors_contacts_and_campuses(text, present, absent):
    assert_entities(text, present, absent)


@pytest.mark.parametrize(
    "text, present, absent",
    [
        # a kind the head list lacks, named by a rare word ending in a head character
        ("公司主要生产血液净化器、清洗液和聚砜超滤膜。",
         {("血液净化器", "Product"), ("清洗液", "Product"), ("聚砜超滤膜", "Product")}, set()),
        # not everyday words ending so (机器, 商机, 国之重器, 新增装机)
        ("车间里机器轰鸣，企业抓住商机，打造国之重器。", set(), {"机器", "商机", "国之重器", "重器"}),
        # verbs and place words at a product's left edge are not part of it
        ("该仓库可存储精制茶叶5千吨，服务周边茶叶种植户。", {("精制茶叶", "Product")}, {"存储精制茶叶", "周边茶叶"}),
        ("公司正与湖南大学合作开发可降解聚乳酸纤维。", {("可降解聚乳酸纤维", "Product")}, {"合作开发可降解聚乳酸纤维"}),
        # a measure word the segmenter read in a rare name is the name's first character, and
        # 的 glued to a rare name is not
        ("公司在杭州设立的泓林精密杭州分公司负责华东市场。", {("泓林精密杭州分公司", "Company")}, {"林精密杭州分公司"}),
        ("公司在杭州设立的泓霖精密杭州分公司负责华东市场。", {("泓霖精密杭州分公司", "Company")}, {"的泓霖精密杭州分公司"}),
    ],
)
def test_coined_heads_left_edges_and_measure_words_in_names(text, present, absent):
    assert_entities(text, present, absent)


@pytest.mark.parametrize(
    "text, present, absent",
    [
        # less common surnames
        ("华精集团董事长阎立新说，订单已经排满。", {("阎立新", "Person")}, set()),
        ("公司总经理邰文博介绍，新线已投产。", {("邰文博", "Person")}, set()),
        # a contact person's line joined to the issuing body's signature below it
        ("联系人：赵德明湖南省工业和信息化厅\n", {("赵德明", "Person"), ("湖南省工业和信息化厅", "GovernmentBody")}, set()),
        # a division named on its own; before a post, it belongs to the title
        ("牵头单位：省商务厅外贸处，配合单位：省财政厅", {("省商务厅外贸处", "GovernmentBody")}, set()),
        ("市商务局外贸处处长王刚说，出口增长。", {("市商务局", "GovernmentBody"), ("王刚", "Person")}, {"市商务局外贸处"}),
    ],
)
def test_rarer_surnames_contacts_and_divisions(text, present, absent):
    assert_entities(text, present, absent)


def test_foreign_countries_cities_and_world_regions_are_places():
    found = ents("产品出口尼日利亚、肯尼亚等国家，在拉各斯设立办事处，并开拓拉美市场。")
    assert {("尼日利亚", "Place"), ("肯尼亚", "Place"), ("拉各斯", "Place"), ("拉美", "Place")} <= found


@pytest.mark.parametrize(
    "text, present",
    [
        ("湖南省工业和信息化厅\n关于加快推动新材料产业高质量发展的实施意见\n各市州工业和信息化局：",
         {("关于加快推动新材料产业高质量发展的实施意见", "Policy")}),
        ("实施“强链”行动，建立省级平台。", {("“强链”行动", "Policy")}),
    ],
)
def test_document_titles_on_their_own_line_and_quoted_campaigns(text, present):
    assert present <= ents(text)


@pytest.mark.parametrize(
    "text, present, absent",
    [
        # a laboratory named after the verb that sets it up, verbs inside its name and all
        ("华精药业与湖南中医药大学共建药材质量控制联合实验室，已完成检测。",
         {("药材质量控制联合实验室", "ResearchInstitution")}, set()),
        ("与浙江大学共建联合实验室。", set(), {"联合实验室"}),
        # a named fund is an organization; 控股 before 子公司 is no trade word of a brand
        ("设立总规模30亿元的湖南省新材料产业发展基金。", {("湖南省新材料产业发展基金", "Organization")}, set()),
        ("支持华墨新材控股子公司郴州华墨矿业有限公司扩产。", {("郴州华墨矿业有限公司", "Company")}, {"新材控股"}),
        # 中药 is no named kind; a chemical name with a rare character stays whole
        ("中药产业加快发展，公司研发高通量聚醚砜超滤膜。", {("高通量聚醚砜超滤膜", "Product")}, {"中药", "超滤膜"}),
        # verbs inside the items after 主要生产 are part of the names
        ("华丝集团主要生产真人发头饰和化纤发辫，产品销往北美。", {("真人发头饰", "Product"), ("化纤发辫", "Product")}, set()),
    ],
)
def test_set_up_bodies_funds_and_product_names_with_verbs(text, present, absent):
    assert_entities(text, present, absent)


@pytest.mark.parametrize(
    "text, present",
    [
        # the products a new line is built for, listed before it
        ("项目将建设净化器、血液透析管线和血液净化器智能化生产线。",
         {("净化器", "Product"), ("血液透析管线", "Product"), ("血液净化器", "Product")}),
        # 一次性 (tagged as an adverb) opens a product's name
        ("公司主要生产一次性使用采血器械、医用耗材和骨科植入物等产品。", {("一次性使用采血器械", "Product")}),
    ],
)
def test_products_of_new_lines_and_names_opening_with_yicixing(text, present):
    assert present <= ents(text)


@pytest.mark.parametrize(
    "text, present, absent",
    [
        # a body after 该项目已获; a county-level city's bureau begins with the city, not the province
        ("该项目已获内蒙古自治区能源局批复。", {("内蒙古自治区能源局", "GovernmentBody")}, set()),
        ("记者从福建省石狮市工业和信息化局获悉，产值增长。", {("石狮市工业和信息化局", "GovernmentBody"), ("福建省", "Place")},
         {"福建省石狮市工业和信息化局"}),
        # a banner's head; a city the gazetteer knows is no island
        ("准格尔旗旗长白立峰表示，发展很快。", {("白立峰", "Person")}, set()),
        ("产品发往山东青岛的一家企业。", {("山东", "Place"), ("青岛", "Place")}, {"山东青岛"}),
        # an adverb and a preposition glued to a brand
        ("华兴银行已向昌达新材授信3亿元。", {("昌达新材", "Company")}, {"已向昌达新材"}),
        # the central bank and its branches are government bodies
        ("人民银行佛山市分行数据显示，贷款增长。", {("人民银行佛山市分行", "GovernmentBody")}, set()),
        ("中国人民银行发布报告。", {("中国人民银行", "GovernmentBody")}, set()),
    ],
)
def test_bodies_after_demonstratives_banners_islands_brands_and_the_central_bank(text, present, absent):
    assert_entities(text, present, absent)


@pytest.mark.parametrize(
    "text, present, absent",
    [
        ("今年1—9月，余姚市机器人及智能装备产业实现产值300亿元。", {("机器人及智能装备产业", "Industry")}, {"智能装备产业"}),
        ("打造新能源汽车及零部件产业集群。", {("新能源汽车及零部件产业", "Industry")}, set()),
        ("做大机器人及智能装备产业。", {("机器人及智能装备产业", "Industry")}, {"做大机器人及智能装备产业"}),
    ],
)
def test_two_sectors_joined_by_ji_are_one_industry(text, present, absent):
    assert_entities(text, present, absent)


@pytest.mark.parametrize(
    "text, present, absent",
    [
        ("湖南远驰机器人有限公司年产3万台协作机器人项目在望城经开区动工。",
         {("湖南远驰机器人有限公司年产3万台协作机器人项目", "Project")}, set()),
        ("支持建设年产10万吨锂电池材料项目。", {("年产10万吨锂电池材料项目", "Project")}, {"建设年产10万吨锂电池材料项目"}),
        ("公司年产3万吨，项目已投产。", set(), {"公司年产3万吨，项目"}),
    ],
)
def test_projects_named_with_their_yearly_capacity(text, present, absent):
    assert_entities(text, present, absent)


@pytest.mark.parametrize(
    "text, present, absent",
    [
        ("实施“链主强基”工程和“企业上云”行动，推动企业上云。",
         {("“链主强基”工程", "Policy"), ("“企业上云”行动", "Policy")}, {"工程和“企业上云”行动"}),
        ("建设潮州国家工艺美术文化传承创新试验区。", {("潮州国家工艺美术文化传承创新试验区", "Place")}, set()),
        ("二是提高小微企业园建设水平。", set(), {"二是提高小微企业园", "提高小微企业园"}),
        ("走进花溪川文创街区，游客如织。", {("花溪川文创街区", "Place")}, set()),
        ("推动国家陶瓷产业发展。", set(), {"国家陶瓷"}),
    ],
)
def test_two_quoted_programmes_zones_with_verbs_and_quarters(text, present, absent):
    assert_entities(text, present, absent)


def test_a_three_character_name_after_a_post_before_a_verb():
    assert ("万启明", "Person") in ents("“良品率提高到96%。”公司总经理万启明指着屏幕上的数据介绍。")
    assert "王强调" not in {n for n, _ in ents("董事长王强调研了市场。")}

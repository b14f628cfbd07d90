"""Relations from hand-written sentences."""

import pytest

from kg.nlp.pipeline import make_nlp

NLP = make_nlp()


def rels(text):
    doc = NLP(text)
    out = set()
    for r in doc._.kg_relations:
        obj = text[r.object.start : r.object.end] if r.object else "DOC"
        out.add((text[r.subject.start : r.subject.end], r.predicate.value, obj, r.title))
    return out


@pytest.mark.parametrize(
    "text, expected",
    [
        ("华东精工机械有限公司董事长张伟表示，订单已排到明年。", ("张伟", "holdsPosition", "华东精工机械有限公司", "董事长")),
        # a post after a place belongs to the place
        ("浙江省省长王刚表示，要稳住工业。", ("王刚", "holdsPosition", "浙江省", "省长")),
        ("江苏远帆重工集团有限公司党委书记、董事长陈明说，要加大投入。",
         ("陈明", "holdsPosition", "江苏远帆重工集团有限公司", "党委书记、董事长")),
        ("本报记者陈晓东\n", ("陈晓东", "authorOf", "DOC", "本报记者")),
        ("华东精工集团营收增长。华东精工集团精密轴承分公司今年扩产。", ("华东精工集团精密轴承分公司", "subOrganizationOf", "华东精工集团", None)),
        ("浙江省宁波市出台新政。", ("宁波市", "locatedIn", "浙江省", None)),
        ("杭州远航动力科技有限公司成功研制出高速精密主轴轴承。",
         ("杭州远航动力科技有限公司", "produces", "高速精密主轴轴承", None)),
    ],
)
def test_relation_patterns(text, expected):
    assert expected in rels(text)


def test_no_post_without_a_holder():
    found = rels("董事长张伟表示，今年要稳中求进。")
    assert not any(p == "holdsPosition" for _, p, _, _ in found)


def test_located_in_from_a_place_prefixed_name_and_a_stated_location():
    found = rels("慈溪市科学技术局发布通知。慈溪市位于浙江省宁波市。")
    assert ("慈溪市科学技术局", "locatedIn", "慈溪市", None) in found
    assert ("慈溪市", "locatedIn", "宁波市", None) in found  # the innermost of the nested places
    assert ("宁波市", "locatedIn", "浙江省", None) in found  # a nested name


def test_places_merely_mentioned_together_are_not_related():
    # the division hierarchy knows 余姚市 is in 宁波市, but the text does not say so
    found = rels("余姚市出台新政。宁波市也出台新政。")
    assert not any(p == "locatedIn" for _, p, _, _ in found)


@pytest.mark.parametrize(
    "text, expected",
    [
        ("中车嘉兴公司扩产。嘉兴市支持。", ("中车嘉兴公司", "locatedIn", "嘉兴市")),
        ("华精科技（嘉兴）有限公司扩产。嘉兴市支持。", ("华精科技（嘉兴）有限公司", "locatedIn", "嘉兴市")),
        ("石桥镇东工业园区开园。石桥镇发展很快。", ("石桥镇东工业园区", "locatedIn", "石桥镇")),
    ],
)
def test_located_in_from_a_place_inside_a_name(text, expected):
    assert expected + (None,) in rels(text)


def test_a_second_media_title_after_a_byline_name_is_authorship():
    found = rels("本版编辑李华美编赵云\n")
    assert ("李华", "authorOf", "DOC", "本版编辑") in found
    assert ("赵云", "authorOf", "DOC", "美编") in found


@pytest.mark.parametrize(
    "text, expected",
    [
        # a short company name before a company post
        ("“订单排到了明年。”远航动力总经理王晓梅介绍。", ("王晓梅", "holdsPosition", "远航动力", "总经理")),
        # a plant of a company with its parent's legal form inside its name
        ("江北重工集团有限公司隧道装备分厂副厂长陈芳说，材料是难点。",
         ("陈芳", "holdsPosition", "江北重工集团有限公司隧道装备分厂", "副厂长")),
    ],
)
def test_post_holders(text, expected):
    assert expected in rels(text)


def test_cooperation_links_the_first_organization_to_each_partner():
    found = rels("市科技局会同市财政局、市经信局开展专题调研。")
    assert ("市科技局", "cooperatesWith", "市财政局", None) in found
    assert ("市科技局", "cooperatesWith", "市经信局", None) in found
    assert ("市财政局", "cooperatesWith", "市经信局", None) not in found


def test_a_project_named_after_an_organization_is_its_investment():
    found = rels("华精集团今年扩产。华精集团风电主轴轴承项目建设现场一片繁忙。")
    assert ("华精集团", "investsIn", "华精集团风电主轴轴承项目", None) in found


def test_production_by_a_short_name_by_gaizhongsi_and_by_de():
    text = (
        "江北重工集团有限公司今年订单饱满。江北重工目前已掌握了泥水平衡盾构机的制造技术。"
        "海川智能科技有限公司成立于2015年。该公司拥有自主知识产权的碳监测无人机。"
        "走进澜江储能科技有限公司的全钒液流电池生产基地。"
    )
    found = rels(text)
    assert ("江北重工", "produces", "泥水平衡盾构机", None) in found
    assert ("海川智能科技有限公司", "produces", "碳监测无人机", None) in found
    assert ("澜江储能科技有限公司", "produces", "全钒液流电池", None) in found


def test_in_a_list_of_makers_and_products_each_product_has_its_own_maker():
    found = rels("去年以来，华精集团全国首台乙烯压缩机、远航重工有限公司全球首艘浮式生产储卸油船等一批重器问世。")
    assert ("华精集团", "produces", "乙烯压缩机", None) in found
    assert ("远航重工有限公司", "produces", "浮式生产储卸油船", None) in found
    assert ("华精集团", "produces", "浮式生产储卸油船", None) not in found


def test_a_branchs_parent_is_known_by_its_short_name_later():
    found = rels("江北重工集团有限公司隧道装备分厂副厂长陆霞给出答案。随着技术打通，江北重工目前已全面掌握了泥水平衡盾构机的制造技术。")
    assert ("江北重工", "produces", "泥水平衡盾构机", None) in found


def test_we_in_a_quotation_is_the_speakers_organization_even_when_only_the_person_is_named_there():
    text = ("华东精工机械有限公司董事长刘伟在会上讲话。\n"
            "“我们将投资25亿元进行技术改造，目前已启动精密轴承技术、高端轴承零部件制造等项目。”刘伟表示。")
    found = rels(text)
    assert ("华东精工机械有限公司", "investsIn", "精密轴承技术", None) in found
    # the speaker stands after what is said: the evidence still runs forward over both
    assert all(r.start < r.end for r in NLP(text)._.kg_relations)
    assert ("华东精工机械有限公司", "investsIn", "高端轴承零部件制造", None) in found


def test_a_sentence_that_names_no_maker_continues_the_previous_one():
    found = rels("华东精工机械有限公司成立于1990年。目前已成功研制出风电主轴轴承。")
    assert ("华东精工机械有限公司", "produces", "风电主轴轴承", None) in found
    # not across paragraphs
    found = rels("华东精工机械有限公司成立于1990年。\n目前已成功研制出风电主轴轴承。")
    assert not any(p == "produces" for _, p, _, _ in found)


def test_the_company_of_gaigongsi_before_a_post_is_the_previous_sentences_topic():
    found = rels("华东精工机械有限公司收到了华兴银行发放的贷款。该公司财务负责人李莉说，贷款解了燃眉之急。")
    assert ("李莉", "holdsPosition", "华东精工机械有限公司", "财务负责人") in found


@pytest.mark.parametrize(
    "text, expected",
    [
        # a kind word before the title stands for the body of that kind named before
        ("江城市光伏行业协会发布报告。协会会长钱志远认为，需求仍将增长。",
         ("钱志远", "holdsPosition", "江城市光伏行业协会", "会长")),
        ("华东精工机械有限公司繁昌分公司新上生产线。分公司负责人丁晓明说，产能翻番。",
         ("丁晓明", "holdsPosition", "华东精工机械有限公司繁昌分公司", "负责人")),
        # an alliance of two sectors after its city, and its post
        ("烟台市船舶与海洋工程装备产业联盟秘书长曲晓雯介绍，配套企业超过500家。",
         ("曲晓雯", "holdsPosition", "烟台市船舶与海洋工程装备产业联盟", "秘书长")),
        # a declared short name over a name read from the title alone (泓|远装备董事长)
        ("烟台泓远海洋装备科技有限公司（简称泓远装备）成立于2010年。泓远装备董事长邢建明说，订单饱满。",
         ("邢建明", "holdsPosition", "泓远装备", "董事长")),
    ],
)
def test_posts_in_bodies_named_before_or_by_two_fields(text, expected):
    assert expected in rels(text)


def test_a_kind_word_with_no_such_body_before_gives_no_post():
    found = rels("协会会长钱志远认为，需求仍将增长。")
    assert not any(p == "holdsPosition" for _, p, _, _ in found)


@pytest.mark.parametrize(
    "text, expected",
    [
        ("常州远储能源科技有限公司是江苏远储新能源集团有限公司的全资子公司。",
         ("常州远储能源科技有限公司", "subOrganizationOf", "江苏远储新能源集团有限公司", None)),
        ("华精轴承有限公司（简称华精轴承）成立于2001年。华精轴承是华东精工集团有限公司（简称华东集团）的控股子公司。",
         ("华精轴承", "subOrganizationOf", "华东精工集团有限公司", None)),
        ("华精集团旗下的华精轴承有限公司扩产。", ("华精轴承有限公司", "subOrganizationOf", "华精集团", None)),
        ("华精轴承有限公司隶属于华精集团。", ("华精轴承有限公司", "subOrganizationOf", "华精集团", None)),
        # a branch named after its parent's short name, and a university's institute in another city
        ("湖南远山重工机械股份有限公司（简称远山重工）扩产。远山重工印尼分公司今年成立。",
         ("远山重工印尼分公司", "subOrganizationOf", "远山重工", None)),
        ("江南工程大学烟台研究院与华精集团联合研发新型吊机。",
         ("江南工程大学烟台研究院", "subOrganizationOf", "江南工程大学", None)),
    ],
)
def test_subsidiaries_and_units(text, expected):
    assert expected in rels(text)


def test_a_client_is_no_subsidiary_and_a_unit_not_its_parent_cooperates():
    assert not any(p == "subOrganizationOf" for _, p, _, _ in rels("华精轴承有限公司是华精集团的重要客户。"))
    found = rels("江南工程大学烟台研究院与华精集团联合研发新型吊机。")
    assert ("江南工程大学烟台研究院", "cooperatesWith", "华精集团", None) in found or \
        ("华精集团", "cooperatesWith", "江南工程大学烟台研究院", None) in found
    assert not any(s == "江南工程大学" and p == "cooperatesWith" for s, p, _, _ in found)


def test_a_university_is_not_located_by_the_place_in_its_name_but_an_institute_is():
    found = rels("合肥工业大学与合肥市的企业合作。江南工程大学烟台研究院落户烟台市。")
    assert not any(s == "合肥工业大学" and p == "locatedIn" for s, p, _, _ in found)
    assert ("江南工程大学烟台研究院", "locatedIn", "烟台市", None) in found


@pytest.mark.parametrize(
    "text, expected",
    [
        ("在龙口市，烟台远帆海洋装备科技有限公司的车间里一片繁忙。",
         ("烟台远帆海洋装备科技有限公司", "locatedIn", "龙口市", None)),
        ("在距离园区不到10公里的鸠江区，芜湖远星热管理系统有限公司正在扩产。",
         ("芜湖远星热管理系统有限公司", "locatedIn", "鸠江区", None)),
        ("走进位于望城经济技术开发区（简称望城经开区）的长沙远山液压科技有限公司，机器轰鸣。",
         ("长沙远山液压科技有限公司", "locatedIn", "望城经济技术开发区", None)),
        ("今年5月，远山集团电驱总成基地项目在芜湖经济技术开发区开工。",
         ("远山集团电驱总成基地项目", "locatedIn", "芜湖经济技术开发区", None)),
    ],
)
def test_located_by_scene_and_site(text, expected):
    assert expected in rels(text)


def test_a_scene_with_a_second_place_before_the_comma_places_nothing():
    found = rels("在龙口市和蓬莱区，远帆海洋装备科技有限公司都有工厂。")
    assert not any(s == "远帆海洋装备科技有限公司" and o == "龙口市" for s, p, o, _ in found if p == "locatedIn")


def test_what_a_subsidiary_makes_is_its_own_not_its_parents():
    text = ("烟台远帆海洋工程有限公司（简称远帆海工）成立于2008年。\n"
            "远帆海工是山东远帆海洋装备集团有限公司（简称远帆集团）的控股子公司，主要建造半潜式钻井平台和风电安装船。")
    found = rels(text)
    assert ("远帆海工", "produces", "半潜式钻井平台", None) in found
    assert ("远帆海工", "produces", "风电安装船", None) in found
    makers = {s for s, p, _, _ in found if p == "produces"}
    assert not makers & {"远帆集团", "山东远帆海洋装备集团有限公司"}


def test_a_body_set_up_together_is_no_partner_and_cooperation_is_stated_once():
    found = rels("今年6月，远储集团与江南大学签署战略合作协议，共建江南新型储能技术研究院。")
    coop = {(s, o) for s, p, o, _ in found if p == "cooperatesWith"}
    assert coop == {("远储集团", "江南大学")}

"""Relation rules of issue 5, on invented sentences in the style of the corpus: makers named
before or after what they make, cooperation in a relative clause, places inside names, a
company's own laboratories, signed articles."""

import pytest

from kg.nlp.pipeline import make_nlp

NLP = make_nlp()


def rels(text):
    doc = NLP(text)
    out = set()
    for r in doc._.kg_relations:
        obj = text[r.object.start : r.object.end] if r.object else "DOC"
        out.add((text[r.subject.start : r.subject.end], r.predicate.value, obj))
    return out


def _has_and_has_not(text, expected, unexpected):
    found = rels(text)
    assert all(e in found for e in expected), found
    assert not any(u in found for u in unexpected), found


@pytest.mark.parametrize(
    "text, expected",
    [
        # a product followed by the work done on it
        ("创新能力持续提升的华精集团近几年瞄准高速、精密、重载系列高端轴承研发。",
         ("华精集团", "produces", "高端轴承")),
        ("走进天域集团风电、钢铁、水泥等特大型轴承生产车间可见，每个生产板块都在满负荷运转。",
         ("天域集团", "produces", "特大型轴承")),
        # a list of products closed by 等 and the kind they belong to
        ("有效提升华精集团大功率风电轴承、高铁轴承等高端轴承制造能力。", ("华精集团", "produces", "高端轴承")),
        # verbs that take only the product right after them
        ("江北重工集团有限公司员工正在装配压缩机。", ("江北重工集团有限公司", "produces", "压缩机")),
        ("瑞锋重工有限公司工人精心加工出口齿轮箱轴承。", ("瑞锋重工有限公司", "produces", "齿轮箱轴承")),
        ("瑞锋重工有限公司投资10亿元建设的这个大项目，重点发展3兆瓦以上的风电主轴轴承和齿轮箱轴承。",
         ("瑞锋重工有限公司", "produces", "风电主轴轴承")),
        # the maker named after its products
        ("——国内冶金、风电、港口机械等重大装备行业配套轴承的专业制造商瑞锋轴承公司，去年实现产值3亿元。",
         ("瑞锋轴承公司", "produces", "重大装备行业配套轴承")),
        # test platforms built for kinds of product, by the company the paragraph is about
        ("华精集团依托国家重点实验室开展研究。相继建成了国内最先进的风力发电轴承、航空精密轴承等试验平台。",
         ("华精集团", "produces", "航空精密轴承")),
    ],
)
def test_makers_of_products(text, expected):
    assert expected in rels(text)


@pytest.mark.parametrize(
    "text, unexpected",
    [
        # products that the company's material goes into are other makers' products
        ("华精半导体材料股份有限公司生产的主导产品，是大规模集成电路、光电子器件等制造过程中不可或缺的关键材料。",
         ("华精半导体材料股份有限公司", "produces", "大规模集成电路")),
        # 其 does not reach back into the previous paragraph
        ("天域轴承有限公司是国内保持架行业的领军企业。\n其创新能力首屈一指，连续推出多个首创产品：高端精密保持架、轴承专用润滑脂。",
         ("天域轴承有限公司", "produces", "轴承专用润滑脂")),
        # a near verb does not take a product of another clause
        ("天域集团员工正在装配设备，旁边是江北公司生产的风电主轴轴承。", ("天域集团", "produces", "风电主轴轴承")),
    ],
)
def test_not_makers(text, unexpected):
    found = rels(text)
    assert unexpected not in found


def test_a_post_holders_organization_in_a_relative_clause_cooperates_with_the_partner():
    found = rels("“我们瞄准材料问题。”与江北重工集团有限公司协同攻关的华精材料研究所研究员李海涛介绍，问题已解决。")
    assert ("华精材料研究所", "cooperatesWith", "江北重工集团有限公司") in found
    assert ("江北重工集团有限公司", "cooperatesWith", "华精材料研究所") not in found


def test_partners_listed_after_yu_are_not_partners_of_each_other():
    found = rels("要发挥与天域大学科技学院、远航工业大学等高校院所共建平台的作用。")
    assert not any(p == "cooperatesWith" for _, p, _ in found)


def test_located_at_a_place_that_qualifies_the_company():
    found = rels("走进位于浙江省宁波市的华精集团股份有限公司，车间一片繁忙。")
    assert ("华精集团股份有限公司", "locatedIn", "宁波市") in found


@pytest.mark.parametrize(
    "text, expected, unexpected",
    [
        # the longest place of the document that begins a name is where it is
        ("杭州钱塘高新区科技发展局出台政策。杭州钱塘高新区企业众多。",
         ("杭州钱塘高新区科技发展局", "locatedIn", "杭州钱塘高新区"),
         ("杭州钱塘高新区科技发展局", "locatedIn", "杭州市")),
        # a place placed by a nested name is not placed again by its own name's prefix
        ("宁波市北仑区宁波临港经济区今年扩区。",
         ("宁波临港经济区", "locatedIn", "北仑区"),
         ("宁波临港经济区", "locatedIn", "宁波市")),
        # a national name tells a scope, not a location
        ("中国轴承科学研究院发布报告。中国是轴承大国。", None, ("中国轴承科学研究院", "locatedIn", "中国")),
    ],
)
def test_places_inside_names(text, expected, unexpected):
    found = rels(text)
    if expected:
        assert expected in found
    assert unexpected not in found


def test_a_companys_own_laboratories_belong_to_it_but_not_a_universitys():
    found = rels("华精集团依托航空轴承国家重点实验室、国家认定企业技术中心等创新平台，加大科技投入。")
    assert ("航空轴承国家重点实验室", "subOrganizationOf", "华精集团") in found
    found = rels("华精集团依托天域大学轴承重点实验室开展研究。")
    assert not any(p == "subOrganizationOf" and o == "华精集团" for _, p, o in found)
    # (the laboratory is the university's)
    assert ("天域大学轴承重点实验室", "subOrganizationOf", "天域大学") in found


def test_a_ministrys_demonstration_project_is_not_its_investment():
    found = rels("工业和信息化部公布名单。工业和信息化部示范项目今年增加。")
    assert not any(p == "investsIn" for _, p, _ in found)


def test_a_signature_line_above_the_body_is_authorship_a_line_in_the_body_is_not():
    signed = "加快发展新质生产力\n\n华精轴承集团股份有限公司党委书记、董事长张明远\n\n发展新质生产力是推动高质量发展的内在要求。"
    found = rels(signed)
    assert ("张明远", "authorOf", "DOC") in found
    assert ("张明远", "holdsPosition", "华精轴承集团股份有限公司") in found
    found = rels("今年形势很好。\n华精轴承集团股份有限公司党委书记、董事长张明远\n")
    assert ("张明远", "authorOf", "DOC") not in found


def test_gaigongsi_after_a_banks_loan_is_the_borrower_not_the_bank():
    found = rels("去年，华兴银行杭州西湖支行为远航科技有限公司发放贷款300万元。该公司财务负责人李莉说，贷款解了燃眉之急。")
    assert ("李莉", "holdsPosition", "远航科技有限公司") in found
    assert not any(p == "holdsPosition" and "银行" in o for _, p, o in found)


@pytest.mark.parametrize(
    "text, expected",
    [
        # an organization's site named after it
        ("走进江北重工有限公司宁波新厂区，只见生产线一片繁忙。", [("江北重工有限公司", "locatedIn", "宁波")]),
        # the zones a place has formed, with a name the gazetteer does not know in the list
        ("目前，宁波市已形成梅山岛、大榭岛、穿山三大临港产业集聚区，产业布局更加优化。",
         [("梅山岛", "locatedIn", "宁波市"), ("大榭岛", "locatedIn", "宁波市")]),
    ],
)
def test_sites_and_zones(text, expected):
    found = rels(text)
    assert all(e in found for e in expected)


def test_places_a_place_merely_has_are_not_its_zones():
    assert not any(p == "locatedIn" for _, p, _ in rels("宁波市拥有北仑区、镇海区等地。"))


@pytest.mark.parametrize(
    "text, expected",
    [
        ("去年，远航科技有限公司收到了华兴银行杭州西湖支行为其发放的无抵押信用贷款300万元。",
         ("华兴银行杭州西湖支行", "cooperatesWith", "远航科技有限公司")),
        ("今年，华兴银行杭州分行向远航科技有限公司提供授信2000万元。",
         ("华兴银行杭州分行", "cooperatesWith", "远航科技有限公司")),
    ],
)
def test_a_bank_lending_to_a_company_works_with_it(text, expected):
    found = rels(text)
    assert expected in found
    # not the bank's own parent, named inside the branch's name
    assert not any(p == "cooperatesWith" and s == "华兴银行" for s, p, _ in found)


def test_a_product_supplied_somewhere_is_its_makers():
    found = rels("华精集团去年扩产，风电轴承在行业头部企业供货份额超过三分之一。")
    assert ("华精集团", "produces", "风电轴承") in found


@pytest.mark.parametrize(
    "text, expected, unexpected",
    [
        # a parent that makes through its subsidiary: both make it
        ("作为龙头企业，华精集团通过控股子公司杭州华精电子有限公司，生产陶瓷基板和介质滤波器。",
         [("华精集团", "produces", "陶瓷基板"), ("杭州华精电子有限公司", "produces", "介质滤波器")], []),
        # a subsidiary introduced by what it is makes its own products, not its parent
        ("杭州远航电驱有限公司是远航控股集团有限公司旗下子公司，主要生产驱动电机和电机控制器。",
         [("杭州远航电驱有限公司", "produces", "驱动电机"), ("杭州远航电驱有限公司", "produces", "电机控制器")],
         [("远航控股集团有限公司", "produces", "驱动电机")]),
        # a loan product is the bank's: the branch, not the bank named inside it
        ("今年5月，华兴银行杭州分行为远航科技有限公司发放“智造贷”3000万元。",
         [("华兴银行杭州分行", "produces", "智造贷")], [("远航科技有限公司", "produces", "智造贷"), ("华兴银行", "produces", "智造贷")]),
        # work done together: both make it
        ("杭州远航科技有限公司与浙江工业大学联合研发的碳化硅电机控制器已完成测试。",
         [("杭州远航科技有限公司", "produces", "碳化硅电机控制器"), ("浙江工业大学", "produces", "碳化硅电机控制器")], []),
        # what a company turns out of a product, said of the company spoken of
        ("远航储能科技有限公司位于常州。今年上半年，公司储能电芯出货量达到5吉瓦时。",
         [("远航储能科技有限公司", "produces", "储能电芯")], []),
    ],
)
def test_makers_through_subsidiaries_banks_partners_and_output(text, expected, unexpected):
    _has_and_has_not(text, expected, unexpected)


@pytest.mark.parametrize(
    "text, expected",
    [
        ("华康集团控股子公司威海华康生物材料有限公司投产。", ("威海华康生物材料有限公司", "subOrganizationOf", "华康集团")),
        ("华康集团的全资子公司华康生物材料有限公司投产。", ("华康生物材料有限公司", "subOrganizationOf", "华康集团")),
        ("（责任编辑：孙丽）", ("孙丽", "authorOf", "DOC")),
    ],
)
def test_subsidiaries_named_after_their_parent_and_editors(text, expected):
    assert expected in rels(text)


@pytest.mark.parametrize(
    "text, expected, unexpected",
    [
        # the branch's name and the post share a character (分行|行长)
        ("华兴银行股份有限公司杭州分行（以下简称“华兴银行杭州分行”）放贷。华兴银行杭州分行行长李明表示，将加大支持。",
         [("李明", "holdsPosition", "华兴银行杭州分行")], [("李明", "holdsPosition", "华兴银行")]),
        # 公司 before a post is the company, not a branch named just before
        ("杭州远航动力科技股份有限公司今年扩产。公司在上海设立的远航动力上海分公司负责华东市场。公司总经理王强介绍，订单增长。",
         [("王强", "holdsPosition", "杭州远航动力科技股份有限公司")], [("王强", "holdsPosition", "远航动力上海分公司")]),
        # two posts at two bodies, listed with 、
        ("湖州市委常委、湖州经济技术开发区党工委书记张建国表示，项目进展顺利。",
         [("张建国", "holdsPosition", "湖州经济技术开发区"), ("张建国", "holdsPosition", "湖州")], []),
    ],
)
def test_posts_at_branches_companies_and_two_bodies(text, expected, unexpected):
    _has_and_has_not(text, expected, unexpected)


def test_joint_work_of_the_company_spoken_of_and_no_maker_for_a_noun_cue():
    found = rels("“订单越来越多。”华丝集团总经理葛青说，公司正与中原工学院合作开发仿生蛋白纤维。")
    assert ("华丝集团", "produces", "仿生蛋白纤维") in found
    found = rels("华精集团今年扩产。同时，鼓励中小企业细分市场、细分产品，重点在锻件、滚动体等领域配套。")
    assert not any(p == "produces" for _, p, _ in found), found


def test_a_parent_named_only_inside_its_branch_is_no_entity_unless_named_alone_or_in_a_chain():
    found = rels("华兴银行股份有限公司杭州分行（简称华兴银行杭州分行）向远航科技有限公司提供授信。")
    assert not any(p == "subOrganizationOf" for _, p, _ in found), found
    found = rels("华兴银行今年扩大信贷投放。华兴银行杭州分行向远航科技有限公司提供授信。")
    assert ("华兴银行杭州分行", "subOrganizationOf", "华兴银行") in found
    found = rels("华精集团华精股份有限公司炼钢总厂三分厂产量创新高。")
    assert ("华精股份有限公司", "subOrganizationOf", "华精集团") in found, found


@pytest.mark.parametrize(
    "text, expected, unexpected",
    [
        # a district's level character begins the post (区委书记)
        ("湖州市南浔区委书记沈立新介绍，产业发展迅速。", [("沈立新", "holdsPosition", "南浔")], [("沈立新", "holdsPosition", "湖州市")]),
        # a post at a body named by its kind word, listed before another post
        ("常州市储能产业联盟今年成立。联盟理事长、远航集团董事长王刚说，储能发展很快。",
         [("王刚", "holdsPosition", "常州市储能产业联盟"), ("王刚", "holdsPosition", "远航集团")], []),
        # 公司 opening a sentence is the company the sentence before was about (its first)
        ("远航储能科技股份有限公司是华东能源集团有限公司控股的上市公司。公司董事长林建华表示，将扩产。",
         [("林建华", "holdsPosition", "远航储能科技股份有限公司")], [("林建华", "holdsPosition", "华东能源集团有限公司")]),
        # the bank's own short name in brackets is not the borrower
        ("浙江华兴农村商业银行股份有限公司余姚支行（简称华兴农商行余姚支行）为远航科技有限公司提供贷款。",
         [("浙江华兴农村商业银行股份有限公司余姚支行", "cooperatesWith", "远航科技有限公司")],
         [("浙江华兴农村商业银行股份有限公司余姚支行", "cooperatesWith", "华兴农商行余姚支行")]),
    ],
)
def test_posts_of_districts_kind_words_and_sentence_openers_and_lenders(text, expected, unexpected):
    _has_and_has_not(text, expected, unexpected)


def test_an_office_named_after_its_body_is_part_of_it():
    found = rels("西安市人民政府今年出台政策。西安市人民政府办公厅印发通知。")
    assert ("西安市人民政府办公厅", "subOrganizationOf", "西安市人民政府") in found, found

"""Word tables for the fictional demo county (names, places, trades, phrases).

All entries are ordinary words; combined with the demo county's name they make fictional
bodies. Persons carry a surname and a given name only.
"""

from __future__ import annotations

from typing import Final

#: Common surnames with rough relative frequencies (higher = more common).
SURNAMES: Final[tuple[tuple[str, int], ...]] = (
    ("王", 72), ("李", 70), ("张", 66), ("刘", 53), ("陈", 47), ("杨", 32), ("黄", 25), ("赵", 21),
    ("吴", 20), ("周", 20), ("徐", 18), ("孙", 16), ("马", 15), ("朱", 14), ("胡", 14), ("郭", 13),
    ("何", 12), ("林", 12), ("罗", 11), ("高", 11), ("郑", 10), ("梁", 9), ("谢", 8), ("宋", 8),
    ("唐", 7), ("许", 7), ("韩", 7), ("冯", 7), ("邓", 7), ("曹", 6), ("彭", 6), ("曾", 6),
    ("肖", 6), ("田", 5), ("董", 5), ("潘", 5), ("袁", 5), ("蔡", 5), ("蒋", 5), ("余", 5),
    ("于", 5), ("杜", 4), ("叶", 6), ("程", 4), ("魏", 4), ("苏", 4), ("吕", 4), ("丁", 4),
    ("任", 4), ("卢", 3), ("姚", 3), ("沈", 4), ("钟", 3), ("姜", 3), ("崔", 3), ("谭", 3),
    ("陆", 3), ("范", 3), ("汪", 4), ("廖", 3), ("石", 3), ("金", 3), ("方", 4), ("俞", 3),
    ("应", 2), ("傅", 2), ("毛", 2), ("楼", 2), ("章", 2), ("邵", 2), ("夏", 2), ("严", 2),
)  # fmt: skip

#: Characters used in given names (one or two of them make a given name).
GIVEN_NAME_CHARS: Final = (
    "建国华明伟芳秀英丽敏静强军杰磊洋勇艳娟涛超平刚桂兰霞斌辉鹏飞红玲梅林峰波宁颖琳慧晨宇浩"
    "鑫欣婷雪晓志海春文丹凯亮燕萍永利新金荣福庆俊佳嘉怡悦瑞博航睿泽轩涵雨思梓子一若安昊哲宏"
    "立德民忠云彬晴倩蕾洁青松柏良友昌盛光远学成家振兴旭东阳凤翠菊莉娜玉珍美琴"
)

#: Street (街道) names, used whole.
STREET_NAMES: Final = ("东城街道", "西城街道", "南湖街道", "城北街道", "凤山街道")

#: Two-character stems for towns (镇) and townships (乡).
TOWN_STEMS: Final = ("青石", "白沙", "龙泉", "双溪", "桃源", "梅岭", "长乐", "石门", "云峰", "清水", "大塘", "金坑")
TOWNSHIP_STEMS: Final = ("柳溪", "竹坞", "枫林", "高坪", "杉坑", "岭下", "莲塘", "凤鸣", "上阳")

#: Village names are first + second character + 村 (e.g. 石桥村, 梅坞村).
VILLAGE_FIRST: Final = "上下前后东西南大小新高长石竹茶梅桃柳枫松杉金银青白黄龙凤杨李叶洪方岩"
VILLAGE_SECOND: Final = "桥塘溪岭山湖田林源坑坞岙坪口头湾埠垄堰庄畈"

#: Community (社区) names, used with the suffix 社区.
COMMUNITY_STEMS: Final = (
    "和平", "文昌", "城东", "城南", "城西", "新华", "朝阳", "长安", "锦绣", "春晖", "幸福", "光明",
    "建设", "康乐", "阳光", "滨江", "金桥", "湖滨", "青云", "翠苑", "安居", "同乐", "惠民", "丽景",
    "振兴", "文化", "育才", "兴隆", "龙山", "凤凰", "秀水", "清风",
)  # fmt: skip

#: Village products and services: (word for the industries field, related advantage codes).
VILLAGE_INDUSTRIES: Final[tuple[tuple[str, tuple[str, ...]], ...]] = (
    ("茶叶", ("specialty_crops", "ecology")),
    ("竹笋", ("forest", "specialty_crops")),
    ("毛竹", ("forest",)),
    ("高山蔬菜", ("farmland", "ecology")),
    ("水稻", ("farmland", "water")),
    ("柑橘", ("specialty_crops", "farmland")),
    ("杨梅", ("specialty_crops",)),
    ("中药材", ("specialty_crops", "forest")),
    ("油茶", ("forest", "specialty_crops")),
    ("食用菌", ("specialty_crops", "labour")),
    ("生猪养殖", ("livestock", "farmland")),
    ("湖羊养殖", ("livestock",)),
    ("淡水养殖", ("water",)),
    ("蜂蜜", ("ecology", "forest")),
    ("花卉苗木", ("farmland", "location")),
    ("民宿", ("scenery", "heritage")),
    ("乡村旅游", ("scenery", "ecology")),
    ("农家乐", ("scenery", "transport")),
    ("竹编", ("handicraft", "heritage")),
    ("来料加工", ("labour", "location")),
)

COMMUNITY_INDUSTRIES: Final = ("商贸", "物业服务", "餐饮", "家政服务", "电商服务", "小微制造", "社区养老")

#: Company name words (字号), combined with a trade word.
BRAND_WORDS: Final = (
    "青禾", "绿源", "丰泽", "宏达", "恒信", "金穗", "瑞丰", "华康", "德润", "鑫源", "嘉禾", "永兴",
    "新远", "富农", "山合", "润土", "乐居", "康宁", "博远", "宜和", "众诚", "同创", "聚鑫", "天成",
    "美溪", "盛源", "汇通", "兴旺", "安泰", "信安", "锦程", "万禾", "明川", "弘毅", "远航", "卓越",
    "益农", "禾丰", "茂林", "清源", "晨曦", "星河", "长青", "乐活", "汇泽", "金岭", "银湖", "翠谷",
    "百川", "合力", "润禾", "悦农", "云端", "顺达", "耕读", "兴农", "旺泰", "荣禾", "凯达", "森源",
)  # fmt: skip

#: Trade words per GB/T 4754-2017 section: (trade word in the name, main business).
TRADES: Final[dict[str, tuple[tuple[str, str], ...]]] = {
    "A": (
        ("茶业", "茶叶种植与加工"),
        ("农业开发", "果蔬种植"),
        ("生态农业", "生态种养"),
        ("竹业", "毛竹培育与竹笋采收"),
        ("畜牧", "生猪养殖"),
        ("水产", "淡水养殖"),
        ("林业", "苗木花卉"),
    ),
    "B": (("矿业", "建筑用石料开采"),),
    "C": (
        ("食品", "农产品加工"),
        ("竹木制品", "竹木制品制造"),
        ("机械", "通用机械制造"),
        ("纺织", "纺织品制造"),
        ("电子", "电子元件制造"),
        ("新材料", "新型建材制造"),
        ("家具", "家具制造"),
        ("包装", "纸制品包装"),
        ("服饰", "服装加工"),
    ),
    "D": (("新能源", "光伏发电"), ("水务", "自来水生产和供应")),
    "E": (("建设", "房屋建筑工程"), ("建筑工程", "市政道路施工"), ("水电安装", "建筑安装")),
    "F": (("商贸", "日用品批发零售"), ("农资", "农资经营"), ("贸易", "农产品批发")),
    "G": (("物流", "货物运输与仓储"), ("运输", "道路货物运输")),
    "H": (("酒店管理", "住宿服务"), ("餐饮管理", "餐饮服务"), ("旅居", "民宿经营")),
    "I": (("网络科技", "电商运营服务"), ("信息技术", "软件开发")),
    "J": (("小额贷款", "小额贷款"),),
    "K": (("置业", "房地产开发"), ("物业管理", "物业服务")),
    "L": (("旅游开发", "乡村旅游开发"), ("企业管理咨询", "企业管理咨询"), ("人力资源", "劳务派遣")),
    "M": (("农业科技", "农业技术推广"), ("检测技术", "检验检测")),
    "N": (("环境工程", "污水处理与环境治理"), ("园林绿化", "园林绿化工程")),
    "O": (("家政服务", "家政服务"), ("汽车维修", "汽车维修")),
    "P": (("职业培训", "职业技能培训"),),
    "Q": (("康养", "养老服务"), ("医疗管理", "门诊服务")),
    "R": (("文化传媒", "文化传播"), ("体育发展", "体育场馆运营")),
}

#: Individual businesses (个体工商户): (shop word, GB/T 4754 section, main business).
SHOPS: Final = (
    ("小吃店", "H", "餐饮服务"),
    ("农家乐", "H", "农家乐餐饮"),
    ("民宿", "H", "民宿经营"),
    ("便利店", "F", "日用品零售"),
    ("农资店", "F", "农资零售"),
    ("茶叶店", "F", "茶叶零售"),
    ("汽修部", "O", "汽车维修"),
    ("理发店", "O", "美发服务"),
    ("竹编坊", "C", "竹编制品"),
    ("豆腐坊", "C", "豆制品加工"),
    ("家庭农场", "A", "家庭农场种养"),
    ("养殖场", "A", "畜禽养殖"),
)

#: Co-operative products (…专业合作社).
COOP_PRODUCTS: Final = (
    "茶叶", "竹笋", "蔬菜", "水果", "中药材", "生猪", "蜂业", "食用菌", "粮食", "农机", "油茶", "杨梅",
)  # fmt: skip

#: Short Chinese phrases for the need codes (used only in survey findings).
NEED_PHRASES: Final[dict[str, str]] = {
    "industry": "产业发展",
    "agri_processing": "农产品加工",
    "marketing": "销售渠道",
    "ecommerce": "电商销售",
    "tourism": "乡村旅游",
    "infrastructure": "基础设施",
    "employment": "村民就业",
    "skills_training": "技能培训",
    "capital": "资金",
    "technology": "技术",
    "education": "助学",
    "health": "医疗卫生",
    "elderly_care": "养老服务",
    "culture": "文化活动",
    "environment": "人居环境",
    "party_building": "党建",
    "logistics": "物流",
    "collective_economy": "村集体经济",
}

#: Short Chinese phrases for the advantage codes (used only in survey findings).
ADVANTAGE_PHRASES: Final[dict[str, str]] = {
    "farmland": "耕地资源",
    "forest": "山林资源",
    "water": "水资源",
    "specialty_crops": "特色农产品",
    "livestock": "畜牧养殖基础",
    "scenery": "自然风光",
    "heritage": "历史文化",
    "transport": "交通条件",
    "labour": "劳动力",
    "location": "区位条件",
    "ecology": "生态环境",
    "handicraft": "传统手工艺",
}

VILLAGE_FINDINGS: Final = (
    "村集体经济基础薄弱，希望在{need}方面得到企业支持。",
    "{industry}已有一定规模，但{need}仍是短板。",
    "村里{advantage}较好，可围绕{industry}引进合作企业。",
    "村两委班子团结，群众最关心的是{need}问题。",
    "{industry}销路不稳，村民希望加强{need}。",
    "依托{advantage}，村里计划发展{industry}，需要{need}方面帮扶。",
)

ENTERPRISE_FINDINGS: Final = (
    "企业经营正常，愿意在{offer}方面与村开展结对合作。",
    "企业主营{business}，可为周边村提供{offer}支持。",
    "企业用工需求较大，优先吸纳周边村民就业。",
    "企业负责人表示，可结合{business}在{offer}上帮扶。",
    "企业发展势头较好，有意参与村企共建，重点在{offer}。",
)

#: Notes on a village party branch; {committee} is the number of branch committee members.
PARTY_NOTES: Final = (
    "支部委员会委员{committee}人，设党员先锋岗。",
    "支部委员会委员{committee}人，开展党员联户服务。",
    "支部委员会委员{committee}人，定期召开主题党日。",
)

ROADS: Final = ("工业路", "兴业路", "人民路", "建设路", "创业大道", "滨河路", "园区路", "通达路")

# --- Generation weights ---------------------------------------------------

#: Weights of the need codes for villages and for communities.
VILLAGE_NEED_WEIGHTS: Final[dict[str, float]] = {
    "industry": 6, "agri_processing": 4, "marketing": 6, "ecommerce": 5, "tourism": 2,
    "infrastructure": 5, "employment": 4, "skills_training": 4, "capital": 4, "technology": 3,
    "education": 2, "health": 2, "elderly_care": 3, "culture": 2, "environment": 3,
    "party_building": 2, "logistics": 2, "collective_economy": 7,
}  # fmt: skip
COMMUNITY_NEED_WEIGHTS: Final[dict[str, float]] = {
    "employment": 6, "elderly_care": 6, "health": 4, "education": 4, "culture": 5,
    "skills_training": 4, "party_building": 3, "environment": 3, "infrastructure": 2,
    "ecommerce": 2, "collective_economy": 3,
}  # fmt: skip
#: Village industries that make tourism a likely need.
TOURISM_INDUSTRIES: Final = frozenset({"民宿", "乡村旅游", "农家乐"})

#: Relative frequency of GB/T 4754-2017 sections among companies (91).
SECTION_WEIGHTS: Final[dict[str, float]] = {
    "C": 28, "A": 13, "E": 9, "F": 14, "H": 7, "G": 5, "L": 5, "O": 3, "I": 3,
    "K": 3, "M": 3, "N": 2, "R": 2, "P": 1, "Q": 1, "D": 1, "B": 0.5, "J": 0.5,
}  # fmt: skip
#: Need codes a company of each section is likely to offer, with weights.
SECTION_OFFERS: Final[dict[str, dict[str, float]]] = {
    "A": {"industry": 5, "agri_processing": 4, "marketing": 4, "technology": 3, "collective_economy": 4},
    "B": {"infrastructure": 4, "employment": 4, "capital": 2},
    "C": {"employment": 6, "industry": 4, "agri_processing": 3, "skills_training": 3, "technology": 2},
    "D": {"infrastructure": 5, "environment": 3, "collective_economy": 3},
    "E": {"infrastructure": 6, "employment": 3, "environment": 2},
    "F": {"marketing": 6, "logistics": 3, "ecommerce": 3},
    "G": {"logistics": 6, "marketing": 2, "ecommerce": 2, "employment": 2},
    "H": {"tourism": 6, "employment": 3, "marketing": 2, "culture": 1},
    "I": {"ecommerce": 6, "technology": 4, "marketing": 3, "education": 2, "skills_training": 2},
    "J": {"capital": 7, "collective_economy": 3},
    "K": {"infrastructure": 4, "capital": 3, "collective_economy": 2},
    "L": {"tourism": 4, "skills_training": 3, "employment": 3, "marketing": 2},
    "M": {"technology": 6, "skills_training": 3, "agri_processing": 2},
    "N": {"environment": 6, "infrastructure": 3, "tourism": 2},
    "O": {"elderly_care": 3, "skills_training": 3, "employment": 3},
    "P": {"education": 6, "skills_training": 5, "culture": 2},
    "Q": {"health": 6, "elderly_care": 5},
    "R": {"culture": 6, "tourism": 3, "education": 1},
}

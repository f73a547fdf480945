"""What a unit's name says about it: its province and kind (上海市知识产权局 → 上海, provincial;
江苏省药监局 → 江苏, drug administration; 嘉兴市局 → 浙江, city bureau), for units a new plan names
that the registry does not know yet. Standard library only.
"""

from __future__ import annotations

from dataclasses import dataclass

PROVINCES = ("上海", "江苏", "浙江", "安徽")
# Prefecture-level cities, and the districts and counties plans of the region name, by province.
PLACES = {
    "上海": ("浦东", "黄浦", "徐汇", "长宁", "静安", "普陀", "虹口", "杨浦", "闵行", "宝山", "嘉定", "金山",
             "松江", "青浦", "奉贤", "崇明"),
    "江苏": ("南京", "无锡", "徐州", "常州", "苏州", "南通", "连云港", "淮安", "盐城", "扬州", "镇江", "泰州",
             "宿迁", "吴江", "昆山", "太仓", "常熟", "张家港", "江阴", "宜兴", "溧阳", "句容"),
    "浙江": ("杭州", "宁波", "温州", "嘉兴", "湖州", "绍兴", "金华", "衢州", "舟山", "台州", "丽水", "嘉善",
             "平湖", "海宁", "桐乡", "海盐", "长兴", "安吉", "德清", "义乌"),
    "安徽": ("合肥", "芜湖", "蚌埠", "淮南", "马鞍山", "淮北", "铜陵", "安庆", "黄山", "滁州", "阜阳", "宿州",
             "六安", "亳州", "池州", "宣城", "郎溪", "广德", "宁国"),
}
# Districts whose full name starts with their city (吴江区局 → 苏州市吴江区市场监督管理局).
DISTRICT_CITY = {"吴江": "苏州市", "吴中": "苏州市", "相城": "苏州市", "姑苏": "苏州市", "虎丘": "苏州市",
                 "南湖": "嘉兴市", "秀洲": "嘉兴市", "滨湖": "无锡市", "梁溪": "无锡市"}
# Groups the plans name by a collective word.
GROUPS = {"三省一市局": ("上海市局", "江苏省局", "浙江省局", "安徽省局")}
_UNIT_ENDINGS = ("局", "院", "中心", "所", "站", "委员会", "办公室", "办")


@dataclass(frozen=True)
class UnitGuess:
    name: str
    kind: str               # an OrgKind value
    province: str | None
    full_name: str | None
    members: tuple[str, ...] = ()


def province_of(name: str) -> str | None:
    for province in PROVINCES:
        if name.startswith(province):
            return province
    for province, places in PLACES.items():
        if any(name.startswith(place) for place in places):
            return province
    return None


def names_unit(name: str) -> bool:
    """Whether a 责任部门 entry names a unit of its own (嘉善县局, 浙江省质科院) rather than a
    business line (…条线) or a collective (南京都市圈相关市、县局)."""
    if "条线" in name or "相关" in name or "、" in name or name.startswith("各"):
        return False
    return province_of(name) is not None and name.endswith(_UNIT_ENDINGS)


def guess_unit(name: str) -> UnitGuess:
    """Province, kind and, for market-supervision bureaus, the full name a unit's name implies."""
    if name in GROUPS:
        return UnitGuess(name, "group", None, None, GROUPS[name])
    province = province_of(name)
    stem = name[:-1] if name.endswith("局") else name
    if "药监局" in name or "药品监督管理局" in name:
        full = f"{name[:-3]}药品监督管理局" if name.endswith("药监局") else None
        return UnitGuess(name, "drug_administration", province, full)
    if name.endswith(("院", "中心", "所", "站")):
        return UnitGuess(name, "institute", province, None)
    if name.endswith(("区局", "县局")) or (name.endswith("市局") and _is_county_city(name)):
        city = "上海市" if province == "上海" and name.endswith("区局") else DISTRICT_CITY.get(name[:2], "")
        return UnitGuess(name, "county_bureau", province, f"{city}{stem}市场监督管理局")
    if name.endswith("市局") and name[:2] not in PROVINCES:
        return UnitGuess(name, "city_bureau", province, f"{stem}市场监督管理局")
    if name in (f"{p}{s}局" for p in PROVINCES for s in ("省", "市")):
        return UnitGuess(name, "provincial_bureau", province, f"{stem}市场监督管理局")
    # Another provincial body (上海市知识产权局, 江苏省知识产权局): a bureau of its province.
    return UnitGuess(name, "provincial_bureau", province, None)


_COUNTY_CITIES = ("昆山", "太仓", "常熟", "张家港", "江阴", "宜兴", "溧阳", "句容", "平湖", "海宁", "桐乡", "义乌",
                  "宁国", "广德")


def _is_county_city(name: str) -> bool:
    return name.startswith(_COUNTY_CITIES)

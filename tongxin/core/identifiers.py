"""Normalization and validation of the official identifiers Tongxin handles.

Pure Python, no Django: forms, serializers, Excel import rows and management commands all
call these functions (see the design note IDENTIFIERS.md, the specification).

Every ``validate_*`` function normalizes its input, checks it in a fixed order (length,
character set, structure, check characters) and returns the canonical value, or raises
:class:`IdentifierError` with the stable code of the first rule that failed.

Structure checks only: whether a division exists, or whether a credit code belongs to a
registered body, is a table or registry lookup that happens elsewhere.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from types import MappingProxyType
from typing import Final, Literal

__all__ = [
    "ERROR_CODES",
    "HK_MO_TW_ADDRESS_PREFIXES",
    "MAINLAND_PROVINCES",
    "URBAN_RURAL_CODES",
    "USCC_ALPHABET",
    "USCC_AUTHORITIES",
    "USCC_EXCLUDED_LETTERS",
    "DivisionLevel",
    "IdentifierError",
    "TownshipKind",
    "USCCInfo",
    "VillageKind",
    "describe_uscc",
    "division_level",
    "format_mobile",
    "is_pairable_village_code",
    "is_virtual_village_code",
    "make_uscc",
    "mask_resident_id",
    "normalize",
    "org_code_check_char",
    "parent_code",
    "resident_id_birth_date",
    "resident_id_check_char",
    "resident_id_gender",
    "township_kind",
    "upgrade_resident_id_15",
    "uscc_check_char",
    "validate_county_code",
    "validate_division_code",
    "validate_mobile",
    "validate_org_code",
    "validate_resident_id",
    "validate_urban_rural_code",
    "validate_uscc",
    "village_kind",
]

DivisionLevel = Literal["county", "township", "village"]
TownshipKind = Literal["street", "town", "township", "similar"]
VillageKind = Literal["community", "village", "similar_community", "similar_village"]

#: The stable error codes of IDENTIFIERS.md §6.
ERROR_CODES: Final = frozenset({
    "length", "charset", "excluded_letter", "registration_authority", "entity_type", "division", "check",
    "org_check", "legacy_15", "address_code", "birth_date", "birth_date_future", "birth_date_range", "prefix",
    "format", "province", "prefecture_segment", "township_segment", "village_segment", "parent_mismatch",
    "level", "unknown",
})  # fmt: skip


class IdentifierError(ValueError):
    """An identifier failed validation.

    ``code`` is one of :data:`ERROR_CODES`; ``params`` carries details for the message
    (positions, expected lengths, …). Params never contain a full resident ID number.
    """

    def __init__(self, code: str, params: Mapping[str, object] | None = None) -> None:
        if code not in ERROR_CODES:
            raise ValueError(f"unknown identifier error code {code!r}")
        self.code: str = code
        self.params: dict[str, object] = dict(params or {})
        super().__init__(code, self.params)

    def __str__(self) -> str:
        return f"{self.code}: {self.params}" if self.params else self.code


# ---------------------------------------------------------------------------
# Normalization
# ---------------------------------------------------------------------------

# Invisible characters that Word, Excel and IMEs paste along with the text, and the
# minus sign (a math symbol, not a dash punctuation character).
_ALSO_REMOVED: Final = frozenset("\u00ad\u200b\u200c\u200d\u2060\ufeff\u2212")


def _removable(char: str) -> bool:
    return char.isspace() or char in _ALSO_REMOVED or unicodedata.category(char) == "Pd"


def _normalize_once(value: str) -> str:
    text = unicodedata.normalize("NFKC", value)
    text = "".join(char for char in text if not _removable(char))
    return text.upper()


def normalize(value: str) -> str:
    """NFKC, remove all whitespace (incl. U+3000) and dashes, upper-case.

    Repeated until stable (at most a few rounds), so that ``normalize`` is idempotent even
    when removing a space lets NFKC compose characters it could not compose before.
    """
    if not isinstance(value, str):
        raise TypeError(f"identifier must be a str, not {type(value).__name__}")
    if value.isascii() and value.isalnum():
        return value.upper()  # nothing to compose, remove or fold: the common case, fast
    result = _normalize_once(value)
    for _ in range(4):
        again = _normalize_once(result)
        if again == result:
            break
        result = again
    return result


def _is_digits(text: str) -> bool:
    """ASCII digits only (``str.isdigit`` also accepts ``٣`` and ``²``)."""
    return text.isascii() and text.isdigit()


def _check_length(value: str, expected: int) -> None:
    if len(value) != expected:
        raise IdentifierError("length", {"expected": expected, "actual": len(value)})


def _check_digits(value: str, *, start: int = 0) -> None:
    """Raise ``charset`` for the first non-ASCII-digit character (1-based position)."""
    for index, char in enumerate(value):
        if not _is_digits(char):
            raise IdentifierError("charset", {"position": start + index + 1, "char": char})


# ---------------------------------------------------------------------------
# Administrative division codes (GB/T 2260, NBS 12-digit statistical codes)
# ---------------------------------------------------------------------------

#: The 31 mainland province-level units (GB/T 2260 PP).
MAINLAND_PROVINCES: Final[Mapping[str, str]] = MappingProxyType({
    "11": "北京市", "12": "天津市", "13": "河北省", "14": "山西省", "15": "内蒙古自治区", "21": "辽宁省",
    "22": "吉林省", "23": "黑龙江省", "31": "上海市", "32": "江苏省", "33": "浙江省", "34": "安徽省",
    "35": "福建省", "36": "江西省", "37": "山东省", "41": "河南省", "42": "湖北省", "43": "湖南省",
    "44": "广东省", "45": "广西壮族自治区", "46": "海南省", "50": "重庆市", "51": "四川省", "52": "贵州省",
    "53": "云南省", "54": "西藏自治区", "61": "陕西省", "62": "甘肃省", "63": "青海省", "64": "宁夏回族自治区",
    "65": "新疆维吾尔自治区",
})  # fmt: skip

#: Address prefixes of residence permits for Hong Kong, Macao and Taiwan residents.
HK_MO_TW_ADDRESS_PREFIXES: Final = frozenset({"81", "82", "83"})

#: Urban–rural classification codes (国函〔2008〕60号).
URBAN_RURAL_CODES: Final[Mapping[str, str]] = MappingProxyType(
    {
        "111": "主城区",
        "112": "城乡结合区",
        "121": "镇中心区",
        "122": "镇乡结合区",
        "123": "特殊区域",
        "210": "乡中心区",
        "220": "村庄",
    }
)


def _check_county_part(code6: str, *, subordinate: bool = False) -> None:
    """GB/T 2260 structure of a 6-digit code (§1.3 steps 2–4).

    ``subordinate`` means that township/village digits follow, which a province-level
    code cannot have.
    """
    province, prefecture, county = code6[:2], code6[2:4], code6[4:]
    if province not in MAINLAND_PROVINCES:
        raise IdentifierError("province", {"value": province})
    if prefecture == "00":
        if county != "00":
            raise IdentifierError("prefecture_segment", {"value": prefecture, "reason": "county_without_prefecture"})
        if subordinate:
            raise IdentifierError("prefecture_segment", {"value": prefecture, "reason": "province_has_no_townships"})
        return
    number = int(prefecture)
    if not (1 <= number <= 70 or number == 90):
        raise IdentifierError("prefecture_segment", {"value": prefecture, "reason": "undefined"})


def validate_county_code(value: str) -> str:
    """A 6-digit GB/T 2260 code (province ``PP0000``, prefecture ``PPCC00`` or county).

    Structural only: any county digits 01–99 are possible; existence is a table lookup.
    """
    code = normalize(value)
    _check_length(code, 6)
    _check_digits(code)
    _check_county_part(code)
    return code


def _level_of(code12: str) -> DivisionLevel:
    if code12[9:] != "000":
        return "village"
    if code12[6:9] != "000":
        return "township"
    return "county"


def validate_division_code(
    value: str,
    *,
    level: DivisionLevel | None = None,
    parent: str | None = None,
) -> str:
    """A 12-digit statistical division code ``PPCCDD TTT VVV`` (§1.2, §1.3).

    ``level`` (``"county"`` also covers province and prefecture codes) is checked after
    the structure. ``parent`` is the direct parent: a township code (12 digits) for a
    village, a county code (6 digits, or its 12-digit form) for a township, the
    prefecture or province (6 digits) for a county-level code.
    """
    code = normalize(value)
    _check_length(code, 12)
    _check_digits(code)
    township, village = code[6:9], code[9:]
    _check_county_part(code[:6], subordinate=township != "000" or village != "000")
    if int(township) > 599:
        raise IdentifierError("township_segment", {"value": township})
    if int(village) > 599:
        raise IdentifierError("village_segment", {"value": village})
    if township == "000" and village != "000":
        raise IdentifierError("village_segment", {"value": village, "reason": "village_without_township"})
    actual = _level_of(code)
    if level is not None:
        if level not in ("county", "township", "village"):
            raise ValueError(f"unknown division level {level!r}")
        if level != actual:
            raise IdentifierError("level", {"expected": level, "actual": actual})
    if parent is not None:
        _check_parent(code, actual, parent)
    return code


def parent_code(code12: str) -> str | None:
    """The direct parent of a valid 12-digit code.

    Village → township (12 digits); township → county (6 digits); county → prefecture
    (6 digits); prefecture → province (6 digits); province → ``None``.
    """
    code = validate_division_code(code12)
    level = _level_of(code)
    if level == "village":
        return code[:9] + "000"
    if level == "township":
        return code[:6]
    if code[4:6] != "00":
        return code[:4] + "00"
    if code[2:4] != "00":
        return code[:2] + "0000"
    return None


def _check_parent(code: str, level: DivisionLevel, parent: str) -> None:
    expected = parent_code(code)
    given = normalize(parent)
    try:
        given = validate_county_code(given) if len(given) == 6 else validate_division_code(given)
    except IdentifierError as exc:
        raise IdentifierError("parent_mismatch", {"expected": expected, "reason": "invalid_parent"}) from exc
    if len(given) == 12 and level != "village" and _level_of(given) == "county":
        given = given[:6]  # the 12-digit form of a county-level code: PPCCDD000000
    if given != expected:
        raise IdentifierError("parent_mismatch", {"expected": expected, "actual": given})


def division_level(code12: str) -> DivisionLevel:
    """``"village"``, ``"township"`` or ``"county"`` (county or higher) of a 12-digit code."""
    return _level_of(validate_division_code(code12))


def township_kind(code12: str) -> TownshipKind:
    """Default kind of the township segment TTT (GB/T 10114); the seeded table is authoritative.

    Accepts a township or village code; a county-level code raises ``level``.
    """
    code = validate_division_code(code12)
    number = int(code[6:9])
    if number == 0:
        raise IdentifierError("level", {"expected": "township", "actual": "county"})
    if number <= 99:
        return "street"
    if number <= 199:
        return "town"
    if number <= 399:
        return "township"
    return "similar"


def village_kind(code12: str) -> VillageKind:
    """Default kind of the village segment VVV; the seeded table is authoritative.

    001–199 ``community`` (居民委员会), 200–399 ``village`` (村民委员会), 400–499
    ``similar_community`` (类似居委会, incl. the virtual 498), 500–599 ``similar_village``
    (类似村委会, incl. the virtual 598). A non-village code raises ``level``.
    """
    code = validate_division_code(code12, level="village")
    number = int(code[9:])
    if number <= 199:
        return "community"
    if number <= 399:
        return "village"
    if number <= 499:
        return "similar_community"
    return "similar_village"


def is_virtual_village_code(code12: str) -> bool:
    """True for the NBS placeholders 498 (虚拟社区) and 598 (虚拟村委会)."""
    return validate_division_code(code12, level="village")[9:] in ("498", "598")


def is_pairable_village_code(code12: str, *, include_similar: bool = False) -> bool:
    """Whether a code may be offered for village–enterprise pairing (range fallback).

    By default only villagers' committees (200–399). ``include_similar`` also admits
    village-like units (500–599). The virtual 498/598 never qualify. Malformed or
    non-village codes give ``False``.
    """
    try:
        code = validate_division_code(code12, level="village")
    except IdentifierError:
        return False
    number = int(code[9:])
    if number in (498, 598):
        return False
    return 200 <= number <= 399 or (include_similar and 500 <= number <= 599)


def validate_urban_rural_code(value: str) -> str:
    """One of the seven urban–rural classification codes; other values raise ``unknown``."""
    code = normalize(value)
    _check_length(code, 3)
    _check_digits(code)
    if code not in URBAN_RURAL_CODES:
        raise IdentifierError("unknown", {"value": code, "table": "urban_rural"})
    return code


# ---------------------------------------------------------------------------
# Organization code (GB 11714-1997)
# ---------------------------------------------------------------------------

_ORG_WEIGHTS: Final = (3, 7, 9, 10, 5, 8, 4, 2)


def _is_upper_alnum(char: str) -> bool:
    return char.isascii() and char.isalnum() and not char.islower()


def org_code_check_char(body8: str) -> str:
    """GB 11714 check character of an 8-character body, with letters A=10 … Z=35."""
    _check_length(body8, 8)
    for index, char in enumerate(body8):
        if not _is_upper_alnum(char):
            raise IdentifierError("charset", {"position": index + 1, "char": char})
    total = sum(int(char, 36) * weight for char, weight in zip(body8, _ORG_WEIGHTS, strict=True))
    check = 11 - total % 11
    return "X" if check == 10 else "0" if check == 11 else str(check)


def validate_org_code(value: str) -> str:
    """A 9-character organization code (the printed hyphen is dropped by normalization)."""
    code = normalize(value)
    _check_length(code, 9)
    for index, char in enumerate(code[:8]):
        if not _is_upper_alnum(char):
            raise IdentifierError("charset", {"position": index + 1, "char": char})
    if not (_is_digits(code[8]) or code[8] == "X"):
        raise IdentifierError("charset", {"position": 9, "char": code[8]})
    if org_code_check_char(code[:8]) != code[8]:
        raise IdentifierError("check")
    return code


# ---------------------------------------------------------------------------
# Unified social credit code (GB 32100-2015)
# ---------------------------------------------------------------------------

USCC_ALPHABET: Final = "0123456789ABCDEFGHJKLMNPQRTUWXY"
USCC_EXCLUDED_LETTERS: Final = "IOSVZ"
_USCC_VALUES: Final = MappingProxyType({char: index for index, char in enumerate(USCC_ALPHABET)})
_USCC_WEIGHTS: Final = tuple(pow(3, i, 31) for i in range(17))
_NATIONAL_DIVISION: Final = "100000"

#: Registration authority → (name, {entity type → name}) (GB 32100 with XG1-2016).
USCC_AUTHORITIES: Final[Mapping[str, tuple[str, Mapping[str, str]]]] = MappingProxyType(
    {
        "1": ("机构编制", {"1": "机关", "2": "事业单位", "3": "中央编办直接管理机构编制的群众团体", "9": "其他"}),
        "2": ("外交", {"1": "外国常驻新闻机构", "9": "其他"}),
        "3": (
            "司法行政",
            {
                "1": "律师执业机构",
                "2": "公证处",
                "3": "基层法律服务所",
                "4": "司法鉴定机构",
                "5": "仲裁委员会",
                "9": "其他",
            },
        ),
        "4": ("文化", {"1": "外国在华文化中心", "9": "其他"}),
        "5": ("民政", {"1": "社会团体", "2": "民办非企业单位", "3": "基金会", "9": "其他"}),
        "6": (
            "旅游",
            {"1": "外国旅游部门常驻代表机构", "2": "港澳台地区旅游部门常驻内地（大陆）代表机构", "9": "其他"},
        ),
        "7": ("宗教", {"1": "宗教活动场所", "2": "宗教院校", "9": "其他"}),
        "8": ("工会", {"1": "基层工会", "9": "其他"}),
        "9": ("工商（市场监管）", {"1": "企业", "2": "个体工商户", "3": "农民专业合作社"}),
        "A": ("中央军委改革和编制办公室", {"1": "军队事业单位", "9": "其他"}),
        "N": ("农业", {"1": "组级集体经济组织", "2": "村级集体经济组织", "3": "乡镇级集体经济组织", "9": "其他"}),
        "Y": ("其他", {"1": "其他"}),
    }
)


def _check_uscc_chars(value: str) -> None:
    """Character set: first anything outside 0-9/A-Z, then the excluded letters I O S V Z."""
    for index, char in enumerate(value):
        if not _is_upper_alnum(char):
            raise IdentifierError("charset", {"position": index + 1, "char": char})
    for index, char in enumerate(value):
        if char in USCC_EXCLUDED_LETTERS:
            raise IdentifierError("excluded_letter", {"position": index + 1, "char": char})


def _check_uscc_authority(authority: str, entity_type: str) -> None:
    if authority not in USCC_AUTHORITIES:
        raise IdentifierError("registration_authority", {"value": authority})
    allowed = USCC_AUTHORITIES[authority][1]
    if entity_type not in allowed:
        raise IdentifierError(
            "entity_type", {"authority": authority, "value": entity_type, "allowed": "".join(allowed)}
        )


def _check_uscc_division(division: str) -> None:
    if not _is_digits(division):
        raise IdentifierError("division", {"value": division, "reason": "charset"})
    if division == _NATIONAL_DIVISION:
        return
    try:
        _check_county_part(division)
    except IdentifierError as exc:
        raise IdentifierError("division", {"value": division, "reason": exc.code}) from exc


def uscc_check_char(first17: str) -> str:
    """GB 32100 check character (position 18) of the first 17 characters."""
    _check_length(first17, 17)
    _check_uscc_chars(first17)
    total = sum(_USCC_VALUES[char] * weight for char, weight in zip(first17, _USCC_WEIGHTS, strict=True))
    return USCC_ALPHABET[(31 - total % 31) % 31]


def validate_uscc(value: str) -> str:
    """An 18-character unified social credit code.

    Order: length, charset, excluded_letter, registration_authority, entity_type,
    division (structure only; ``100000`` and abolished codes are allowed), org_check
    (embedded GB 11714 code, full-alphabet letter values), check (mod 31).
    """
    code = normalize(value)
    _check_length(code, 18)
    _check_uscc_chars(code)
    _check_uscc_authority(code[0], code[1])
    _check_uscc_division(code[2:8])
    if org_code_check_char(code[8:16]) != code[16]:
        raise IdentifierError("org_check")
    if uscc_check_char(code[:17]) != code[17]:
        raise IdentifierError("check")
    return code


def make_uscc(authority_type: str, division6: str, org_body8: str) -> str:
    """Build a valid USCC from its parts, computing both check characters.

    ``authority_type`` is the two leading characters (e.g. ``"91"``), ``division6`` the
    registering authority's division code, ``org_body8`` the 8-character body of the
    embedded organization code, drawn from the USCC alphabet.
    """
    head = normalize(authority_type)
    _check_length(head, 2)
    _check_uscc_chars(head)
    _check_uscc_authority(head[0], head[1])
    division = normalize(division6)
    _check_length(division, 6)
    _check_uscc_division(division)
    body = normalize(org_body8)
    _check_length(body, 8)
    _check_uscc_chars(body)
    first17 = head + division + body + org_code_check_char(body)
    return validate_uscc(first17 + uscc_check_char(first17))


@dataclass(frozen=True, slots=True)
class USCCInfo:
    """The parts of a valid unified social credit code."""

    code: str
    authority_code: str
    authority_name: str
    entity_type_code: str
    entity_type_name: str
    division_code: str
    is_national_authority: bool
    org_code: str

    @property
    def org_code_display(self) -> str:
        """The organization code as printed with its hyphen, e.g. ``55138508-2``."""
        return f"{self.org_code[:8]}-{self.org_code[8]}"


def describe_uscc(value: str) -> USCCInfo:
    """Validate a USCC and split it into authority, entity type, division and org code."""
    code = validate_uscc(value)
    authority_name, types = USCC_AUTHORITIES[code[0]]
    return USCCInfo(
        code=code,
        authority_code=code[0],
        authority_name=authority_name,
        entity_type_code=code[1],
        entity_type_name=types[code[1]],
        division_code=code[2:8],
        is_national_authority=code[2:8] == _NATIONAL_DIVISION,
        org_code=code[8:17],
    )


# ---------------------------------------------------------------------------
# Resident identity card number (GB 11643-1999)
# ---------------------------------------------------------------------------

_ID_WEIGHTS: Final = tuple(pow(2, 17 - i, 11) for i in range(17))
_ID_CHECK_CHARS: Final = "10X98765432"
_ID_MIN_BIRTH_DATE: Final = date(1900, 1, 1)


def resident_id_check_char(first17: str) -> str:
    """ISO 7064 MOD 11-2 check character of the first 17 digits."""
    _check_length(first17, 17)
    _check_digits(first17)
    total = sum(int(char) * weight for char, weight in zip(first17, _ID_WEIGHTS, strict=True))
    return _ID_CHECK_CHARS[total % 11]


def validate_resident_id(
    value: str,
    *,
    today: date | None = None,
    min_birth_date: date = _ID_MIN_BIRTH_DATE,
) -> str:
    """An 18-character resident identity number.

    Order: legacy_15 (a 15-digit first-generation number), length, charset,
    address_code (known province prefix or 81/82/83; first digit 9 is a foreign
    permanent-residence ID), birth_date, birth_date_future, birth_date_range (before
    ``min_birth_date``, 1900-01-01 by default), check. Error params never contain the
    number itself.
    """
    code = normalize(value)
    if len(code) == 15 and _is_digits(code):
        raise IdentifierError("legacy_15")
    _check_length(code, 18)
    _check_digits(code[:17])
    if not (_is_digits(code[17]) or code[17] == "X"):
        raise IdentifierError("charset", {"position": 18, "char": code[17]})
    if code[0] == "9":
        raise IdentifierError("address_code", {"reason": "foreign_permanent_residence"})
    if code[:2] not in MAINLAND_PROVINCES and code[:2] not in HK_MO_TW_ADDRESS_PREFIXES:
        raise IdentifierError("address_code", {"reason": "unknown_province"})
    try:
        birth = date(int(code[6:10]), int(code[10:12]), int(code[12:14]))
    except ValueError as exc:
        raise IdentifierError("birth_date") from exc
    if birth > (today or date.today()):
        raise IdentifierError("birth_date_future")
    if birth < min_birth_date:
        raise IdentifierError("birth_date_range", {"min": min_birth_date.isoformat()})
    if resident_id_check_char(code[:17]) != code[17]:
        raise IdentifierError("check")
    return code


def upgrade_resident_id_15(value: str, *, today: date | None = None) -> str:
    """Convert a 15-digit first-generation number: insert ``19`` before the year, add the check."""
    code = normalize(value)
    _check_length(code, 15)
    _check_digits(code)
    first17 = code[:6] + "19" + code[6:]
    return validate_resident_id(first17 + resident_id_check_char(first17), today=today)


def resident_id_birth_date(value: str, *, today: date | None = None, min_birth_date: date = _ID_MIN_BIRTH_DATE) -> date:
    """The birth date encoded in a valid resident ID number."""
    code = validate_resident_id(value, today=today, min_birth_date=min_birth_date)
    return date(int(code[6:10]), int(code[10:12]), int(code[12:14]))


def resident_id_gender(
    value: str, *, today: date | None = None, min_birth_date: date = _ID_MIN_BIRTH_DATE
) -> Literal["male", "female"]:
    """``"male"`` for an odd sequence number (digit 17), ``"female"`` for an even one."""
    code = validate_resident_id(value, today=today, min_birth_date=min_birth_date)
    return "male" if int(code[16]) % 2 else "female"


def mask_resident_id(value: str) -> str:
    """Hide the birth date for display: ``330122********051X``.

    Never raises; input that is not 15 or 18 characters keeps only its last 4 visible.
    """
    code = normalize(value)
    if len(code) == 18:
        return code[:6] + "*" * 8 + code[14:]
    if len(code) == 15:
        return code[:6] + "*" * 6 + code[12:]
    if len(code) <= 4:
        return "*" * len(code)
    return "*" * (len(code) - 4) + code[-4:]


# ---------------------------------------------------------------------------
# Mainland mobile numbers
# ---------------------------------------------------------------------------

_COUNTRY_PREFIXES: Final = ("+86", "0086", "86")


def validate_mobile(value: str) -> str:
    """An 11-digit mainland mobile number (pragmatic rule ``^1[3-9]\\d{9}$``).

    One leading ``+86``/``0086``/``86`` is removed when exactly 11 digits follow.
    Parentheses are rejected (``format``); then length, charset, prefix.
    """
    number = normalize(value)
    if "(" in number or ")" in number:
        raise IdentifierError("format", {"reason": "parentheses"})
    for prefix in _COUNTRY_PREFIXES:
        rest = number[len(prefix) :]
        if number.startswith(prefix) and len(rest) == 11 and _is_digits(rest):
            number = rest
            break
    _check_length(number, 11)
    _check_digits(number)
    if number[0] != "1" or number[1] in "012":
        raise IdentifierError("prefix", {"value": number[:3]})
    return number


def format_mobile(value: str) -> str:
    """Display form ``138 0013 8000`` of a valid mobile number."""
    number = validate_mobile(value)
    return f"{number[:3]} {number[3:7]} {number[7:]}"

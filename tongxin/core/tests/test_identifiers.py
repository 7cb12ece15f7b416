"""Tests of tongxin.core.identifiers against IDENTIFIERS.md (worked examples and properties)."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from tongxin.core import identifiers as ids
from tongxin.core.identifiers import IdentifierError

# ---------------------------------------------------------------------------
# Helpers and strategies
# ---------------------------------------------------------------------------


def error_code(func: object, *args: object, **kwargs: object) -> str:
    """Call ``func`` and return the code of the IdentifierError it must raise."""
    assert callable(func)
    with pytest.raises(IdentifierError) as info:
        func(*args, **kwargs)
    return info.value.code


def make_resident_id(prefix6: str, birth: date, sequence: str) -> str:
    first17 = prefix6 + birth.strftime("%Y%m%d") + sequence
    return first17 + ids.resident_id_check_char(first17)


def full_width(text: str) -> str:
    """ASCII letters and digits as their full-width forms (what Chinese IMEs type)."""
    return "".join(chr(ord(char) + 0xFEE0) if char.isascii() and char.isalnum() else char for char in text)


FULL_ALPHABET = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ"

division6 = st.one_of(
    st.just("100000"),
    st.builds(
        lambda pp, cc, dd: pp + ("0000" if cc == 0 else f"{cc:02d}{dd:02d}"),
        st.sampled_from(sorted(ids.MAINLAND_PROVINCES)),
        st.sampled_from([0, *range(1, 71), 90]),
        st.integers(0, 99),
    ),
)
authority_types = st.sampled_from(
    sorted(authority + kind for authority, (_, kinds) in ids.USCC_AUTHORITIES.items() for kind in kinds)
)
org_bodies = st.text(alphabet=ids.USCC_ALPHABET, min_size=8, max_size=8)
valid_usccs = st.builds(ids.make_uscc, authority_types, division6, org_bodies)
valid_resident_ids = st.builds(
    make_resident_id,
    st.builds(
        lambda pp, rest: pp + f"{rest:04d}",
        st.sampled_from(sorted(set(ids.MAINLAND_PROVINCES) | ids.HK_MO_TW_ADDRESS_PREFIXES)),
        st.integers(0, 9999),
    ),
    st.dates(min_value=date(1900, 1, 1), max_value=date(2020, 12, 31)),
    st.integers(0, 999).map(lambda n: f"{n:03d}"),
)


# ---------------------------------------------------------------------------
# Errors and normalization
# ---------------------------------------------------------------------------


def test_error_codes_are_exactly_the_spec_list() -> None:
    """ERROR_CODES holds exactly the codes of IDENTIFIERS.md §6, and no other code can be raised."""
    spec = {
        "length", "charset", "excluded_letter", "registration_authority", "entity_type", "division", "check",
        "org_check", "legacy_15", "address_code", "birth_date", "birth_date_future", "birth_date_range", "prefix",
        "format", "province", "prefecture_segment", "township_segment", "village_segment", "parent_mismatch",
        "level", "unknown",
    }  # fmt: skip
    assert spec == ids.ERROR_CODES
    with pytest.raises(ValueError, match="unknown identifier error code"):
        IdentifierError("typo")


def test_identifier_error_carries_code_and_params() -> None:
    """IdentifierError exposes .code and .params, is a ValueError and survives pickling."""
    import pickle

    error = IdentifierError("length", {"expected": 18, "actual": 17})
    assert isinstance(error, ValueError)
    assert (error.code, error.params) == ("length", {"expected": 18, "actual": 17})
    copy = pickle.loads(pickle.dumps(error))
    assert (copy.code, copy.params) == (error.code, error.params)
    assert "length" in str(error)


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("9111 0108 5513 8508 2q", "91110108551385082Q"),
        ("９１１１０１０８５５１３８５０８２ｑ", "91110108551385082Q"),
        ("\u3000330122\u3000", "330122"),
        ("55138508-2", "551385082"),
        ("55138508－2", "551385082"),
        ("55138508—2", "551385082"),
        ("33012219880315051x", "33012219880315051X"),
        ("\ufeff138\u200b0013\t8000\n", "13800138000"),
        ("(+86)", "(+86)"),
    ],
)
def test_normalize_examples(raw: str, expected: str) -> None:
    """normalize applies NFKC, drops whitespace (incl. U+3000), dashes and invisible marks, upper-cases."""
    assert ids.normalize(raw) == expected


@given(st.text())
def test_normalize_is_idempotent(text: str) -> None:
    """Normalizing an already normalized value changes nothing."""
    once = ids.normalize(text)
    assert ids.normalize(once) == once


def test_normalize_rejects_non_strings() -> None:
    """A non-string (e.g. a number from an Excel cell) is a programming error, not a silent pass."""
    with pytest.raises(TypeError):
        ids.normalize(13800138000)  # type: ignore[arg-type]


# ---------------------------------------------------------------------------
# Division codes
# ---------------------------------------------------------------------------


@pytest.mark.parametrize("code", ["330122", "110101", "330106", "522601", "429004", "429021", "500151", "310151"])
def test_county_codes_valid(code: str) -> None:
    """Real GB/T 2260 county codes, incl. the 51–80 districts of amendment No. 1, are accepted."""
    assert ids.validate_county_code(code) == code


@pytest.mark.parametrize(("code", "level"), [("330000", "province"), ("441900", "prefecture"), ("110103", "county")])
def test_county_code_accepts_province_prefecture_and_abolished(code: str, level: str) -> None:
    """PP0000 and PPCC00 are structurally valid 6-digit codes; abolished 110103 still passes the structure."""
    assert ids.validate_county_code(code) == code


@pytest.mark.parametrize(
    ("code", "expected"),
    [
        ("33012", "length"),
        ("3301221", "length"),
        ("", "length"),
        ("33O122", "charset"),
        ("33012٣", "charset"),
        ("710000", "province"),
        ("810000", "province"),
        ("100000", "province"),
        ("660000", "province"),
        ("330022", "prefecture_segment"),
        ("337100", "prefecture_segment"),
        ("339100", "prefecture_segment"),
    ],
)
def test_county_codes_invalid(code: str, expected: str) -> None:
    """Length, charset, non-mainland provinces and undefined prefecture segments are rejected."""
    assert error_code(ids.validate_county_code, code) == expected


@pytest.mark.parametrize(
    ("code", "level", "kind"),
    [
        ("330603107000", "township", "town"),
        ("441900003000", "township", "street"),
        ("330122000000", "county", None),
        ("330000000000", "county", None),
        ("441900000000", "county", None),
        ("330371001000", "township", "street"),
        ("330122201000", "township", "township"),
        ("330122400000", "township", "similar"),
    ],
)
def test_division_codes_valid(code: str, level: str, kind: str | None) -> None:
    """Worked 12-digit examples: levels, township kinds, cities without districts, NBS zones."""
    assert ids.validate_division_code(code) == code
    assert ids.division_level(code) == level
    if kind is None:
        assert error_code(ids.township_kind, code) == "level"
    else:
        assert ids.township_kind(code) == kind


@pytest.mark.parametrize(
    ("code", "expected"),
    [
        ("33060310700", "length"),
        ("33060310700a", "charset"),
        ("720603107000", "province"),
        ("330003107000", "prefecture_segment"),
        ("330000107000", "prefecture_segment"),
        ("337503107000", "prefecture_segment"),
        ("330603600000", "township_segment"),
        ("330603107600", "village_segment"),
        ("330603000201", "village_segment"),
    ],
)
def test_division_codes_invalid(code: str, expected: str) -> None:
    """Each structural rule of §1.3 reports its own code."""
    assert error_code(ids.validate_division_code, code) == expected


def test_division_code_error_order() -> None:
    """With several faults the first rule in the fixed order is reported."""
    assert error_code(ids.validate_division_code, "72x") == "length"
    assert error_code(ids.validate_division_code, "72060360060x") == "charset"
    assert error_code(ids.validate_division_code, "720003600600") == "province"
    assert error_code(ids.validate_division_code, "330603600600") == "township_segment"
    assert error_code(ids.validate_division_code, "330603107000", level="village", parent="330604") == "level"


@pytest.mark.parametrize(
    ("code", "vvv_kind"),
    [
        ("330603107001", "community"),
        ("330603107199", "community"),
        ("330603107200", "village"),
        ("330603107399", "village"),
        ("330603107400", "similar_community"),
        ("330603107498", "similar_community"),
        ("330603107500", "similar_village"),
        ("330603107598", "similar_village"),
    ],
)
def test_village_kind_by_range(code: str, vvv_kind: str) -> None:
    """VVV ranges map to the four village classes (names match regions.choices.VillageKind)."""
    assert ids.division_level(code) == "village"
    assert ids.village_kind(code) == vvv_kind


def test_village_kind_needs_a_village_code() -> None:
    """A township code has no village kind."""
    assert error_code(ids.village_kind, "330603107000") == "level"


@pytest.mark.parametrize(
    ("code", "default", "with_similar"),
    [
        ("330603107201", True, True),
        ("330603107399", True, True),
        ("330603107001", False, False),
        ("330603107401", False, False),
        ("330603107510", False, True),
        ("330603107498", False, False),
        ("330603107598", False, False),
        ("330603107000", False, False),
        ("not a code", False, False),
    ],
)
def test_pairable_village_codes(code: str, default: bool, with_similar: bool) -> None:
    """Only villagers' committees are pairable by default; virtual 498/598 never are."""
    assert ids.is_pairable_village_code(code) is default
    assert ids.is_pairable_village_code(code, include_similar=True) is with_similar


def test_virtual_village_codes() -> None:
    """498 and 598 are recognised as the NBS virtual placeholders."""
    assert ids.is_virtual_village_code("330603107498")
    assert ids.is_virtual_village_code("330603107598")
    assert not ids.is_virtual_village_code("330603107201")


@pytest.mark.parametrize(
    ("code", "level", "parent"),
    [
        ("330603107000", "township", "330603"),
        ("330603107000", "township", "330603000000"),
        ("441900003000", "township", "441900"),
        ("330603107201", "village", "330603107000"),
        ("330603107201", "village", "3306 0310 7000"),
        ("330122000000", "county", "330100"),
        ("330100000000", "county", "330000"),
    ],
)
def test_division_parent_matches(code: str, level: str, parent: str) -> None:
    """The direct parent (given as 6 or 12 digits, even un-normalized) is accepted."""
    assert ids.validate_division_code(code, level=level, parent=parent) == code  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("code", "parent"),
    [
        ("330603107000", "330602"),
        ("330603107201", "330603108000"),
        ("330603107201", "330603"),
        ("330603107201", "330603000000"),
        ("330603107000", "330603107000"),
        ("330122000000", "330000"),
        ("330000000000", "330000"),
        ("330603107000", "12345"),
    ],
)
def test_division_parent_mismatch(code: str, parent: str) -> None:
    """A wrong parent, a grandparent instead of the parent, or a malformed parent is parent_mismatch."""
    assert error_code(ids.validate_division_code, code, parent=parent) == "parent_mismatch"


def test_division_level_mismatch() -> None:
    """An expected level that differs from the code's own level is reported as level."""
    assert error_code(ids.validate_division_code, "330603107000", level="village") == "level"
    assert error_code(ids.validate_division_code, "330603107201", level="township") == "level"
    assert error_code(ids.validate_division_code, "330122000000", level="township") == "level"


def test_parent_code() -> None:
    """parent_code walks one step up the tree and stops at the province."""
    assert ids.parent_code("330603107201") == "330603107000"
    assert ids.parent_code("330603107000") == "330603"
    assert ids.parent_code("441900003000") == "441900"
    assert ids.parent_code("330603000000") == "330600"
    assert ids.parent_code("330600000000") == "330000"
    assert ids.parent_code("330000000000") is None


def test_urban_rural_codes() -> None:
    """Exactly the seven codes of 国函〔2008〕60号 are valid; anything else is rejected."""
    assert set(ids.URBAN_RURAL_CODES) == {"111", "112", "121", "122", "123", "210", "220"}
    for code in ids.URBAN_RURAL_CODES:
        assert ids.validate_urban_rural_code(code) == code
    assert ids.validate_urban_rural_code(" ２２０ ") == "220"
    assert error_code(ids.validate_urban_rural_code, "221") == "unknown"
    assert error_code(ids.validate_urban_rural_code, "22") == "length"
    assert error_code(ids.validate_urban_rural_code, "2A0") == "charset"


# ---------------------------------------------------------------------------
# Organization code
# ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("body", "check"), [("M000100Y", "4"), ("55138508", "2"), ("MA2GT8RK", "0"), ("MA2GT8RF", "X")]
)
def test_org_code_worked_examples(body: str, check: str) -> None:
    """The §3 table: full-alphabet letter values, 11 → 0 and 10 → X."""
    assert ids.org_code_check_char(body) == check
    assert ids.validate_org_code(f"{body}-{check}") == body + check


@pytest.mark.parametrize(
    ("code", "expected"),
    [("55138508", "length"), ("5513850#2", "charset"), ("55138508Y", "charset"), ("551385083", "check")],
)
def test_org_code_invalid(code: str, expected: str) -> None:
    """Wrong length, bad characters (the check is a digit or X) and a wrong check are rejected."""
    assert error_code(ids.validate_org_code, code) == expected


# ---------------------------------------------------------------------------
# Unified social credit code
# ---------------------------------------------------------------------------


def test_uscc_weights_and_standard_example() -> None:
    """Weights are 3^(i-1) mod 31 and the GB 32100 example computes S = 1640, check 3."""
    assert list(ids._USCC_WEIGHTS) == [1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28]
    assert ids.uscc_check_char("91350100M000100Y4") == "3"


@pytest.mark.parametrize(
    "code",
    [
        "91350100M000100Y43",
        "91110108551385082Q",
        "531000005000160090",
        "N2330122MA2GT8RK02",
        "91340111MA2RAD3M4R",
        "91440101MA5C44W11J",
        "92440300MA5EEY5XXT",
    ],
)
def test_uscc_valid_worked_examples(code: str) -> None:
    """Every valid USCC of IDENTIFIERS.md §2 passes, incl. S mod 31 = 0 and letter authorities."""
    assert ids.validate_uscc(code) == code


@pytest.mark.parametrize(
    ("code", "expected"),
    [
        ("91350100M000100Y4Z", "excluded_letter"),
        ("91350203M0001QKT19", "check"),
        ("123456789012345678", "org_check"),
        ("91350100M000100Y4", "length"),
        ("91350100M000100Y433", "length"),
        ("91350100M000100Y4#", "charset"),
        ("91350100M0001OOY43", "excluded_letter"),
        ("B1350100M000100Y43", "registration_authority"),
        ("94350100M000100Y43", "entity_type"),
        ("N4330122MA2GT8RK02", "entity_type"),
        ("91990100M000100Y43", "division"),
        ("91350B00M000100Y43", "division"),
        ("91007100M000100Y43", "division"),
        ("91350100M000100Y53", "org_check"),
        ("91350100M000100Y44", "check"),
    ],
)
def test_uscc_invalid(code: str, expected: str) -> None:
    """Invalid USCCs, incl. the standard's …Y4Z, the legacy Xiamen code and 123456789012345678."""
    assert error_code(ids.validate_uscc, code) == expected


def test_uscc_123456789012345678_passes_mod31_only() -> None:
    """The trap of §2: 123456789012345678 satisfies mod 31, only the embedded org code catches it."""
    assert ids.uscc_check_char("12345678901234567") == "8"
    assert error_code(ids.validate_uscc, "123456789012345678") == "org_check"


def test_uscc_error_order() -> None:
    """The first failing rule is reported: length, charset, excluded letter, authority, type, division, checks."""
    assert error_code(ids.validate_uscc, "BI#") == "length"
    assert error_code(ids.validate_uscc, "BI#50100M000100Y43") == "charset"
    assert error_code(ids.validate_uscc, "BI350100M000100Y43") == "excluded_letter"
    assert error_code(ids.validate_uscc, "B4990100M000100YA3") == "registration_authority"
    assert error_code(ids.validate_uscc, "94990100M000100YA3") == "entity_type"
    assert error_code(ids.validate_uscc, "91990100M000100YA3") == "division"
    assert error_code(ids.validate_uscc, "91350100M000100YA3") == "org_check"


def test_uscc_normalizes_pasted_input() -> None:
    """Spaces, full-width characters, dashes and lower case are normalized before validation."""
    assert ids.validate_uscc("9111 0108 5513 8508 2q") == "91110108551385082Q"
    assert ids.validate_uscc(full_width("91110108551385082q")) == "91110108551385082Q"
    assert ids.validate_uscc("n2330122-ma2gt8rk0-2") == "N2330122MA2GT8RK02"


def test_uscc_resident_id_is_caught_by_structure() -> None:
    """An 18-digit resident ID number is not a USCC: the authority/type table or division catches it."""
    assert error_code(ids.validate_uscc, "11010519491231002X") == "division"
    assert error_code(ids.validate_uscc, "33012219880315051X") == "division"
    assert error_code(ids.validate_uscc, "44052418800101001" + "4") == "entity_type"


def test_describe_uscc() -> None:
    """describe_uscc splits a code into authority, entity type, division and organization code."""
    info = ids.describe_uscc("9111 0108 5513 8508 2Q")
    assert info.code == "91110108551385082Q"
    assert (info.authority_code, info.authority_name) == ("9", "工商（市场监管）")
    assert (info.entity_type_code, info.entity_type_name) == ("1", "企业")
    assert info.division_code == "110108"
    assert not info.is_national_authority
    assert info.org_code == "551385082"
    assert info.org_code_display == "55138508-2"
    national = ids.describe_uscc("531000005000160090")
    assert national.is_national_authority
    assert national.entity_type_name == "基金会"
    assert ids.describe_uscc("N2330122MA2GT8RK02").entity_type_name == "村级集体经济组织"


def test_make_uscc_reproduces_worked_examples() -> None:
    """make_uscc computes both check characters of known codes."""
    assert ids.make_uscc("91", "110108", "55138508") == "91110108551385082Q"
    assert ids.make_uscc("N2", "330122", "MA2GT8RK") == "N2330122MA2GT8RK02"
    assert ids.make_uscc("53", "100000", "50001600") == "531000005000160090"
    assert ids.make_uscc("91", "350100", "M000100Y") == "91350100M000100Y43"


@pytest.mark.parametrize(
    ("args", "expected"),
    [
        (("9", "330122", "MA2GT8RK"), "length"),
        (("B1", "330122", "MA2GT8RK"), "registration_authority"),
        (("94", "330122", "MA2GT8RK"), "entity_type"),
        (("91", "990122", "MA2GT8RK"), "division"),
        (("91", "33012", "MA2GT8RK"), "length"),
        (("91", "330122", "MA2GT8R"), "length"),
        (("91", "330122", "MA2GT8RI"), "excluded_letter"),
        (("91", "330122", "MA2GT8R#"), "charset"),
    ],
)
def test_make_uscc_rejects_bad_parts(args: tuple[str, str, str], expected: str) -> None:
    """make_uscc refuses parts that could never form a valid code."""
    assert error_code(ids.make_uscc, *args) == expected


@given(authority_types, division6, org_bodies)
def test_make_uscc_always_validates(authority_type: str, division: str, body: str) -> None:
    """Any allowed authority/type, structurally valid division and body gives a valid USCC."""
    code = ids.make_uscc(authority_type, division, body)
    assert ids.validate_uscc(code) == code
    assert code.startswith(authority_type + division + body)


@given(valid_usccs, st.integers(0, 17), st.sampled_from(FULL_ALPHABET))
def test_uscc_single_substitution_is_rejected(code: str, position: int, char: str) -> None:
    """Replacing any one character of a valid USCC by a different character is always detected."""
    if code[position] == char:
        return
    changed = code[:position] + char + code[position + 1 :]
    with pytest.raises(IdentifierError):
        ids.validate_uscc(changed)


# ---------------------------------------------------------------------------
# Resident ID number
# ---------------------------------------------------------------------------


def test_resident_id_weights() -> None:
    """Weights are 2^(18-i) mod 11 as listed in §4."""
    assert list(ids._ID_WEIGHTS) == [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2]


@pytest.mark.parametrize("code", ["11010519491231002X", "33012219880315051X"])
def test_resident_id_worked_examples_valid(code: str) -> None:
    """The GB 11643 Annex A example and the synthetic example validate; lower-case x is accepted."""
    assert ids.validate_resident_id(code) == code
    assert ids.validate_resident_id(code.lower()) == code


def test_resident_id_born_1880_depends_on_floor() -> None:
    """440524188001010014 has a correct check but is before the 1900 floor; a lower floor accepts it."""
    assert ids.resident_id_check_char("44052418800101001") == "4"
    assert error_code(ids.validate_resident_id, "440524188001010014") == "birth_date_range"
    assert ids.validate_resident_id("440524188001010014", min_birth_date=date(1800, 1, 1)) == "440524188001010014"


@pytest.mark.parametrize(
    ("code", "expected"),
    [
        ("110105491231002", "legacy_15"),
        ("11010519491231002", "length"),
        ("1101051949123100X2", "charset"),
        ("11010519491231002Y", "charset"),
        ("91010519491231002X", "address_code"),
        ("71010519491231002X", "address_code"),
        ("01010519491231002X", "address_code"),
        ("110105194912320029", "birth_date"),
        ("110105190002290029", "birth_date"),
        ("110105000001010029", "birth_date"),
        ("110105189912310029", "birth_date_range"),
        ("110105194912310029", "check"),
    ],
)
def test_resident_id_invalid(code: str, expected: str) -> None:
    """Legacy numbers, bad prefixes (incl. 9 = foreign permanent residence), bad dates and checks."""
    assert error_code(ids.validate_resident_id, code) == expected


def test_resident_id_future_birth_date() -> None:
    """A birth date after ``today`` is birth_date_future, reported before the check digit."""
    code = make_resident_id("330122", date(2024, 6, 1), "051")
    assert ids.validate_resident_id(code, today=date(2024, 6, 1)) == code
    assert error_code(ids.validate_resident_id, code, today=date(2024, 5, 31)) == "birth_date_future"
    wrong_check = code[:17] + ("0" if code[17] != "0" else "1")
    assert error_code(ids.validate_resident_id, wrong_check, today=date(2024, 5, 31)) == "birth_date_future"


def test_resident_id_leap_days_and_permits() -> None:
    """2000-02-29 is real, 1900-02-29 is not; 81/82/83 residence-permit prefixes are accepted."""
    assert ids.validate_resident_id(make_resident_id("330122", date(2000, 2, 29), "123"))
    assert error_code(ids.validate_resident_id, "33012219000229123" + "0") == "birth_date"
    for prefix in ("810000", "820000", "830000"):
        code = make_resident_id(prefix, date(1990, 1, 1), "001")
        assert ids.validate_resident_id(code) == code


def test_resident_id_derived_values_and_mask() -> None:
    """Birth date and gender come from the number; display masks the birth date."""
    assert ids.resident_id_birth_date("33012219880315051X") == date(1988, 3, 15)
    assert ids.resident_id_gender("33012219880315051X") == "male"
    assert ids.resident_id_gender("11010519491231002X") == "female"
    assert ids.mask_resident_id("33012219880315051x") == "330122********051X"
    assert ids.mask_resident_id("110105491231002") == "110105******002"
    assert ids.mask_resident_id("12345678") == "****5678"
    assert ids.mask_resident_id("123") == "***"


def test_resident_id_errors_do_not_leak_the_number() -> None:
    """Error params never contain the ID number or its birth date."""
    for code in ["110105194912310029", "110105194912320029", "91010519491231002X", "110105189912310029"]:
        with pytest.raises(IdentifierError) as info:
            ids.validate_resident_id(code)
        assert "19491231" not in repr(info.value.params)
        assert code not in repr(info.value.params)


def test_upgrade_resident_id_15() -> None:
    """A 15-digit number becomes 18 digits by inserting 19 and computing the check."""
    assert ids.upgrade_resident_id_15("110105491231002") == "11010519491231002X"
    assert error_code(ids.upgrade_resident_id_15, "11010549123100") == "length"


@given(valid_resident_ids)
def test_generated_resident_ids_validate(code: str) -> None:
    """Numbers built with resident_id_check_char validate and keep their birth date."""
    assert ids.validate_resident_id(code) == code
    assert ids.resident_id_birth_date(code).strftime("%Y%m%d") == code[6:14]


@given(valid_resident_ids, st.integers(0, 17), st.sampled_from("0123456789X"))
def test_resident_id_single_substitution_is_rejected(code: str, position: int, char: str) -> None:
    """Replacing any one character of a valid ID number by a different digit or X is detected."""
    if code[position] == char:
        return
    changed = code[:position] + char + code[position + 1 :]
    with pytest.raises(IdentifierError):
        ids.validate_resident_id(changed)


@given(valid_resident_ids, st.integers(0, 15))
def test_resident_id_adjacent_transposition_is_rejected(code: str, position: int) -> None:
    """Swapping two different adjacent digits among the first 17 is detected (MOD 11-2 property)."""
    a, b = code[position], code[position + 1]
    if a == b:
        return
    swapped = code[:position] + b + a + code[position + 2 :]
    with pytest.raises(IdentifierError):
        ids.validate_resident_id(swapped, today=date.today() + timedelta(days=36_500))


# ---------------------------------------------------------------------------
# Mobile numbers
# ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    "raw",
    [
        "13800138000",
        "138 0013 8000",
        "138-0013-8000",
        "+86 138 0013 8000",
        "+8613800138000",
        "0086 13800138000",
        "8613800138000",
        "１３８００１３８０００",
        "＋８６　１３８　００１３　８０００",
    ],
)
def test_mobile_valid_forms(raw: str) -> None:
    """Spaces, hyphens, full-width digits and one country prefix are normalized away."""
    assert ids.validate_mobile(raw) == "13800138000"
    assert ids.format_mobile(raw) == "138 0013 8000"


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("(+86) 13800138000", "format"),
        ("（０５７１）１３８００１３８０００", "format"),
        ("1380013800", "length"),
        ("86138001380001", "length"),
        ("+1 555 123 4567", "length"),
        ("1380013800a", "charset"),
        ("01012345678", "prefix"),
        ("12800138000", "prefix"),
        ("86123456789", "prefix"),
    ],
)
def test_mobile_invalid(raw: str, expected: str) -> None:
    """Parentheses, wrong length, letters, landlines and 10/11/12 prefixes are rejected."""
    assert error_code(ids.validate_mobile, raw) == expected


@pytest.mark.parametrize("prefix", ["13", "14", "15", "16", "17", "18", "19"])
def test_mobile_pragmatic_rule_accepts_all_second_digits(prefix: str) -> None:
    """The pragmatic rule accepts every 1[3-9] series, so new MIIT prefixes keep working."""
    assert ids.validate_mobile(prefix + "912345678") == prefix + "912345678"

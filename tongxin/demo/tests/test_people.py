"""The demo's people have personal names, as the letters that name them need."""

from __future__ import annotations

import re

from tongxin.demo.campaign import NAMES, cadre_name
from tongxin.demo.loader import DEMO_PEOPLE
from tongxin.demo.names import SURNAMES

PERSONAL_NAME = re.compile(r"^[\u4e00-\u9fff]{2,3}$")
# Words that say what a person does, not who they are ("兹聘请联络员同志").
ROLE_WORDS = ("联络员", "干部", "联系人", "管理员", "委员", "统战部", "镇", "乡", "村", "（")


def assert_personal_name(name: str) -> None:
    assert PERSONAL_NAME.match(name), name
    assert name[0] in {surname for surname, _ in SURNAMES}, name
    assert not any(word in name for word in ROLE_WORDS), name


def test_every_demo_login_has_a_personal_name() -> None:
    """Each login that seed_demo creates (the liaison officers among them, whom the 聘书 and
    责任书 name) has a fictional Chinese personal name, each a different one."""
    assert set(DEMO_PEOPLE) == {
        "county_admin",
        "county_staff",
        "township_staff",
        "liaison",
        "enterprise",
        "village",
        "reviewer",
        "province_staff",
        "liaison_township",
        "cadre_officer",
        "editor",
        "publisher",
        "association_staff",
    }
    names = [*DEMO_PEOPLE.values(), *NAMES]
    for name in names:
        assert_personal_name(name)
    assert len(set(names)) == len(names)


def test_township_cadres_have_personal_names() -> None:
    """The login-less cadres who give each township's review are named like people, the
    same name for the same township on every run, a different one for each township."""
    names = [cadre_name(n) for n in range(1, 16)]
    for name in names:
        assert_personal_name(name)
    assert len(set(names)) == len(names)
    assert names == [cadre_name(n) for n in range(1, 16)]

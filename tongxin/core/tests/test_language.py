"""Languages: one request's language never reaches another person's page; lists are
joined as the language joins them; English labels are written in sentence case."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import translation

from tongxin.accounts.choices import Role
from tongxin.core.formatting import join_list
from tongxin.core.templatetags.tongxin import capability_labels
from tongxin.testing.pairing import PairingWorld
from tongxin.testing.pending_locale import PENDING, parse_po

LOCALE = Path(__file__).resolve().parents[3] / "locale"


def _client(person: object, language: str) -> Client:
    client = Client()
    client.cookies["django_language"] = language
    client.force_login(person)  # type: ignore[arg-type]
    return client


# (page, what the English page shows, what the Chinese page shows in its place)
PAGES = [
    ("core:home", ("Waiting for you", "Dashboard"), ("我的待办", "工作台")),
    # table headers, filter labels, the filter form's button, choices (a pair's status)
    ("pairing:pair_list", ("Status", "Filter", "Approved"), ("状态", "筛选", "已批准")),
    ("regions:village_list", ("Township", "Clear"), ("乡镇", "清空")),
]


@pytest.mark.django_db
def test_language_of_one_request_never_reaches_another(pworld: PairingWorld) -> None:
    """In one thread: county staff read every page in English, township staff then in
    Chinese, county staff again in English — each page in its reader's language only:
    labels, table headers, filter labels, choices, the inbox's labels and the detail
    page's field names (nothing translated is kept at module or class level)."""
    w = pworld.world
    english = _client(w.users[Role.COUNTY_STAFF], "en")
    chinese = _client(w.users[Role.TOWNSHIP_STAFF], "zh-hans")
    detail = ("regions:village_detail", w.village.pk)
    for round_ in range(2):
        for client, own, other in ((english, 1, 2), (chinese, 2, 1)):
            for name, *texts in PAGES:
                body = client.get(reverse(name)).content.decode()
                for shown, hidden in zip(texts[own - 1], texts[other - 1], strict=True):
                    assert shown in body, (round_, name, shown)
                    assert f">{hidden}<" not in body, (round_, name, hidden)
            body = client.get(reverse(detail[0], args=[detail[1]])).content.decode()
            if own == 1:
                assert "Population" in body and "Survey history" in body and "调研记录" not in body
            else:
                assert "人口" in body and "调研记录" in body and "Survey history" not in body
    # The pages leave no language behind in the thread.
    assert translation.get_language() == "zh-hans"


def test_join_list_follows_the_language() -> None:
    """Lists read 分水镇、横村镇 in Chinese and "Fenshui, Hengcun" in English; needs and
    advantages too."""
    with translation.override("zh-hans"):
        assert join_list(["分水镇", "横村镇"]) == "分水镇、横村镇"
        assert capability_labels(["industry", "marketing"]).count("、") == 1
    with translation.override("en"):
        assert join_list(["Fenshui", "Hengcun"]) == "Fenshui, Hengcun"
        assert join_list([]) == ""
        assert capability_labels(["industry", "marketing"]) == "Industry development, Market access and sales"


# Words written with a capital inside an English sentence: names, acronyms, file types.
PROPER = {
    "Tongxin", "Excel", "PostgreSQL", "SQLite", "Chinese", "English", "Asia", "Shanghai", "Redis",
    "Wang", "Fang", "Example", "Tea", "Co.", "Road", "Ltd.", "OpenAPI", "Swagger", "Zhejiang",
}  # fmt: skip
# Official English names, capitalised as their owners write them: the eight democratic
# parties (tongxin/cadres/choices.py).
PROPER_NAMES = {
    "Revolutionary Committee of the Kuomintang", "China Democratic League",
    "China National Democratic Construction Association", "China Association for Promoting Democracy",
    "Chinese Peasants' and Workers' Democratic Party", "China Zhi Gong Party", "Jiusan Society",
    "Taiwan Democratic Self-Government League",
    # Places and currencies of the investment platform (tongxin/platforms/choices.py).
    "Hong Kong", "Hong Kong dollar", "New Taiwan dollar",
}  # fmt: skip


def _title_case_words(message: str) -> list[str]:
    """Capitalised words after the first of each sentence that are not names or acronyms."""
    found = []
    for sentence in re.split(r"[.:!?;]\s+|[(“\"'«]", message):
        words = re.findall(r"[A-Za-z][\w'./-]*", sentence)
        found += [w for w in words[1:] if w[0].isupper() and not w.isupper() and w not in PROPER]
    return found


def test_english_labels_are_sentence_case() -> None:
    """Every message of the catalogue (the English is the message itself; ``locale/en``
    overrides nothing) is written in sentence case: "Review queue", not "Review Queue".
    The industry sections (a letter and the section's name) are the one listed form."""
    messages = set(parse_po(LOCALE / "zh_Hans" / "LC_MESSAGES" / "django.po"))
    for pending in PENDING.glob("*.po") if PENDING.exists() else ():
        messages |= set(parse_po(pending))
    offenders = {
        m: words
        for m in messages
        if (words := _title_case_words(m.split("\x04")[-1]))
        and not re.match(r"^[A-Z] [A-Z]", m)
        and m.split("\x04")[-1] not in PROPER_NAMES
    }
    assert not offenders, offenders
    overrides = parse_po(LOCALE / "en" / "LC_MESSAGES" / "django.po")
    assert not {m: t for m, t in overrides.items() if t and _title_case_words(t)}

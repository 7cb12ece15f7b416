"""A match run's proposals: filtered on the page, exported to Excel with Chinese headers,
fit on a 0–100 scale; and the "why (not) this pair" page comparing the candidates."""

from __future__ import annotations

import io
from typing import Any
from urllib.parse import unquote

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from tongxin.accounts.choices import Role
from tongxin.pairing.models import MatchRun, Pair
from tongxin.testing import factories
from tongxin.testing.pairing import PairingWorld, logged_in
from tongxin.testing.sheets import table_rows

pytestmark = pytest.mark.usefixtures("chinese")


def _run(pworld: PairingWorld) -> MatchRun:
    return pworld.campaign.match_runs.get()


def _listed(response: Any) -> set[int]:
    return {pair.pk for pair in response.context["proposals"]}


@pytest.mark.django_db
def test_run_page_filters_proposals(pworld: PairingWorld) -> None:
    """Township, status, fit range (0–100) and text choose the proposals listed; a fit
    outside 0–100 is a 400 that names the field."""
    world = pworld.world
    run = _run(pworld)
    client = logged_in(world.users[Role.COUNTY_ADMIN])
    url = run.get_absolute_url()
    everything = client.get(url)
    assert _listed(everything) == {pworld.pair.pk, pworld.pair_b.pk}
    page = everything.content.decode()
    assert "匹配度（0–100）" in page and 'data-testid="run-export"' in page
    assert _listed(client.get(url, {"township": world.township_b.pk})) == {pworld.pair_b.pk}
    assert _listed(client.get(url, {"q": world.enterprise.name})) == {pworld.pair.pk}
    assert _listed(client.get(url, {"status": "approved"})) == {pworld.pair.pk, pworld.pair_b.pk}
    assert _listed(client.get(url, {"status": "returned"})) == set()
    points = pworld.pair.fit_score * 100
    Pair.objects.filter(pk=pworld.pair_b.pk).update(fit_score=pworld.pair.fit_score / 2)
    assert _listed(client.get(url, {"score_min": int(points) - 1})) == {pworld.pair.pk}
    assert _listed(client.get(url, {"score_max": int(points) - 1})) == {pworld.pair_b.pk}
    bad = client.get(url, {"score_min": "150"})
    assert bad.status_code == 400 and 'data-testid="filter-error"' in bad.content.decode()


@pytest.mark.django_db
def test_run_export_has_chinese_headers_and_the_filters(pworld: PairingWorld) -> None:
    """The export has Chinese headers with units, fit on 0–100, only the filtered rows the
    person may export, and a Chinese file name."""
    world = pworld.world
    run = _run(pworld)
    url = reverse("pairing:matchrun_export", args=[run.pk])
    response = logged_in(world.users[Role.COUNTY_STAFF]).get(url, {"township": world.township.pk})
    assert response.status_code == 200
    disposition = unquote(response["Content-Disposition"])
    assert f"第{run.pk}次匹配建议结对_{pworld.campaign.name}" in disposition and disposition.endswith(".xlsx")
    content = b"".join(response.streaming_content)  # type: ignore[attr-defined]
    sheet = load_workbook(io.BytesIO(content)).active
    header, *rows = table_rows(sheet)
    assert list(header) == [
        "企业",
        "村",
        "乡镇",
        "状态",
        "匹配度（0–100）",
        "满足需求",
        "契合的优势",
        "距离（公里）",
        "匹配说明",
    ]
    assert len(rows) == 1 and rows[0][0] == world.enterprise.name
    assert rows[0][4] == round(pworld.pair.fit_score * 100, 1)
    township = logged_in(world.users[Role.TOWNSHIP_STAFF]).get(url)
    sheet = load_workbook(io.BytesIO(b"".join(township.streaming_content))).active  # type: ignore[attr-defined]
    assert [row[0] for row in table_rows(sheet)[1:]] == [world.enterprise.name]  # their township only
    assert logged_in(world.users[Role.COUNTY_STAFF]).get(url, {"score_max": "x"}).status_code == 400


@pytest.mark.django_db
def test_run_pages_out_of_scope_are_404(pworld: PairingWorld) -> None:
    """Another county's administrator and a contact (who sees no run) get 404 on the run's
    page and its export."""
    world = pworld.world
    run = _run(pworld)
    far = factories.user("far_admin", Role.COUNTY_ADMIN, county=world.county2)
    for user in (far, world.users[Role.ENTERPRISE_CONTACT]):
        client = logged_in(user)
        assert client.get(run.get_absolute_url()).status_code == 404
        assert client.get(reverse("pairing:matchrun_export", args=[run.pk])).status_code == 404


@pytest.mark.django_db
def test_why_page_compares_the_pair_with_each_partys_partner(pworld: PairingWorld) -> None:
    """Asked about enterprise A with village B, staff see side by side the pair asked about
    and the current pair of each party, with the rank on each side, fit on 0–100 and the
    distance, and links to the run and the pairs."""
    world = pworld.world
    run = _run(pworld)
    url = reverse("pairing:campaign_why", args=[pworld.campaign.pk])
    query = {"enterprise": world.enterprise.pk, "village": world.village_b.pk}
    response = logged_in(world.users[Role.COUNTY_STAFF]).get(url, query)
    assert response.status_code == 200
    asked, e_partner, v_partner = response.context["candidates"]
    assert asked.pair is None and (asked.enterprise_rank, asked.village_rank) == (0, 0)  # neither ranked the other
    assert e_partner.pair == pworld.pair and (e_partner.enterprise_rank, e_partner.village_rank) == (1, 1)
    assert v_partner.pair == pworld.pair_b
    assert all(c.fit is not None and 0 <= c.fit.total <= 100 for c in (asked, e_partner, v_partner))
    page = response.content.decode()
    assert "本组结对" in page and "该企业的结对村" in page and "该村的结对企业" in page and "第 1 位" in page
    assert run.get_absolute_url() in page and pworld.pair.get_absolute_url() in page
    assert "匹配度（0–100）" in page


@pytest.mark.django_db
def test_why_page_shows_a_contact_only_what_they_may_know(pworld: PairingWorld) -> None:
    """The enterprise's contact sees their own pair beside the one asked about, never the
    other enterprise's pair with the village (not theirs to view) nor its ranks."""
    world = pworld.world
    url = reverse("pairing:campaign_why", args=[pworld.campaign.pk])
    query = {"enterprise": world.enterprise.pk, "village": world.village_b.pk}
    response = logged_in(world.users[Role.ENTERPRISE_CONTACT]).get(url, query)
    candidates = response.context["candidates"]
    assert [c.pair for c in candidates] == [None, pworld.pair]
    assert world.enterprise_b.name not in response.content.decode()
    assert 'data-testid="run-link"' not in response.content.decode()  # a contact sees no run
    far = factories.user("far_staff", Role.COUNTY_STAFF, county=world.county2)
    assert logged_in(far).get(url, query).status_code == 404

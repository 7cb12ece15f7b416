"""The API of bodies, posts, staffing rules and reserve stages: the same policy as the
pages (cadre officers of the county read and write; out of scope 404; nobody else sees a
row), the same rules (a holder of the body's county, stages in order), in the schema."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest
from rest_framework.test import APIClient

from tongxin.accounts.choices import Role
from tongxin.cadres.models import Body, Post, StaffingRule, StageRecord
from tongxin.testing import cadres
from tongxin.testing.factories import World


def _api(world: World, role: str) -> APIClient:
    client = APIClient()
    client.force_authenticate(world.users[role])
    return client


@pytest.fixture
def rows(world: World) -> dict[str, Any]:
    holder = cadres.person(world.county, "王晓明")
    own = cadres.body(world.county, township=world.township, name="分水镇班子")
    foreign = cadres.body(world.county2, township=world.township2, name="东山街道班子")
    return {
        "holder": holder,
        "body": own,
        "foreign_body": foreign,
        "post": cadres.post(own, holder),
        "foreign_post": cadres.post(foreign, cadres.person(world.county2)),
        "rule": cadres.rule(world.county),
        "foreign_rule": cadres.rule(world.county2),
        "stage": cadres.stage(holder),
    }


@pytest.mark.django_db
def test_officer_reads_and_writes_their_county(world: World, rows: dict[str, Any]) -> None:
    api = _api(world, Role.CADRE_OFFICER)
    for resource, own, foreign in (
        ("bodies", "body", "foreign_body"),
        ("posts", "post", "foreign_post"),
        ("rules", "rule", "foreign_rule"),
    ):
        listed = {r["id"] for r in api.get(f"/api/cadres/{resource}/").json()["results"]}
        assert listed == {rows[own].pk}, resource
        assert api.get(f"/api/cadres/{resource}/{rows[own].pk}/").status_code == 200
        assert api.get(f"/api/cadres/{resource}/{rows[foreign].pk}/").status_code == 404
        assert api.patch(f"/api/cadres/{resource}/{rows[foreign].pk}/", {"version": 1}).status_code == 404
    created = api.post(
        "/api/cadres/bodies/",
        {"name": "县科技局", "kind": "department", "county": world.county.pk, "area": "信息技术"},
        format="json",
    )
    assert created.status_code == 201, created.json()
    body = Body.objects.get(pk=created.json()["id"])
    post = api.post(
        "/api/cadres/posts/",
        {"body": body.pk, "title": "科长", "role": "section_chief", "person": rows["holder"].pk, "start": "2026-01-01"},
        format="json",
    )
    assert post.status_code == 201, post.json()
    rule = api.post(
        "/api/cadres/rules/",
        {
            "name": "至少一个部门", "county": world.county.pk, "body_kind": "department", "mode": "bodies",
            "minimum": 1, "post_role": "section_chief", "source_document": "测试", "source_date": "2026-01-01",
        },
        format="json",
    )  # fmt: skip
    assert rule.status_code == 201, rule.json()
    changed = api.patch(f"/api/cadres/rules/{rule.json()['id']}/", {"minimum": 2, "version": 1}, format="json")
    assert changed.status_code == 200 and StaffingRule.objects.get(pk=rule.json()["id"]).minimum == 2
    assert api.delete(f"/api/cadres/posts/{post.json()['id']}/").status_code == 204
    assert not Post.objects.filter(pk=post.json()["id"]).exists()


@pytest.mark.django_db
def test_the_models_rules_hold_in_the_api(world: World, rows: dict[str, Any]) -> None:
    """A holder from another county's files, a rule asking for none, a body in another
    county: 400, nothing written."""
    api = _api(world, Role.CADRE_OFFICER)
    stranger = cadres.person(world.county2)
    assert (
        api.post(
            "/api/cadres/posts/",
            {"body": rows["body"].pk, "title": "副职", "role": "deputy", "person": stranger.pk},
            format="json",
        ).status_code
        == 400
    )
    bad_rule = {"name": "x", "county": world.county.pk, "body_kind": "court", "minimum": 0,
                "source_document": "x", "source_date": "2026-01-01"}  # fmt: skip
    assert api.post("/api/cadres/rules/", bad_rule, format="json").status_code == 400
    foreign = {"name": "x", "kind": "court", "county": world.county2.pk}
    assert api.post("/api/cadres/bodies/", foreign, format="json").status_code == 400
    assert Body.objects.count() == 2 and StaffingRule.objects.count() == 2


@pytest.mark.django_db
def test_reserve_stages_through_the_pipeline(world: World, rows: dict[str, Any]) -> None:
    """Stages are listed per person; a new one goes through the pipeline's service (the
    next stage only); another county's person is refused."""
    api = _api(world, Role.CADRE_OFFICER)
    holder = rows["holder"]
    listed = api.get("/api/cadres/stages/", {"person": holder.pk}).json()["results"]
    assert [(r["person"], r["stage"]) for r in listed] == [(holder.pk, "found")]
    skipped = {"person": holder.pk, "stage": "pool", "date": "2026-02-01"}
    assert api.post("/api/cadres/stages/", skipped, format="json").status_code == 400
    ok = api.post(
        "/api/cadres/stages/", {"person": holder.pk, "stage": "inspected", "date": "2026-02-01"}, format="json"
    )
    assert ok.status_code == 201, ok.json()
    foreign = cadres.person(world.county2)
    refused = {"person": foreign.pk, "stage": "found", "date": "2026-02-01"}
    assert api.post("/api/cadres/stages/", refused, format="json").status_code == 400
    assert StageRecord.objects.filter(person=holder).count() == 2
    assert not StageRecord.objects.filter(person=foreign).exists()
    assert api.get(f"/api/cadres/stages/{rows['stage'].pk}/").status_code == 200
    assert api.delete(f"/api/cadres/stages/{rows['stage'].pk}/").status_code == 405


@pytest.mark.django_db
def test_nobody_else_sees_a_row(world: World, rows: dict[str, Any]) -> None:
    """Every other role: empty lists, 404 for every row, writes refused."""
    for role in Role:
        if role == Role.CADRE_OFFICER:
            continue
        api = _api(world, role)
        for resource, key in (("bodies", "body"), ("posts", "post"), ("rules", "rule"), ("stages", "stage")):
            assert api.get(f"/api/cadres/{resource}/").json()["results"] == [], (role, resource)
            assert api.get(f"/api/cadres/{resource}/{rows[key].pk}/").status_code == 404
        body = {"name": "x", "kind": "court", "county": world.county.pk}
        assert api.post("/api/cadres/bodies/", body, format="json").status_code in (400, 403, 404)
        stage = {"person": rows["holder"].pk, "stage": "inspected", "date": date(2026, 2, 1).isoformat()}
        assert api.post("/api/cadres/stages/", stage, format="json").status_code in (400, 404)
    assert Body.objects.count() == 2 and StageRecord.objects.count() == 1


def test_documented_in_the_schema() -> None:
    """The cadre routes are in the OpenAPI schema (generated for them alone)."""
    from drf_spectacular.generators import SchemaGenerator

    from tongxin.api_urls import router

    patterns = [p for p in router.urls if str(p.pattern).startswith("^cadres/")]
    schema = SchemaGenerator(patterns=patterns).get_schema(request=None, public=True)
    for path in ("/cadres/bodies/", "/cadres/posts/{id}/", "/cadres/rules/", "/cadres/stages/"):
        assert path in schema["paths"], (path, sorted(schema["paths"]))
    assert "post" in schema["paths"]["/cadres/stages/"] and "delete" not in schema["paths"]["/cadres/stages/{id}/"]

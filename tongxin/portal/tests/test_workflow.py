"""The editorial workflow: separation of duties on every path (service, page, API, admin),
scheduled publishing, unpublishing with a reason, returns, revisions kept and restored."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from rest_framework.test import APIClient

from tongxin.accounts.choices import Role
from tongxin.core.exceptions import WorkflowError
from tongxin.portal.choices import ArticleStatus
from tongxin.portal.models import Article
from tongxin.portal.services import (
    article_publish,
    article_return,
    article_submit,
    article_unpublish,
    writers,
)
from tongxin.testing.factories import World, hat, user
from tongxin.testing.portal import article


@pytest.fixture
def both_hats(world: World) -> Any:
    """One person who is editor and publisher of the county (the case the rule is for)."""
    person = user("both1", Role.EDITOR, county=world.county)
    hat(person, Role.PUBLISHER, world.county)
    person.is_staff = True
    person.save()
    return person


@pytest.fixture
def in_review(world: World, both_hats: Any) -> Article:
    obj = article(world.county, writer=both_hats)
    return article_submit(article=obj, user=both_hats)


def _status(obj: Article) -> str:
    return str(Article.objects.get(pk=obj.pk).status)


@pytest.mark.django_db
def test_the_writer_never_publishes_in_the_service(world: World, both_hats: Any, in_review: Article) -> None:
    """Whoever wrote, sent for review or saved a revision cannot publish; another publisher can."""
    with pytest.raises(WorkflowError) as refused:
        article_publish(article=in_review, user=both_hats)
    assert refused.value.code == "separation"
    publisher = world.users[Role.PUBLISHER]
    assert both_hats.pk in writers(in_review) and publisher.pk not in writers(in_review)
    done = article_publish(article=in_review, user=publisher)
    assert done.status == ArticleStatus.PUBLISHED and done.published_by == publisher and done.live


@pytest.mark.django_db
def test_the_writer_never_publishes_on_the_page(world: World, both_hats: Any, in_review: Article) -> None:
    client = Client()
    client.force_login(both_hats)
    url = reverse("editorial:article_action", args=[in_review.pk, "publish"])
    detail = client.get(in_review.get_absolute_url())
    assert 'data-testid="action-publish"' not in detail.content.decode()
    assert 'data-testid="publish-refused"' in detail.content.decode()
    response = client.post(url, {}, follow=True)
    assert _status(in_review) == ArticleStatus.REVIEW
    assert "someone else must publish" in response.content.decode() or "其他人" in response.content.decode()
    other = Client()
    other.force_login(world.users[Role.PUBLISHER])
    assert other.post(url, {}).status_code == 302
    assert _status(in_review) == ArticleStatus.PUBLISHED


@pytest.mark.django_db
def test_the_writer_never_publishes_through_the_api(world: World, both_hats: Any, in_review: Article) -> None:
    api = APIClient()
    api.force_authenticate(both_hats)
    url = f"/api/portal/articles/{in_review.pk}/publish/"
    response = api.post(url, {}, format="json")
    assert response.status_code == 400 and response.json()["code"] == "separation"
    editor = APIClient()
    editor.force_authenticate(world.users[Role.EDITOR])
    assert editor.post(url, {}, format="json").status_code == 403  # sees it, may not publish
    publisher = APIClient()
    publisher.force_authenticate(world.users[Role.PUBLISHER])
    response = publisher.post(url, {}, format="json")
    assert response.status_code == 200 and response.json()["status"] == "published"


@pytest.mark.django_db
def test_the_writer_never_publishes_in_the_admin(world: World, both_hats: Any, in_review: Article) -> None:
    client = Client()
    client.force_login(both_hats)
    url = reverse("admin:portal_article_changelist")
    data = {"action": "publish_selected", "_selected_action": [in_review.pk]}
    response = client.post(url, data, follow=True)
    assert response.status_code == 200
    assert _status(in_review) == ArticleStatus.REVIEW
    publisher = world.users[Role.PUBLISHER]
    publisher.is_staff = True
    publisher.save()
    other = Client()
    other.force_login(publisher)
    other.post(url, data)
    assert _status(in_review) == ArticleStatus.PUBLISHED


@pytest.mark.django_db
def test_status_never_changes_by_editing(world: World) -> None:
    """The API and the form cannot set the status: only the services move it."""
    editor = world.users[Role.EDITOR]
    obj = article(world.county, writer=editor)
    api = APIClient()
    api.force_authenticate(editor)
    response = api.patch(
        f"/api/portal/articles/{obj.pk}/", {"status": "published", "version": obj.version}, format="json"
    )
    assert response.status_code == 200
    assert _status(obj) == ArticleStatus.DRAFT


@pytest.mark.django_db
def test_scheduled_publishing(world: World, django_capture_on_commit_callbacks: Any) -> None:
    """Published for later: not live, not public, until its time; then live without any step."""
    editor, publisher = world.users[Role.EDITOR], world.users[Role.PUBLISHER]
    obj = article_submit(article=article(world.county, writer=editor), user=editor)
    later = timezone.now() + timedelta(hours=3)
    with django_capture_on_commit_callbacks(execute=True):
        obj = article_publish(article=obj, user=publisher, publish_at=later)
    assert obj.status == ArticleStatus.PUBLISHED and obj.publish_at == later
    assert not Article.objects.live().filter(pk=obj.pk).exists()
    assert Article.objects.scheduled().filter(pk=obj.pk).exists()
    assert Article.objects.next_due() == later
    assert Client().get(obj.get_public_url()).status_code == 404
    from tongxin.portal.cache import timeout

    assert timeout() <= 3 * 3600 + 1  # no page is kept past the moment it appears
    assert Article.objects.live(later + timedelta(seconds=1)).filter(pk=obj.pk).exists()
    Article.objects.filter(pk=obj.pk).update(publish_at=timezone.now() - timedelta(seconds=1))
    assert Client().get(obj.get_public_url()).status_code == 200


@pytest.mark.django_db
def test_unpublish_needs_a_reason_and_opens_the_text_again(world: World) -> None:
    editor, publisher = world.users[Role.EDITOR], world.users[Role.PUBLISHER]
    obj = article_submit(article=article(world.county, writer=editor), user=editor)
    obj = article_publish(article=obj, user=publisher)
    with pytest.raises(WorkflowError):
        article_unpublish(article=obj, user=publisher, reason="  ")
    obj = article_unpublish(article=obj, user=publisher, reason="数据有误")
    assert obj.status == ArticleStatus.UNPUBLISHED and obj.unpublish_reason == "数据有误"
    assert Client().get(obj.get_public_url()).status_code == 404
    client = Client()
    client.force_login(editor)
    data = {"county": world.county.pk, "column": "news", "title": "改正后", "body": "<p>新</p>", "version": obj.version}
    assert client.post(reverse("editorial:article_edit", args=[obj.pk]), data).status_code == 302
    assert Article.objects.get(pk=obj.pk).title == "改正后"


@pytest.mark.django_db
def test_return_needs_a_reason_and_review_locks_the_text(world: World) -> None:
    editor, publisher = world.users[Role.EDITOR], world.users[Role.PUBLISHER]
    obj = article_submit(article=article(world.county, writer=editor), user=editor)
    client = Client()
    client.force_login(editor)
    data = {"county": world.county.pk, "column": "news", "title": "偷改", "body": "<p>x</p>", "version": obj.version}
    response = client.post(reverse("editorial:article_edit", args=[obj.pk]), data)
    assert response.status_code == 200 and Article.objects.get(pk=obj.pk).title != "偷改"
    with pytest.raises(WorkflowError):
        article_return(article=obj, user=publisher, reason="")
    obj = article_return(article=obj, user=publisher, reason="请补充数字")
    assert obj.status == ArticleStatus.DRAFT and obj.return_reason == "请补充数字"


@pytest.mark.django_db
def test_every_save_of_the_text_is_a_revision_listed_diffed_and_restorable(world: World) -> None:
    editor = world.users[Role.EDITOR]
    obj = article(world.county, writer=editor, body="<p>第一版</p>")
    client = Client()
    client.force_login(editor)
    for number, text in enumerate(("第二版", "第三版"), start=2):
        current = Article.objects.get(pk=obj.pk)
        data = {
            "county": world.county.pk,
            "column": "news",
            "title": current.title,
            "body": f"<p>{text}</p>",
            "version": current.version,
        }
        assert client.post(reverse("editorial:article_edit", args=[obj.pk]), data).status_code == 302
        assert obj.revisions.count() == number
    revisions = list(obj.revisions.order_by("number"))
    assert [r.body for r in revisions] == ["<p>第一版</p>", "<p>第二版</p>", "<p>第三版</p>"]
    assert all(r.saved_by == editor for r in revisions)
    page = client.get(revisions[2].get_absolute_url()).content.decode()
    assert "- &lt;p&gt;第二版&lt;/p&gt;" in page and "+ &lt;p&gt;第三版&lt;/p&gt;" in page
    api = APIClient()
    api.force_authenticate(editor)
    listed = api.get(f"/api/portal/articles/{obj.pk}/revisions/").json()
    assert [r["number"] for r in listed] == [3, 2, 1]
    assert client.post(reverse("editorial:revision_restore", args=[revisions[0].pk])).status_code == 302
    assert Article.objects.get(pk=obj.pk).body == "<p>第一版</p>"
    assert obj.revisions.count() == 4
    publisher = Client()
    publisher.force_login(world.users[Role.PUBLISHER])
    assert publisher.post(reverse("editorial:revision_restore", args=[revisions[1].pk])).status_code == 403


@pytest.mark.django_db
def test_only_a_draft_never_published_is_deleted(world: World) -> None:
    editor, publisher = world.users[Role.EDITOR], world.users[Role.PUBLISHER]
    api = APIClient()
    api.force_authenticate(editor)
    draft = article(world.county, writer=editor)
    assert api.delete(f"/api/portal/articles/{draft.pk}/").status_code == 204
    obj = article_submit(article=article(world.county, writer=editor), user=editor)
    obj = article_unpublish(article=article_publish(article=obj, user=publisher), user=publisher, reason="撤")
    assert api.delete(f"/api/portal/articles/{obj.pk}/").status_code == 409
    assert Article.objects.filter(pk=obj.pk).exists()


@pytest.mark.django_db
def test_roles_see_their_county_only(world: World) -> None:
    """Editors and publishers of one county never see another's drafts (404)."""
    foreign = article(world.county2)
    for role in (Role.EDITOR, Role.PUBLISHER, Role.COUNTY_ADMIN):
        client = Client()
        client.force_login(world.users[role])
        assert client.get(foreign.get_absolute_url()).status_code == 404
        assert client.post(reverse("editorial:article_action", args=[foreign.pk, "publish"])).status_code == 404
    township = Client()
    township.force_login(world.users[Role.TOWNSHIP_STAFF])
    assert township.get(article(world.county).get_absolute_url()).status_code == 404

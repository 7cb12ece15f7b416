"""Safe by default: redirects stay on the site, uploads leave only through scoped views,
error pages say nothing about the site's URLs, the API schema needs a login, the API is
rate-limited."""

from __future__ import annotations

import io
from collections.abc import Iterator
from typing import Any

import pytest
from django.conf import settings
from django.core.cache import cache
from django.core.exceptions import PermissionDenied
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.http import HttpRequest, HttpResponse
from django.template import loader
from django.test import Client, RequestFactory, override_settings
from django.urls import include, path, reverse
from django.utils import translation
from PIL import Image
from rest_framework.test import APIClient

from tongxin.accounts.choices import Role
from tongxin.core.redirects import is_safe_next, safe_next
from tongxin.pairing.models import ActivityPhoto
from tongxin.testing.factories import PASSWORD, World
from tongxin.testing.pairing import PairingWorld

UNSAFE_NEXT = [
    "//other.host/x",
    "https://evil.example/",
    "http://evil.example/pairing/",
    "/\\evil.example",
    "\\\\evil.example",
    "javascript:alert(1)",
    " //other.host/x",
    "https:///evil.example",
]


def _boom(request: HttpRequest) -> HttpResponse:
    raise RuntimeError("boom")


def _denied(request: HttpRequest) -> HttpResponse:
    raise PermissionDenied


# A URL configuration with two views that fail, on top of the real one.
urlpatterns = [
    path("test-boom/", _boom),
    path("test-denied/", _denied),
    path("", include("tongxin.urls")),
]


@pytest.fixture
def clean_cache() -> Iterator[None]:
    """Rate-limit counters live in the cache: start and leave it empty."""
    cache.clear()
    yield
    cache.clear()


def _client(user: Any) -> Client:
    client = Client()
    client.force_login(user)
    return client


# --- 1. Redirects ---------------------------------------------------------------------------


@pytest.mark.parametrize("url", UNSAFE_NEXT)
def test_unsafe_next_falls_back_to_the_default(url: str) -> None:
    """Other hosts, protocol-relative and backslash tricks and other schemes are refused."""
    request = RequestFactory().post("/pairing/pairs/1/action/return/", {"next": url})
    assert not is_safe_next(request, url)
    assert safe_next(request, "/default/") == "/default/"


def test_safe_next_is_kept_and_https_is_required_on_secure_requests() -> None:
    """A path on this site is kept; on an https request an http URL to this host is refused."""
    request = RequestFactory().post("/x/", {"next": "/pairing/pairs/?page=2"})
    assert safe_next(request, "/default/") == "/pairing/pairs/?page=2"
    secure = RequestFactory().post("/x/", {"next": "http://testserver/pairing/"}, secure=True)
    assert safe_next(secure, "/default/") == "/default/"
    secure_ok = RequestFactory().post("/x/", {"next": "https://testserver/pairing/"}, secure=True)
    assert safe_next(secure_ok, "/default/") == "https://testserver/pairing/"


@pytest.mark.django_db
@pytest.mark.parametrize("url", UNSAFE_NEXT)
def test_pair_action_never_redirects_off_site(pworld: PairingWorld, url: str) -> None:
    """The review buttons' ``next`` is checked: a foreign target sends back to the pair."""
    client = _client(pworld.world.users[Role.COUNTY_ADMIN])
    action = reverse("pairing:pair_action", args=[pworld.pair.pk, "township_approve"])
    response = client.post(action, {"next": url})
    assert response.status_code == 302
    assert response["Location"] == pworld.pair.get_absolute_url()


@pytest.mark.django_db
def test_pair_action_follows_a_local_next(pworld: PairingWorld) -> None:
    """A ``next`` on this site (the review page) is followed."""
    client = _client(pworld.world.users[Role.COUNTY_ADMIN])
    review = reverse("pairing:campaign_review", args=[pworld.campaign.pk])
    action = reverse("pairing:pair_action", args=[pworld.pair.pk, "township_approve"])
    assert client.post(action, {"next": review})["Location"] == review


@pytest.mark.django_db
@pytest.mark.parametrize("url", UNSAFE_NEXT)
def test_login_and_language_switch_never_redirect_off_site(world: World, url: str) -> None:
    """Login and the language switch (Django's own views) refuse a foreign ``next`` too."""
    response = Client().post(reverse("accounts:login"), {"username": "staff1", "password": PASSWORD, "next": url})
    assert response.status_code == 302 and response["Location"] == reverse(settings.LOGIN_REDIRECT_URL)
    response = Client().post(reverse("set_language"), {"language": "en", "next": url})
    assert response.status_code == 302 and response["Location"] == "/"


# --- 2. Files -------------------------------------------------------------------------------


def _png() -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (4, 4), "blue").save(buffer, "PNG")
    return buffer.getvalue()


def _photo(activity: Any) -> ActivityPhoto:
    photo = ActivityPhoto(activity=activity, caption="合影", image=SimpleUploadedFile("合影.png", _png(), "image/png"))
    photo.save()
    return photo


def _photo_url(photo: ActivityPhoto, activity: Any = None) -> str:
    return reverse("pairing:activity_photo_file", args=[(activity or photo.activity).pk, photo.pk])


@pytest.mark.django_db
def test_photo_is_served_to_users_who_see_the_activity(pworld: PairingWorld) -> None:
    """The township staff of the pair's township and its liaison get the photo's bytes,
    privately cached, never runnable (sandboxed, no sniffing)."""
    photo = _photo(pworld.activity)
    for role in (Role.TOWNSHIP_STAFF, Role.LIAISON, Role.COUNTY_STAFF):
        response = _client(pworld.world.users[role]).get(_photo_url(photo))
        assert response.status_code == 200, role
        assert b"".join(response.streaming_content) == _png()  # type: ignore[attr-defined]
        assert response["Content-Type"] == "image/png"
        assert "private" in response["Cache-Control"]
        assert "sandbox" in response["Content-Security-Policy"]
        assert response["X-Content-Type-Options"] == "nosniff"


@pytest.mark.django_db
def test_photo_is_404_out_of_scope_and_for_another_activity(pworld: PairingWorld) -> None:
    """A photo of an activity outside the user's scope is 404, and so is a photo asked for
    under an activity it does not belong to; the anonymous are sent to the login page."""
    photo_b = _photo(pworld.activity_b)
    photo2 = _photo(pworld.activity2)
    town = _client(pworld.world.users[Role.TOWNSHIP_STAFF])
    assert town.get(_photo_url(photo_b)).status_code == 404
    assert town.get(_photo_url(photo2)).status_code == 404
    # The user may see pworld.activity, but the photo belongs to another activity.
    assert town.get(_photo_url(photo_b, pworld.activity)).status_code == 404
    assert _client(pworld.world.users[Role.LIAISON]).get(_photo_url(photo_b)).status_code == 404
    assert _client(pworld.world.users[Role.COUNTY_STAFF]).get(_photo_url(photo2)).status_code == 404
    assert town.get(reverse("pairing:activity_photo_file", args=[pworld.activity.pk, 999999])).status_code == 404
    anonymous = Client().get(_photo_url(photo_b))
    assert anonymous.status_code == 302 and anonymous["Location"].startswith(reverse("accounts:login"))


@pytest.mark.django_db
def test_media_url_serves_nothing_and_the_page_links_the_scoped_view(pworld: PairingWorld) -> None:
    """/media/… answers 404 even for a user who may see the photo; the activity page shows
    the photo through the scoped view."""
    photo = _photo(pworld.activity)
    client = _client(pworld.world.users[Role.COUNTY_STAFF])
    assert client.get(f"{settings.MEDIA_URL}{photo.image.name}").status_code == 404
    page = client.get(reverse("pairing:activity_detail", args=[pworld.activity.pk])).content.decode()
    assert _photo_url(photo) in page and settings.MEDIA_URL not in page


@pytest.mark.django_db
def test_missing_file_is_404_not_500(pworld: PairingWorld) -> None:
    """A photo whose file has gone from the disk answers 404."""
    photo = _photo(pworld.activity)
    photo.image.storage.delete(photo.image.name)
    assert _client(pworld.world.users[Role.COUNTY_STAFF]).get(_photo_url(photo)).status_code == 404


@pytest.mark.django_db
def test_web_server_sends_the_file_in_production_modes(pworld: PairingWorld) -> None:
    """With nginx the view answers an empty body and X-Accel-Redirect to the internal
    location; with Apache, X-Sendfile with the file's path; never the bytes themselves."""
    photo = _photo(pworld.activity)
    client = _client(pworld.world.users[Role.COUNTY_STAFF])
    with override_settings(TONGXIN_FILE_ACCEL="nginx", TONGXIN_FILE_ACCEL_PREFIX="/protected-media/"):
        response = client.get(_photo_url(photo))
    assert response.status_code == 200 and response.content == b""
    assert response["X-Accel-Redirect"].startswith("/protected-media/activities/")
    assert response["X-Accel-Redirect"].endswith(".png") and "%" in response["X-Accel-Redirect"]  # quoted 合影
    assert response["Content-Type"] == "image/png"
    with override_settings(TONGXIN_FILE_ACCEL="apache"):
        response = client.get(_photo_url(photo))
    assert response.status_code == 200 and response.content == b""
    assert response["X-Sendfile"].startswith("/") and response["X-Sendfile"].endswith(".png")
    with override_settings(TONGXIN_FILE_ACCEL="nginx"):
        denied = _client(pworld.world.users[Role.TOWNSHIP_STAFF]).get(_photo_url(_photo(pworld.activity_b)))
    assert denied.status_code == 404 and "X-Accel-Redirect" not in denied


# --- 3. Error pages -------------------------------------------------------------------------

# What Django's debug 404 page shows: the URL configuration and its patterns.
URLCONF_LEAKS = ("Using the URLconf", "tongxin.urls", "<int:pk>", "<str:", "didn’t match", "didn't match", "Traceback")


def _in(language: str, message: str) -> str:
    with translation.override(language):
        return translation.gettext(message)


@pytest.mark.django_db
def test_404_page_is_chinese_by_default_and_lists_no_urls(world: World) -> None:
    """A missing page answers the project's 404 page in Chinese (whatever the browser
    asks for), without the URL patterns of the site."""
    for client in (Client(), _client(world.users[Role.COUNTY_STAFF])):
        response = client.get("/no-such-page/", HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9")
        page = response.content.decode()
        assert response.status_code == 404
        assert 'lang="zh-hans"' in page and "同心" in page and 'data-testid="error-404"' in page
        assert _in("zh-hans", "Page not found") in page
        assert not [leak for leak in URLCONF_LEAKS if leak in page]
    anonymous = Client().get("/no-such-page/").content.decode()
    assert "admin/" not in anonymous and "api/" not in anonymous and "pairing/" not in anonymous


@pytest.mark.django_db
def test_404_page_is_english_when_the_language_cookie_says_so(world: World) -> None:
    """With the language switch's cookie set to English the 404 page is English."""
    client = Client()
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    response = client.get("/pairing/no-such-page/")
    page = response.content.decode()
    assert response.status_code == 404
    assert 'lang="en"' in page and "Page not found" in page and "同心" not in page
    assert not [leak for leak in URLCONF_LEAKS if leak in page]


@pytest.mark.django_db
def test_out_of_scope_record_gets_the_same_404_page(pworld: PairingWorld) -> None:
    """A record outside the user's scope answers the ordinary 404 page (it never says why)."""
    client = _client(pworld.world.users[Role.TOWNSHIP_STAFF])
    response = client.get(reverse("pairing:activity_detail", args=[pworld.activity_b.pk]))
    assert response.status_code == 404 and 'data-testid="error-404"' in response.content.decode()


@pytest.mark.django_db
@override_settings(ROOT_URLCONF=__name__)
def test_403_page_in_both_languages(world: World) -> None:
    """Refusals answer the project's 403 page, in Chinese and in English."""
    client = _client(world.users[Role.COUNTY_STAFF])
    response = client.get("/test-denied/")
    assert response.status_code == 403
    page = response.content.decode()
    assert 'data-testid="error-403"' in page and 'lang="zh-hans"' in page and _in("zh-hans", "Not allowed") in page
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    page = client.get("/test-denied/").content.decode()
    assert 'lang="en"' in page and "Not allowed" in page


def _no_database(execute: Any, sql: str, params: Any, many: bool, context: Any) -> Any:
    raise AssertionError(f"the 500 page touched the database: {sql}")


@pytest.mark.django_db
@override_settings(ROOT_URLCONF=__name__)
def test_500_page_needs_no_database_and_shows_no_traceback() -> None:
    """An unexpected error answers the static 500 page (Chinese by default, English by the
    cookie) without a single database query and without any detail of the error."""
    assert settings.DEBUG is False
    client = Client(raise_request_exception=False)
    with connection.execute_wrapper(_no_database):
        response = client.get("/test-boom/")
        assert response.status_code == 500
        page = response.content.decode()
        assert 'lang="zh-hans"' in page and 'data-testid="error-page"' in page
        assert _in("zh-hans", "Something went wrong on our side") in page
        assert "boom" not in page and "RuntimeError" not in page and "Traceback" not in page
        client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
        page = client.get("/test-boom/").content.decode()
        assert 'lang="en"' in page and "Something went wrong on our side" in page
        # And on its own, without any request or context.
        assert "500" in loader.get_template("500.html").render()


# --- 4. API schema and docs -----------------------------------------------------------------


@pytest.mark.django_db
def test_schema_and_docs_need_a_login(world: World) -> None:
    """Anonymous callers get no schema (401/403) and are sent to the login page from the
    docs; a token or a session opens both."""
    assert APIClient().get(reverse("api-schema")).status_code in (401, 403)
    docs = Client().get(reverse("api-docs"))
    assert docs.status_code == 302 and docs["Location"].startswith(reverse("accounts:login"))
    token = APIClient().post(reverse("api-token"), {"username": "staff1", "password": PASSWORD}).json()["token"]
    api = APIClient()
    api.credentials(HTTP_AUTHORIZATION=f"Token {token}")
    assert api.get(reverse("api-schema")).status_code == 200
    assert _client(world.users[Role.COUNTY_STAFF]).get(reverse("api-docs")).status_code == 200


# --- 5. Rate limits -------------------------------------------------------------------------


def _rates(**rates: str) -> dict[str, Any]:
    current = settings.REST_FRAMEWORK
    return {**current, "DEFAULT_THROTTLE_RATES": {**current["DEFAULT_THROTTLE_RATES"], **rates}}


@pytest.mark.django_db
def test_token_endpoint_is_throttled(world: World, clean_cache: None) -> None:
    """The token endpoint answers 429 once its (separate, stricter) rate is used up, right
    or wrong password alike; the rest of the API is not affected."""
    with override_settings(REST_FRAMEWORK=_rates(token="3/minute")):
        client = APIClient()
        answers = [
            client.post(reverse("api-token"), {"username": "staff1", "password": password}).status_code
            for password in ("wrong", "wrong", PASSWORD, PASSWORD)
        ]
        assert answers == [400, 400, 200, 429]
        staff = APIClient()
        staff.force_authenticate(world.users[Role.COUNTY_STAFF])
        assert staff.get(reverse("village-list")).status_code == 200


@pytest.mark.django_db
def test_signed_in_users_are_throttled_per_user(world: World, clean_cache: None) -> None:
    """A user who used up the user rate gets 429 with Retry-After; another user does not."""
    with override_settings(REST_FRAMEWORK=_rates(user="2/minute")):
        first = APIClient()
        first.force_authenticate(world.users[Role.COUNTY_STAFF])
        answers = [first.get(reverse("village-list")).status_code for _ in range(3)]
        assert answers == [200, 200, 429]
        assert "Retry-After" in first.get(reverse("village-list"))
        other = APIClient()
        other.force_authenticate(world.users[Role.COUNTY_ADMIN])
        assert other.get(reverse("village-list")).status_code == 200


def test_default_rates_are_generous_and_the_token_rate_strict() -> None:
    """Out of the box: 2000 requests an hour per user, 10 token requests a minute."""
    from tongxin.settings import base, env

    rates = base.REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"]
    assert rates == {"anon": env.API_RATE_ANON, "user": env.API_RATE_USER, "token": env.API_RATE_TOKEN}
    assert base.REST_FRAMEWORK["DEFAULT_THROTTLE_CLASSES"]

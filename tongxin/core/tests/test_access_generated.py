"""The access model, proven on every path: generated from the URL resolver.

Every URL pattern of the project is either described below (which model its object id
names, which methods it answers, which action of the model's policy each method takes) or
exempt with a reason. Each described pattern is then tried by every role (and a person
with two hats) against objects in their own township, a sibling township of the same
county and another county of another province, with GET and every write method the
route accepts, and with an id that names no row. The rules:

Every action a route is judged by is declared in its model's policy (or the completeness
test fails). What is not tried in full, and why: a format-suffix copy of an API route
(``….json``, the same view) is tried with foreign rows only; an admin page of a model
only superusers may use is tried by three roles (Django's model permissions decide it, and
no role has any); an id that names nothing is tried by two people outside the admin.

1. No request ever ends in a 5xx.
2. A foreign object, or an id that names nothing, is 404 for everyone and every method
   — never 403, never 200. (In the admin, whose answers Django shapes, the answer for a
   foreign object is never 200 and is exactly the answer for an id that names nothing.)
3. A person bound at or below a township never reads or writes a sibling township's
   object; any row the policy does not let a person view is 404 to them.
4. A write a person may not take changes nothing: the row, the change log and every
   unlogged table are compared before and after (inside a savepoint that is then rolled
   back, so one world serves every test).
5. On the ledger pages and the API, a row a person may view (change, delete) answers 200
   to GET; and at least one allowed edit per route really writes — the payloads are real.
6. No page, list or API answer shows the name of a foreign row; the lists and searches of a
   township-bound person show nothing of the sibling township.

``test_every_route_is_covered`` fails when a URL pattern is added without a description
here or an exemption, and ``test_every_model_declares_a_policy`` when a model is added
without a policy or a reason for having none.
"""

from __future__ import annotations

import io
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import date
from typing import Any

import pytest
from django import forms
from django.apps import apps
from django.contrib import admin
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import models
from django.http import HttpResponse
from django.test import Client, RequestFactory, override_settings
from django.urls import resolve

from tongxin.accounts.choices import Role
from tongxin.accounts.models import User
from tongxin.core.ledgers import Ledger, all_ledgers
from tongxin.core.scope import ADD, CHANGE, DELETE, EXPORT, IMPORT, VIEW, allowed, has_policy, policy_of
from tongxin.core.views import generic
from tongxin.pairing.choices import STAGE_ORDER
from tongxin.pairing.models import Letter, Report
from tongxin.testing.access import (
    FOREIGN,
    LOWER_ROLES,
    MISSING_PK,
    MULTI,
    OWN,
    SIBLING,
    AccessWorld,
    Outcome,
    Subject,
    build_access_world,
    judge,
    logged_in_clients,
    module_transaction,
)
from tongxin.testing.routes import WRITE_METHODS, Route, all_routes

WHO = [*Role.values, MULTI]
# Outside the admin, an id that names nothing is tried by these (it is 404 before any
# person's hats are asked).
MISSING_WHO = (Role.COUNTY_ADMIN, MULTI)
SUPERUSER_ONLY_WHO = (Role.PROVINCE_ADMIN, Role.COUNTY_ADMIN, Role.TOWNSHIP_STAFF)

# ---------------------------------------------------------------------------------------
# Exemptions: patterns the generated test does not try, each with its reason.

EXEMPT: dict[str, str] = {
    "i18n/setlang/": "switches the interface language; touches no data (core/tests/test_pages.py)",
    "accounts/login/": "signing in; its own tests (accounts/tests/test_auth.py) — and it would end the test sessions",
    "accounts/logout/": "signing out ends the session the generated test runs on (accounts/tests/test_auth.py)",
    "admin/login/": "the admin's sign-in form",
    "admin/logout/": "signing out ends the session the generated test runs on",
    "admin/password_change/": "a person changes their own password; names no row",
    "admin/password_change/done/": "a static confirmation page",
    "admin/jsi18n/": "the admin's JavaScript translation catalogue",
    "api/token/": "exchanges a password for a token: no object (rate limit and lock-out in accounts/tests)",
    "api/schema/": "the OpenAPI schema (fuzzed in test_api_fuzz.py; sign-in required: tested there)",
    "api/docs/": "the Swagger page of the schema",
    "sitemap.xml": "the public portal's sitemap: live articles only (portal/tests/test_public.py)",
}
EXEMPT_PREFIXES: dict[str, str] = {
    "static/": "static files",
    "media/": "uploaded files are never served at MEDIA_URL (settings)",
    "portal/": "the public portal: live articles and aggregates for everyone, no sign-in (portal/tests/test_public.py)",
}


def exemption(route: Route) -> str | None:
    if route.pattern in EXEMPT:
        return EXEMPT[route.pattern]
    for prefix, reason in EXEMPT_PREFIXES.items():
        if route.pattern.startswith(prefix):
            return reason
    return None


# ---------------------------------------------------------------------------------------
# Describing a route: what it names, which methods, which action each method takes.


@dataclass
class Spec:
    """How to try one route."""

    subjects: tuple[str, ...] = ()  # keys of AccessWorld.subjects; () for routes naming no object
    methods: tuple[str, ...] = ("get",)
    actions: dict[str, str] = field(default_factory=dict)  # method → policy action (default: view)
    kwargs: Callable[[Subject, AccessWorld], dict[str, Any]] | None = None  # URL values for an object
    variants: tuple[dict[str, Any], ...] = ({},)  # extra URL values, each tried (e.g. an action name)
    variant_actions: dict[str, str] = field(default_factory=dict)  # variant "action" → policy action
    payload: Callable[[str, Subject | None, AccessWorld, Any], Any] | None = None  # (method, subject, world, ctx)
    query: Callable[[Subject, AccessWorld], dict[str, Any]] | None = None  # GET parameters naming the object
    missing_query: dict[str, Any] | None = None  # the same parameters naming nothing
    json: bool = False
    strict: bool = False  # GET answers 200 exactly when the action is allowed (ledger pages, API detail)
    expect_write: tuple[str, ...] = ()  # methods of which at least one allowed try must write
    visible: Callable[[User, models.Model], bool] | None = None  # who may view the subject (default: policy)
    may: Callable[[User, models.Model, str], bool] | None = None  # who may take the action (default: policy)
    mixed: Callable[[AccessWorld], list[tuple[Subject, dict[str, Any]]]] | None = None  # foreign parts in own URLs
    admin: bool = False
    places: frozenset[str] = frozenset({OWN, SIBLING, FOREIGN})  # which subjects to try
    who: tuple[str, ...] = tuple(WHO)  # who tries
    model: str | None = None  # the model a collection route writes, when its view names none


_ANSWERS: dict[tuple[int, str, Any, str], bool] = {}  # the policy's answers, per test (see ``shared``)


def _allowed(user: User, obj: models.Model, action: str) -> bool:
    """The policy's answer for the world as built (every request is rolled back)."""
    model = type(obj)
    if not has_policy(model):
        return False
    key = (user.pk, model._meta.label, obj.pk, action)
    if key not in _ANSWERS:
        _ANSWERS[key] = allowed(user, obj, action)
    return _ANSWERS[key]


def _pk(subject: Subject, world: AccessWorld) -> dict[str, Any]:
    return {"pk": subject.obj.pk}


# Letters, files and import jobs have no policy of their own: access follows their parent
# (or their owner).
def _letter_visible(user: User, letter: models.Model) -> bool:
    assert isinstance(letter, Letter)
    parent: Any = letter.pair if letter.pair_id is not None else letter.appointment
    return allowed(user, parent, VIEW)


def _owner_only(user: User, job: models.Model) -> bool:
    return bool(job.user_id == user.pk)  # type: ignore[attr-defined]


def _nobody(user: User, obj: models.Model) -> bool:
    return False


def _next_stage(campaign: Any) -> str:
    index = STAGE_ORDER.index(campaign.stage)
    return STAGE_ORDER[min(index + 1, len(STAGE_ORDER) - 1)]


def _reason(method: str, subject: Subject | None, world: AccessWorld, ctx: Any) -> Any:
    return {"reason": "测试理由"}


def _empty(method: str, subject: Subject | None, world: AccessWorld, ctx: Any) -> Any:
    return {}


# --- ledger pages ------------------------------------------------------------------------


def _form_data(form: Any) -> dict[str, Any]:
    """What a browser would post for an unchanged form."""
    data: dict[str, Any] = {}
    for name, form_field in form.fields.items():
        value = form[name].value()
        if value is None or value is False:
            continue
        if isinstance(form_field.widget, forms.MultiWidget):
            for index, part in enumerate(form_field.widget.decompress(value)):
                data[f"{name}_{index}"] = "" if part is None else str(part)
            continue
        if isinstance(value, list | tuple):
            data[name] = [str(v) for v in value]
        elif value is True:
            data[name] = "on"
        else:
            data[name] = str(value)
    return data


def _ledger_payload(ledger: Ledger) -> Callable[[str, Subject | None, AccessWorld, Any], Any]:
    def payload(method: str, subject: Subject | None, world: AccessWorld, ctx: Any) -> Any:
        if ledger.form is None:
            return {}
        obj = subject.obj if subject is not None else world.one(world_key(ledger.model))
        fresh = type(obj)._default_manager.get(pk=obj.pk)
        return _form_data(ledger.form(instance=fresh, user=ctx.superuser))

    return payload


def world_key(model: type[models.Model]) -> str:
    return model._meta.label


LEDGER_VIEWS: dict[type, tuple[tuple[str, ...], dict[str, str], tuple[str, ...]]] = {
    # view class → (methods, method → action, methods that must write when allowed)
    generic.ObjectDetailView: (("get",), {}, ()),
    generic.ObjectHistoryView: (("get",), {}, ()),
    generic.ObjectDeleteView: (("get", "post"), {"get": DELETE, "post": DELETE}, ()),
    generic.ObjectListView: (("get",), {}, ()),
    generic.ObjectExportView: (("get",), {"get": EXPORT}, ()),
    generic.ObjectImportView: (("get", "post"), {"get": IMPORT, "post": IMPORT}, ()),
    generic.ImportTemplateView: (("get",), {"get": IMPORT}, ()),
}


def _ledger_spec(route: Route, ledger: Ledger) -> Spec:
    cls = route.view_class
    has_object = "pk" in route.kwargs
    key = world_key(ledger.model)
    if issubclass(cls, generic.ObjectEditView):
        action = CHANGE if has_object else ADD
        if ledger.form is None:
            action = CHANGE  # no form: the view is 404 for everyone
        return Spec(
            subjects=(key,) if has_object else (),
            methods=("get", "post"),
            actions={"get": action, "post": action},
            kwargs=_pk,
            payload=_ledger_payload(ledger),
            strict=has_object,
            expect_write=("post",) if has_object and ledger.form is not None else (),
            may=(lambda u, o, a: ledger.form is not None and _allowed(u, o, a)),
        )
    for view, (methods, actions, writes) in LEDGER_VIEWS.items():
        if issubclass(cls, view):
            return Spec(
                subjects=(key,) if has_object else (),
                methods=methods,
                actions=actions,
                kwargs=_pk,
                payload=_empty,
                strict=has_object,
                expect_write=writes,
            )
    raise LookupError(f"{route.pattern}: ledger view {cls.__name__} is not described")


# --- the API -----------------------------------------------------------------------------

API_STANDARD = {"retrieve": VIEW, "update": CHANGE, "partial_update": CHANGE, "destroy": DELETE, "list": VIEW}
# (model name, viewset action) → (policy action, payload), for the API's workflow actions.
API_WORKFLOW: dict[tuple[str, str], tuple[str, Callable[[str, Subject | None, AccessWorld, Any], Any]]] = {
    ("campaign", "advance"): ("advance", lambda m, s, w, c: {"to": _next_stage(s.obj) if s else "selection"}),
    ("campaign", "match"): ("match", _empty),
    ("campaign", "preferences"): ("rank", lambda m, s, w, c: _ranking(s, w)),
    ("pair", "review"): ("review", _empty),
    ("pair", "return_"): ("return", _reason),
    ("pair", "approve"): ("approve", _empty),
    ("pair", "reject"): ("reject", _reason),
    ("pair", "drop"): ("override", _reason),
    ("pair", "letter"): ("issue_letter", _empty),
    ("pair", "issue_letter"): ("issue_letter", _empty),
    ("report", "submit"): ("submit", _empty),
    ("report", "accept"): ("accept", _empty),
    ("report", "return_"): ("return", _reason),
    ("activity", "confirm"): ("confirm", _empty),
    ("pair", "bulk"): ("review", lambda m, s, w, c: {"action": "review", "ids": _ids(w, "pairing.Pair:proposal")}),
    ("report", "bulk_accept"): ("accept", lambda m, s, w, c: {"ids": _ids(w, "pairing.Report")}),
    ("campaign", "remind"): ("remind", lambda m, s, w, c: {"townships": _townships(w)}),
    ("person", "unmask"): ("unmask", _empty),
    ("person", "stage"): ("advance", lambda m, s, w, c: {"stage": "found", "date": "2026-01-01"}),
    ("enrolment", "attend"): (CHANGE, lambda m, s, w, c: {"hours": "12"}),
    ("enrolment", "complete"): (CHANGE, lambda m, s, w, c: {"on": "2026-03-06"}),
    ("membership", "transition"): ("transition", lambda m, s, w, c: {"to": "grace"}),
    ("application", "review"): ("review", _empty),
    ("application", "approve"): ("approve", _empty),
    ("application", "return_"): ("return", _reason),
    ("dues", "pay"): ("pay", lambda m, s, w, c: {"amount": "1000", "receipt": "R1"}),
    ("rightscase", "acknowledge"): ("triage", lambda m, s, w, c: {"text": "收到"}),
    ("rightscase", "assign"): ("assign", lambda m, s, w, c: {"handler": _handler(w)}),
    ("rightscase", "refer"): ("handle", lambda m, s, w, c: {"department": "县法院"}),
    ("rightscase", "note"): ("handle", lambda m, s, w, c: {"text": "已联系对方"}),
    ("rightscase", "finish"): ("handle", lambda m, s, w, c: {"outcome": "已调解", "recovered": "100"}),
    ("rightscase", "rate"): ("rate", lambda m, s, w, c: {"satisfaction": 5}),
    ("rightscase", "reopen"): ("reopen", _reason),
    ("memberactivity", "sign_up"): ("sign_up", lambda m, s, w, c: {"membership": _member(w)}),
    ("memberactivity", "attendance"): ("attend", lambda m, s, w, c: {"present": _signups(w)}),
    ("memberactivity", "feedback"): ("sign_up", lambda m, s, w, c: {"signup": _signups(w)[0], "rating": 5}),
    ("boardpost", "close"): ("view", _empty),
    ("article", "submit"): ("submit", _empty),
    ("article", "publish"): ("publish", _empty),
    ("article", "return_"): ("return", _reason),
    ("article", "unpublish"): ("unpublish", _reason),
    ("proposal", "answer"): ("answer", lambda m, s, w, c: {"state": "adopted", "date": "2026-02-01"}),
    ("investmentlead", "step"): ("advance", lambda m, s, w, c: {"stage": "contacted", "date": "2026-03-02"}),
    ("servicerequest", "match"): ("match", lambda m, s, w, c: {"volunteer": w.one("platforms.Intellectual").pk}),
    ("servicerequest", "accept"): ("accept", lambda m, s, w, c: {"date": "2026-06-01"}),
}
VIEWSET_SUBJECTS = {"ProposalViewSet": "pairing.Pair:proposal"}


def _handler(world: AccessWorld) -> int:
    """A person who may handle a case of the own chamber (its staff)."""
    return world.users[Role.CHAMBER_STAFF].pk


def _member(world: AccessWorld) -> int:
    return int(world.world.chambers.members["own"].pk)


def _signups(world: AccessWorld) -> list[int]:
    from tongxin.chambers.models import ActivitySignup

    own = world.world.chambers.activities["own"]
    return list(ActivitySignup.objects.filter(activity=own).values_list("pk", flat=True))


def _close_may(user: User, post: models.Model, action: str) -> bool:
    """The member who posted it (their enterprise contact) or whoever may change it."""
    from tongxin.chambers.services.members import speaks_for

    own = speaks_for(user, post.membership)  # type: ignore[attr-defined]
    return _allowed(user, post, VIEW) and (own or _allowed(user, post, CHANGE))


def _case_steps(method: str, subject: Subject | None, world: AccessWorld, ctx: Any) -> Any:
    """The values of every step of a case at once (each step's form reads its own)."""
    return {
        "text": "已联系对方",
        "handler": _handler(world),
        "department": "县法院",
        "outcome": "已调解",
        "recovered": "100",
        "resolved": "1",
        "satisfaction": "5",
        "reason": "测试理由",
    }


def _ids(world: AccessWorld, key: str) -> list[int]:
    """The ids of every subject of ``key``: own, sibling and foreign rows in one batch."""
    return [subject.obj.pk for subject in world.of(key)]


def _townships(world: AccessWorld) -> list[int]:
    return [world.world.township.pk, world.world.township_b.pk]


def _bulk_review_may(user: User, campaign: models.Model, action: str) -> bool:
    """Whether the person may take ``action`` on any proposal of the campaign (the batch
    holds the world's proposals; those of another campaign are never this campaign's)."""
    from tongxin.core.scope import restrict
    from tongxin.pairing.models import Pair

    return restrict(Pair.objects.filter(campaign=campaign).proposals(), user, action).exists()


def _ranking(subject: Subject | None, world: AccessWorld) -> dict[str, Any]:
    if subject is None:
        return {}
    participant = subject.obj.participants.order_by("pk").first()  # type: ignore[attr-defined]
    return {"participant": participant.pk if participant else MISSING_PK, "partners": []}


def _ranking_may(user: User, campaign: models.Model, action: str) -> bool:
    if action == VIEW:
        return _allowed(user, campaign, VIEW)
    participant = campaign.participants.order_by("pk").first()  # type: ignore[attr-defined]
    return participant is not None and _allowed(user, participant, "rank")


def _api_payload(method: str, subject: Subject | None, world: AccessWorld, ctx: Any) -> Any:
    if method == "patch":
        return {"version": type(subject.obj)._default_manager.get(pk=subject.obj.pk).version} if subject else {}
    if method in ("put", "post"):
        return ctx.representation(subject)
    return {}


def _api_spec(route: Route) -> Spec:
    cls = route.view_class
    actions = route.viewset_actions or {}
    model = cls.serializer_class.Meta.model
    key = VIEWSET_SUBJECTS.get(cls.__name__, world_key(model))
    has_object = "pk" in route.kwargs
    methods = route.methods()
    policy: dict[str, str] = {}
    payload: Callable[[str, Subject | None, AccessWorld, Any], Any] = _api_payload
    may = None
    for method in methods:
        name = actions[method]
        if name in API_STANDARD:
            policy[method] = API_STANDARD[name]
        elif name == "create":
            policy[method] = ADD
        elif method == "get":
            policy[method] = VIEW
        else:
            described = API_WORKFLOW.get((model._meta.model_name, name))
            if described is None:
                raise LookupError(f"{route.pattern}: API action {name!r} of {cls.__name__} is not described")
            policy[method], payload = described
            if name == "preferences":
                may = _ranking_may
    strict = has_object and not route.is_format_suffix
    writes = tuple(m for m in ("put", "patch") if has_object and policy.get(m) == CHANGE)
    return Spec(
        subjects=(key,) if has_object else (),
        methods=methods,
        actions=policy,
        kwargs=lambda s, w: {"pk": s.obj.pk, "format": "json"},
        variants=({"format": "json"},),
        payload=payload,
        json=True,
        strict=strict,
        expect_write=writes if not route.is_format_suffix else (),
        may=may,
        # The same view as without the suffix (tried in full there): foreign rows only.
        places=frozenset({FOREIGN}) if route.is_format_suffix else Spec.places,
    )


# --- the admin ---------------------------------------------------------------------------


def _admin_model(route: Route) -> type[models.Model] | None:
    model_admin = getattr(route.callback, "model_admin", None)
    if model_admin is not None:
        return model_admin.model  # type: ignore[no-any-return]
    parts = route.pattern.split("/")
    if len(parts) > 3 and "<" in parts[3]:
        try:
            return apps.get_model(parts[1], parts[2])
        except LookupError:
            return None
    return None


def _admin_payload(method: str, subject: Subject | None, world: AccessWorld, ctx: Any) -> Any:
    if subject is None:
        return {}
    if ctx.admin_action == "delete":
        return {"post": "yes"}
    if ctx.admin_action != "change":
        return {}
    model = type(subject.obj)
    model_admin = admin.site._registry[model]
    request = RequestFactory().get("/")
    request.user = ctx.superuser
    obj = model._default_manager.get(pk=subject.obj.pk)
    form = model_admin.get_form(request, obj, change=True)(instance=obj)
    data = _form_data(form)
    if isinstance(obj, User):
        data["full_name"] = "改名测试"  # a person has no version: change something visible
    seen: dict[str, int] = {}
    for inline in model_admin.get_inline_instances(request, obj):
        prefix = inline.get_formset(request, obj).get_default_prefix()
        seen[prefix] = seen.get(prefix, 0) + 1
        if seen[prefix] > 1:  # as Django's admin numbers a second inline of the same model
            prefix = f"{prefix}-{seen[prefix]}"
        data.update({f"{prefix}-TOTAL_FORMS": "0", f"{prefix}-INITIAL_FORMS": "0", f"{prefix}-MIN_NUM_FORMS": "0"})
        data[f"{prefix}-MAX_NUM_FORMS"] = "1000"
    data["_save"] = "1"
    return data


ADMIN_SUBJECTS_WITHOUT_ROWS = {
    # Third-party admin models: rows are not made for them; they are tried with an id that
    # names nothing and their lists, and must answer nobody but a superuser.
    "authtoken.TokenProxy",
    "axes.AccessAttempt",
    "axes.AccessLog",
    "axes.AccessFailureLog",
    "django_tasks_database.DBTaskResult",
}


def _view_on_site(subject: Subject, world: AccessWorld) -> dict[str, Any]:
    from django.contrib.contenttypes.models import ContentType

    return {"content_type_id": ContentType.objects.get_for_model(subject.obj).pk, "object_id": subject.obj.pk}


def _admin_spec(route: Route) -> Spec:
    if "content_type_id" in route.kwargs:  # "view on site": redirects to a row's own page
        return Spec(subjects=("regions.Village", "pairing.Pair"), kwargs=_view_on_site, admin=True)
    model = _admin_model(route)
    object_kw = next((k for k in ("object_id", "id") if k in route.kwargs), None)
    key = world_key(model) if model is not None else ""
    has_rows = object_kw is not None and key not in ADMIN_SUBJECTS_WITHOUT_ROWS
    tail = route.pattern.rstrip("/").rsplit("/", 1)[-1]
    writable = tail in ("change", "delete", "add", "password")
    visible = None if model is not None and has_policy(model) else _nobody
    return Spec(
        # Superuser-only pages answer by Django's model permissions, which no role grants:
        # every role is alike there, so three stand for all.
        who=tuple(WHO) if visible is None else SUPERUSER_ONLY_WHO,
        subjects=(key,) if has_rows else (),
        methods=("get", "post") if writable else ("get",),
        actions={"post": DELETE if tail == "delete" else CHANGE, "get": VIEW},
        kwargs=(lambda s, w: {object_kw: s.obj.pk}) if object_kw else None,
        payload=_admin_payload,
        expect_write=("post",) if tail == "change" and visible is None and has_rows else (),
        visible=visible,
        may=None if visible is None else (lambda u, o, a: False),
        admin=True,
    )


# --- pages that are not ledgers ------------------------------------------------------------


def _campaign_parties(campaign: Any) -> tuple[int, int]:
    enterprise = campaign.participants.filter(enterprise__isnull=False).order_by("pk").first()
    village = campaign.participants.filter(village__isnull=False).order_by("-pk").first()
    return enterprise.enterprise_id, village.village_id


def _override(method: str, subject: Subject | None, world: AccessWorld, ctx: Any) -> Any:
    assert subject is not None
    enterprise, village = _campaign_parties(subject.obj)
    return {"enterprise": enterprise, "village": village, "reason": "测试"}


def _appoint(method: str, subject: Subject | None, world: AccessWorld, ctx: Any) -> Any:
    assert subject is not None
    campaign: Any = subject.obj
    foreign = campaign.county_id != world.world.county.pk
    liaison = world.extra["liaison2"] if foreign else world.users[Role.LIAISON]
    pair = campaign.pairs.filter(status="approved").order_by("pk").first()
    return {"liaison": liaison.pk, "pairs": [pair.pk], "term_start": "2026-01-01", "term_end": "2027-12-31"}


def _report_form(method: str, subject: Subject | None, world: AccessWorld, ctx: Any) -> Any:
    assert subject is not None
    report = Report.objects.filter(pair=subject.obj, period=date(2026, 1, 1)).first()
    version = report.version if report else ""
    return {"narrative": "本月进展", "jobs": "3", "version": version}


def _report_may(user: User, pair: models.Model, action: str) -> bool:
    report = Report.objects.filter(pair=pair, period=date(2026, 1, 1)).first()
    return report is not None and _allowed(user, report, CHANGE)


def _plan_may(user: User, pair: models.Model, action: str) -> bool:
    plan = getattr(pair, "plan", None)
    return plan is not None and _allowed(user, plan, CHANGE)


def _photo(method: str, subject: Subject | None, world: AccessWorld, ctx: Any) -> Any:
    return {"image": SimpleUploadedFile("p.png", ctx.png, content_type="image/png"), "caption": "测试"}


def _why_query(subject: Subject, world: AccessWorld) -> dict[str, Any]:
    enterprise, village = _campaign_parties(subject.obj)
    return {"enterprise": enterprise, "village": village}


def _why_mixed(world: AccessWorld) -> list[tuple[Subject, dict[str, Any]]]:
    own = world.one("pairing.Campaign")
    foreign_enterprise = world.world.enterprise2
    _e, village = _campaign_parties(own)
    subject = Subject("own-campaign-foreign-enterprise", FOREIGN, foreign_enterprise)
    return [(subject, {"pk": own.pk, "_query": {"enterprise": foreign_enterprise.pk, "village": village}})]


def _rank_kwargs(subject: Subject, world: AccessWorld) -> dict[str, Any]:
    return {"pk": subject.obj.campaign_id, "participant": subject.obj.pk}  # type: ignore[attr-defined]


def _rank_mixed(world: AccessWorld) -> list[tuple[Subject, dict[str, Any]]]:
    own = world.one("pairing.Campaign")
    foreign = world.one("pairing.Participant", FOREIGN)
    return [(Subject("own-campaign-foreign-participant", FOREIGN, foreign), {"pk": own.pk, "participant": foreign.pk})]


def _photo_kwargs(subject: Subject, world: AccessWorld) -> dict[str, Any]:
    return {"pk": subject.obj.activity_id, "photo": subject.obj.pk}  # type: ignore[attr-defined]


def _photo_mixed(world: AccessWorld) -> list[tuple[Subject, dict[str, Any]]]:
    own = world.one("pairing.Activity")
    foreign = world.one("pairing.ActivityPhoto", FOREIGN)
    return [(Subject("own-activity-foreign-photo", FOREIGN, foreign), {"pk": own.pk, "photo": foreign.pk})]


def _photo_visible(user: User, photo: models.Model) -> bool:
    return allowed(user, photo.activity, VIEW)  # type: ignore[attr-defined]


def _article_form(method: str, subject: Subject | None, world: AccessWorld, ctx: Any) -> Any:
    assert subject is not None
    article: Any = type(subject.obj)._default_manager.get(pk=subject.obj.pk)
    return {
        "county": article.county_id,
        "column": article.column,
        "title": article.title + "（改）",
        "body": article.body,
        "version": article.version,
    }


def _picture_visible(user: User, picture: models.Model) -> bool:
    return allowed(user, picture.article, VIEW)  # type: ignore[attr-defined]


def _revision_may(user: User, revision: models.Model, action: str) -> bool:
    return allowed(user, revision.article, action)  # type: ignore[attr-defined]


def _public(user: User, obj: models.Model) -> bool:
    """A public page shows a selection (or its candidate) in a public stage to everyone."""
    selection: Any = getattr(obj, "selection", obj)
    return bool(selection.is_public)


PAIRS = ("pairing.Pair", "pairing.Pair:proposal")
PAGES: dict[str, Spec] = {
    "core:home": Spec(),
    "core:search": Spec(query=None),
    "core:import_job": Spec(
        subjects=("core.ImportJob",), methods=("get", "post"), visible=_owner_only, may=lambda u, o, a: False
    ),
    "api-root": Spec(json=False),
    "api-reporting": Spec(
        subjects=("pairing.Campaign",),
        query=lambda s, w: {"campaign": s.obj.pk, "period": "2026-01"},
        missing_query={"campaign": MISSING_PK, "period": "2026-01"},
    ),
    "pairing:campaign_advance": Spec(
        subjects=("pairing.Campaign",),
        methods=("get", "post"),
        actions={"post": "advance"},
        payload=lambda m, s, w, c: {"to": _next_stage(s.obj) if s else "", "confirm_name": s.obj.name if s else ""},
    ),
    "pairing:campaign_rank": Spec(
        subjects=("pairing.Participant",),
        methods=("get", "post"),
        actions={"post": "rank"},
        kwargs=_rank_kwargs,
        payload=lambda m, s, w, c: {"capacity": "2"},
        mixed=_rank_mixed,
    ),
    "pairing:campaign_rankings": Spec(subjects=("pairing.Campaign",)),
    "pairing:campaign_match": Spec(subjects=("pairing.Campaign",), methods=("post",), actions={"post": "match"}),
    "pairing:campaign_review": Spec(
        subjects=("pairing.Campaign",), methods=("get", "post"), actions={"post": "override"}, payload=_override
    ),
    "pairing:campaign_override_pick": Spec(
        subjects=("pairing.Campaign",),
        variants=({"side": "enterprise"}, {"side": "village"}),
        query=lambda s, w: {"q": "1"},
    ),
    "pairing:campaign_appoint": Spec(
        subjects=("pairing.Campaign",), methods=("get", "post"), actions={"post": "appoint"}, payload=_appoint
    ),
    "pairing:campaign_dashboard": Spec(subjects=("pairing.Campaign",)),
    "pairing:campaign_dashboard_export": Spec(subjects=("pairing.Campaign",), variants=({"table": "coverage"},)),
    "pairing:campaign_ledger": Spec(subjects=("pairing.Campaign",)),
    "pairing:campaign_late": Spec(subjects=("pairing.Campaign",)),
    "pairing:campaign_late_export": Spec(subjects=("pairing.Campaign",)),
    "pairing:campaign_why": Spec(subjects=("pairing.Campaign",), query=_why_query, mixed=_why_mixed),
    "pairing:matchrun_detail": Spec(subjects=("pairing.MatchRun",)),
    "pairing:matchrun_export": Spec(subjects=("pairing.MatchRun",), actions={"get": EXPORT}),
    "pairing:pair_action": Spec(
        subjects=PAIRS,
        methods=("post",),
        variants=tuple({"action": a} for a in ("township_approve", "return", "approve", "reject", "drop", "reopen")),
        variant_actions={
            "township_approve": "review",
            "return": "return",
            "approve": "approve",
            "reject": "reject",
            "drop": "override",
            "reopen": "reopen",
        },
        payload=_reason,
    ),
    "pairing:pair_plan": Spec(
        subjects=("pairing.Pair",),
        methods=("post",),
        payload=lambda m, s, w, c: {"mode": "employment", "jobs": "12", "investment": "100"},
        may=_plan_may,
    ),
    "pairing:pair_letter_issue": Spec(subjects=PAIRS, methods=("post",), actions={"post": "issue_letter"}),
    "pairing:pair_letter_preview": Spec(subjects=PAIRS),
    "pairing:pair_report": Spec(
        subjects=("pairing.Pair",),
        methods=("get", "post"),
        variants=({"period": "2026-01-01"},),
        payload=_report_form,
        may=_report_may,
    ),
    "pairing:appointment_letter_issue": Spec(
        subjects=("pairing.LiaisonAppointment",), methods=("post",), actions={"post": "issue_letter"}
    ),
    "pairing:appointment_letter_preview": Spec(subjects=("pairing.LiaisonAppointment",)),
    "pairing:letter_pdf": Spec(subjects=("pairing.Letter",), visible=_letter_visible),
    "pairing:report_review": Spec(
        subjects=("pairing.Report",),
        methods=("post",),
        variants=({"action": "accept"}, {"action": "return"}),
        variant_actions={"accept": "accept", "return": "return"},
        payload=_reason,
    ),
    "pairing:activity_photo": Spec(
        subjects=("pairing.Activity",), methods=("post",), actions={"post": CHANGE}, payload=_photo
    ),
    "pairing:activity_confirm": Spec(subjects=("pairing.Activity",), methods=("post",), actions={"post": "confirm"}),
    "pairing:activity_photo_file": Spec(
        subjects=("pairing.ActivityPhoto",), kwargs=_photo_kwargs, visible=_photo_visible, mixed=_photo_mixed
    ),
    # Bulk actions: each item through its own service; the batch holds own, sibling and
    # foreign rows, so a refused item is judged with the others.
    "pairing:campaign_review_bulk": Spec(
        subjects=("pairing.Campaign",),
        methods=("post",),
        variants=tuple({"action": a} for a in ("review", "return", "approve", "reject")),
        variant_actions={"review": "review", "return": "return", "approve": "approve", "reject": "reject"},
        payload=lambda m, s, w, c: {"pairs": _ids(w, "pairing.Pair:proposal"), "reason": "测试理由"},
        may=_bulk_review_may,
    ),
    "pairing:report_bulk_accept": Spec(
        methods=("post",),
        actions={"post": "accept"},
        model="pairing.Report",
        payload=lambda m, s, w, c: {"reports": _ids(w, "pairing.Report")},
    ),
    "pairing:campaign_late_remind": Spec(
        subjects=("pairing.Campaign",),
        methods=("post",),
        actions={"post": "remind"},
        payload=lambda m, s, w, c: {"townships": _townships(w)},
    ),
    # The inbox: a person's own notifications only (another's is 404, like no row at all).
    "inbox:notifications": Spec(),
    # A filer's own pairs: rows through the liaison and enterprise contact hats only.
    "pairing:my_pairs": Spec(),
    "inbox:notification_open": Spec(
        subjects=("inbox.Notification",), methods=("get", "post"), actions={"post": CHANGE}, expect_write=("post",)
    ),
    "inbox:notifications_read": Spec(methods=("post",), actions={"post": CHANGE}, model="inbox.Notification"),
    "inbox:bell": Spec(),
    # Cadre files: showing the full identifiers is the policy's "unmask" action (logged).
    "cadres:person_unmask": Spec(subjects=("cadres.Person",), methods=("post",), actions={"post": "unmask"}),
    "cadres:person_stage": Spec(
        subjects=("cadres.Person",),
        methods=("post",),
        actions={"post": "advance"},
        payload=lambda m, s, w, c: {"stage": "found", "date": "2026-01-01"},
    ),
    "cadres:compliance": Spec(),
    # The yearly review of a reserve person (the pipeline's "advance" right); the person's
    # own data on request (export and unmask rights; the form first); the structure (counts).
    "cadres:person_review": Spec(
        subjects=("cadres.Person",),
        methods=("post",),
        actions={"post": "advance"},
        payload=lambda m, s, w, c: {"date": "2026-01-01", "note": "年度考核"},
    ),
    "cadres:person_data": Spec(subjects=("cadres.Person",), actions={"get": "unmask"}),
    "cadres:structure": Spec(),
    "cadres:structure_export": Spec(),
    "cadres:body_counts": Spec(),
    "api-cadres-compliance": Spec(),
    # Training and friend-making: workflow steps through the services (cadre officers only).
    "cadres:course_enrol": Spec(
        subjects=("cadres.Course",),
        methods=("post",),
        actions={"post": ADD},
        payload=lambda m, s, w, c: {"person": w.one("cadres.Person").pk},
    ),
    "cadres:enrolment_attend": Spec(
        subjects=("cadres.Enrolment",),
        methods=("post",),
        actions={"post": CHANGE},
        payload=lambda m, s, w, c: {"hours": "12"},
        expect_write=("post",),
    ),
    "cadres:enrolment_complete": Spec(
        subjects=("cadres.Enrolment",),
        methods=("post",),
        actions={"post": CHANGE},
        payload=lambda m, s, w, c: {"on": "2026-03-06", "certificate_number": "测试-001"},
        expect_write=("post",),
    ),
    "cadres:enrolment_certificate": Spec(subjects=("cadres.Enrolment",)),
    "cadres:person_recommend": Spec(
        subjects=("cadres.Person",),
        methods=("post",),
        actions={"post": ADD},
        payload=lambda m, s, w, c: {"college": "city_college", "on": "2026-02-01", "recommended_by": "县委统战部"},
        expect_write=("post",),
    ),
    "cadres:training_hours": Spec(),
    "cadres:not_trained": Spec(),
    "cadres:not_trained_export": Spec(),
    "cadres:friends": Spec(),
    "cadres:friends_overdue": Spec(),
    # Chambers of commerce: the workflow steps of members, applications, dues and cases.
    "chambers:membership_transition": Spec(
        subjects=("chambers.Membership",),
        methods=("post",),
        actions={"post": "transition"},
        payload=lambda m, s, w, c: {"to": "grace", "on": "2026-06-01", "reason": ""},
    ),
    "chambers:dashboard": Spec(),
    "chambers:dashboard_export": Spec(),
    "chambers:membership_certificate": Spec(subjects=("chambers.Membership",), actions={"get": "certify"}),
    "chambers:application_action": Spec(
        subjects=("chambers.Application",),
        methods=("post",),
        variants=({"action": "review"}, {"action": "approve"}, {"action": "return"}),
        variant_actions={"review": "review", "approve": "approve", "return": "return"},
        payload=_reason,
    ),
    "chambers:dues_raise": Spec(
        methods=("get", "post"),
        actions={"get": ADD, "post": ADD},
        model="chambers.Dues",
        payload=lambda m, s, w, c: {"chamber": w.world.chambers.own.pk, "year": "2027", "due_on": "2027-03-31"},
    ),
    "chambers:dues_pay": Spec(
        subjects=("chambers.Dues",),
        methods=("post",),
        actions={"post": "pay"},
        payload=lambda m, s, w, c: {"amount": "1000", "on": "2026-06-01", "receipt": "R1"},
    ),
    "chambers:memberactivity_step": Spec(
        subjects=("chambers.MemberActivity",),
        methods=("post",),
        variants=({"action": "sign_up"}, {"action": "attendance"}, {"action": "feedback"}),
        variant_actions={"sign_up": "sign_up", "attendance": "attend", "feedback": "sign_up"},
        payload=lambda m, s, w, c: {
            "membership": _member(w),
            "present": _signups(w),
            "signup": _signups(w)[0],
            "rating": "5",
        },
    ),
    "chambers:boardpost_close": Spec(
        subjects=("chambers.BoardPost",), methods=("post",), actions={"post": CHANGE}, may=_close_may
    ),
    "chambers:rightscase_step": Spec(
        subjects=("chambers.RightsCase",),
        methods=("post",),
        variants=tuple(
            {"action": step} for step in ("acknowledge", "assign", "refer", "note", "finish", "rate", "reopen")
        ),
        variant_actions={
            "acknowledge": "triage",
            "assign": "assign",
            "refer": "handle",
            "note": "handle",
            "finish": "handle",
            "rate": "rate",
            "reopen": "reopen",
        },
        payload=_case_steps,
    ),
    # The portal's editorial side: every step through the article's services.
    "editorial:article_list": Spec(),
    "editorial:article_add": Spec(
        methods=("get", "post"),
        actions={"get": ADD, "post": ADD},
        model="portal.Article",
        payload=lambda m, s, w, c: {"county": w.world.county.pk, "column": "news", "title": "新稿", "body": "<p>x</p>"},
    ),
    "editorial:article_detail": Spec(subjects=("portal.Article",), strict=True),
    "editorial:article_edit": Spec(
        subjects=("portal.Article",),
        methods=("get", "post"),
        actions={"get": CHANGE, "post": CHANGE},
        payload=_article_form,
        strict=True,
        expect_write=("post",),
    ),
    "editorial:article_action": Spec(
        subjects=("portal.Article",),
        methods=("post",),
        variants=tuple({"action": a} for a in ("submit", "publish", "return", "unpublish")),
        variant_actions={"submit": "submit", "publish": "publish", "return": "return", "unpublish": "unpublish"},
        payload=_reason,
    ),
    "editorial:image_upload": Spec(
        subjects=("portal.Article",), methods=("post",), actions={"post": CHANGE}, payload=_photo
    ),
    "editorial:image": Spec(subjects=("portal.ArticleImage",), visible=_picture_visible),
    "editorial:revision_detail": Spec(subjects=("portal.ArticleRevision",)),
    "editorial:revision_restore": Spec(
        subjects=("portal.ArticleRevision",), methods=("post",), actions={"post": CHANGE}, may=_revision_may
    ),
    # Selections: workflow steps through the services (refused in the world's stage: no write).
    "selection:selection_advance": Spec(
        subjects=("selection.Selection",),
        methods=("post",),
        actions={"post": "advance"},
        payload=lambda m, s, w, c: {"to": "nomination"},
    ),
    "selection:selection_dashboard": Spec(subjects=("selection.Selection",)),
    "selection:selection_dashboard_export": Spec(subjects=("selection.Selection",), actions={"get": EXPORT}),
    "selection:nomination_review": Spec(
        subjects=("selection.Nomination",),
        methods=("post",),
        variants=tuple({"action": a} for a in ("check", "qualify", "reject")),
        variant_actions={"check": "qualify", "qualify": "qualify", "reject": "qualify"},
        payload=lambda m, s, w, c: {"criterion": "1", "met": "on", "evidence": "测试", "reason": "测试理由"},
    ),
    "selection:nomination_score": Spec(
        subjects=("selection.Nomination",),
        methods=("get", "post"),
        actions={"get": "score", "post": "score"},
        payload=lambda m, s, w, c: {"conflict": "1", "reason": "亲属"},
    ),
    "selection:nomination_photo": Spec(subjects=("selection.Nomination",)),
    "selection:objection_answer": Spec(
        subjects=("selection.Objection",),
        methods=("post",),
        actions={"post": CHANGE},
        payload=lambda m, s, w, c: {"answer": "经核实", "upheld": ""},
    ),
    # Public pages: only selections in a public stage (none in the world: 404 for all).
    "selection:public_list": Spec(),
    "selection:public_ballot": Spec(subjects=("selection.Selection",), visible=_public),
    "selection:public_challenge": Spec(subjects=("selection.Selection",), visible=_public),
    "selection:public_results": Spec(subjects=("selection.Selection",), visible=_public),
    "selection:public_code": Spec(
        subjects=("selection.Selection",),
        methods=("post",),
        visible=_public,
        payload=lambda m, s, w, c: {"phone": "13800138000", "altcha": ""},
    ),
    "selection:public_verify": Spec(
        subjects=("selection.Selection",),
        methods=("post",),
        visible=_public,
        payload=lambda m, s, w, c: {"code": "123456"},
    ),
    "selection:public_vote": Spec(
        subjects=("selection.Nomination",),
        methods=("post",),
        kwargs=lambda s, w: {"pk": s.obj.selection_id, "candidate": s.obj.pk},  # type: ignore[attr-defined]
        visible=_public,
    ),
    # Platforms: the department's answer is the policy's "answer" action; the dashboards
    # read (and export) the rows in scope; the performance record is the cadre officers'.
    "platforms:proposal_answer": Spec(
        subjects=("platforms.Proposal",),
        methods=("post",),
        actions={"post": "answer"},
        payload=lambda m, s, w, c: {"state": "adopted", "date": "2026-02-01", "text": "采纳"},
    ),
    "platforms:performance": Spec(),
    "platforms:request_match": Spec(
        subjects=("platforms.ServiceRequest",),
        methods=("post",),
        actions={"post": "match"},
        payload=lambda m, s, w, c: {"volunteer": w.one("platforms.Intellectual").pk},
    ),
    "platforms:request_accept": Spec(
        subjects=("platforms.ServiceRequest",),
        methods=("post",),
        actions={"post": "accept"},
        payload=lambda m, s, w, c: {"date": "2026-06-01"},
    ),
    "platforms:lead_step": Spec(
        subjects=("platforms.InvestmentLead",),
        methods=("post",),
        actions={"post": "advance"},
        payload=lambda m, s, w, c: {"stage": "contacted", "date": "2026-03-02"},
    ),
    # A dashboard per platform and the Excel file behind each chart (``?table=``).
    **{
        f"platforms:{board}_{page}": Spec()
        for board in ("research", "charity", "investment", "intellectuals")
        for page in ("dashboard", "dashboard_export")
    },
    "inbox:preferences": Spec(
        methods=("get", "post"),
        actions={"post": CHANGE},
        model="inbox.NotificationPreference",
        payload=lambda m, s, w, c: {"email_digest": "daily"},
    ),
}


def spec_for(route: Route) -> Spec:
    """How the generated test tries ``route`` (LookupError: it is not described)."""
    if route.kind == "admin":
        return _admin_spec(route)
    if route.viewset_actions is not None:
        return _api_spec(route)
    ledger = route.initkwargs.get("ledger")
    if isinstance(ledger, Ledger):
        return _ledger_spec(route, ledger)
    name = route.name
    if name in PAGES:
        return PAGES[name]
    raise LookupError(f"{route.pattern} ({name or 'unnamed'}): describe it in PAGES or exempt it in EXEMPT")


ROUTES = [route for route in all_routes() if exemption(route) is None]


# ---------------------------------------------------------------------------------------
# The shared world: built once per module inside a transaction that is rolled back at the
# end; every test runs in a savepoint of its own, and every request in one more.


@dataclass
class Context:
    world: AccessWorld
    clients: dict[str, Client]
    superuser: User
    png: bytes
    foreign_marks: tuple[str, ...]
    sibling_marks: tuple[str, ...]
    admin_action: str = ""
    _representations: dict[tuple[str, int], Any] = field(default_factory=dict)

    def representation(self, subject: Subject | None) -> Any:
        """The API's own JSON for a row (as a superuser reads it): an unchanged PUT or a
        create of a copy."""
        if subject is None:
            return {}
        key = (type(subject.obj)._meta.label, subject.obj.pk)
        if key not in self._representations:
            self._representations[key] = {}
            path = ctx_detail_path(subject.obj)
            if path is not None:
                client = Client()
                client.force_login(self.superuser)
                response = client.get(path)
                if response.status_code == 200:
                    self._representations[key] = response.json()
        return dict(self._representations[key])


def ctx_detail_path(obj: models.Model) -> str | None:
    """The API detail path of a row (proposals excepted: pairs are read under /pairs/)."""
    for route in ROUTES:
        retrieve = bool(route.viewset_actions) and route.viewset_actions.get("get") == "retrieve"  # type: ignore[union-attr]
        if not retrieve or route.is_format_suffix or route.view_class.__name__ == "ProposalViewSet":
            continue
        if route.view_class.serializer_class.Meta.model is type(obj):
            return route.url(pk=obj.pk)
    return None


def _png() -> bytes:
    from PIL import Image

    buffer = io.BytesIO()
    Image.new("RGB", (2, 2), "red").save(buffer, format="PNG")
    return buffer.getvalue()


def _add_photos(world: AccessWorld) -> None:
    from tongxin.pairing.models import ActivityPhoto

    png = _png()
    subjects = []
    for subject in world.of("pairing.Activity"):
        photo = ActivityPhoto(activity=subject.obj, caption="照片")
        photo.image.save("photo.png", SimpleUploadedFile("photo.png", png, content_type="image/png"), save=False)
        photo.save()
        subjects.append(Subject(subject.label, subject.place, photo))
    world.subjects["pairing.ActivityPhoto"] = subjects


def _plain_error(status: int) -> Callable[..., HttpResponse]:
    def handler(request: Any, exception: Any = None) -> HttpResponse:
        return HttpResponse(b"", status=status)

    return handler


@pytest.fixture(scope="module")
def ctx(django_db_setup: Any, django_db_blocker: Any) -> Iterator[Context]:
    """The world, built once. What is not under test is made cheap for the thousands of
    requests: sessions live in signed cookies, 403/404 answers are plain (their status is
    what is judged; their page is tested elsewhere) and the test client keeps no copies of
    template contexts."""
    import django.test.client as test_client

    import tongxin.urls as root

    keep_templates = test_client.store_rendered_templates
    test_client.store_rendered_templates = lambda *args, **kwargs: None  # no context copies: unused here
    handlers = {name: getattr(root, name, None) for name in ("handler403", "handler404")}
    root.handler403, root.handler404 = _plain_error(403), _plain_error(404)  # type: ignore[attr-defined]
    cookies = override_settings(SESSION_ENGINE="django.contrib.sessions.backends.signed_cookies")
    cookies.enable()
    with module_transaction(django_db_blocker):
        try:
            world = build_access_world()
            _add_photos(world)
            for person in world.users.values():
                person.is_staff = True  # the admin then judges them by their hats alone
                person.save(update_fields=["is_staff"])
            superuser = User.objects.create_superuser("root", password="x")
            w = world.world
            foreign = (
                w.village2.name,
                w.enterprise2.name,
                w.township2.name,
                world.pworld.campaign2.name,
                "淳安县领导小组",
            )
            sibling = (w.village_b.name, w.enterprise_b.name)
            yield Context(world, logged_in_clients(world.users), superuser, _png(), foreign, sibling)
        finally:
            cookies.disable()
            test_client.store_rendered_templates = keep_templates
            for name, handler in handlers.items():
                if handler is None:
                    delattr(root, name)
                else:
                    setattr(root, name, handler)


@pytest.fixture
def shared(ctx: Context, db: Any) -> Context:
    """The shared world for one test; ``db`` wraps the test in a savepoint of the module's
    transaction, rolled back after it."""
    from django.core.cache import cache

    cache.clear()  # the API's rate limits count per user
    _ANSWERS.clear()
    return ctx


# ---------------------------------------------------------------------------------------
# Trying one route


@dataclass
class Attempt:
    who: str
    subject: Subject | None
    method: str
    path: str
    outcome: Outcome


@dataclass
class Findings:
    route: Route
    problems: list[str] = field(default_factory=list)
    tries: int = 0

    def add(self, attempt: Attempt, problem: str) -> None:
        label = attempt.subject.label if attempt.subject else "-"
        line = f"{attempt.who} {attempt.method.upper()} {attempt.path} [{label}] → {attempt.outcome.status}: {problem}"
        if attempt.outcome.error:
            line += "\n" + attempt.outcome.error
        self.problems.append(line)


def _text(outcome: Outcome) -> str:
    try:
        return outcome.content.decode("utf-8")
    except UnicodeDecodeError:
        return ""  # a spreadsheet or PDF


def _visible(spec: Spec, user: User, subject: Subject) -> bool:
    if spec.visible is not None:
        return spec.visible(user, subject.obj)
    return _allowed(user, subject.obj, VIEW)


def _may(spec: Spec, user: User, subject: Subject, action: str) -> bool:
    if spec.may is not None:
        return spec.may(user, subject.obj, action)
    return _allowed(user, subject.obj, action)


def _send(
    ctx: Context, spec: Spec, who: str, method: str, path: str, data: Any, watch: Any, *, look: bool = True
) -> Outcome:
    client = ctx.clients[who]
    if method == "get":
        return judge(client, "get", path, data=data, watch=watch)
    return judge(client, method, path, data=data, json=spec.json, watch=watch, look=look)


def _check_marks(ctx: Context, findings: Findings, attempt: Attempt, collection: bool) -> None:
    if attempt.method != "get" or attempt.outcome.status != 200:
        return
    text = _text(attempt.outcome)
    for mark in ctx.foreign_marks:
        if mark in text:
            findings.add(attempt, f"shows a foreign row ({mark})")
    if collection and attempt.who in LOWER_ROLES:
        for mark in ctx.sibling_marks:
            if mark in text:
                findings.add(attempt, f"shows a sibling township's row ({mark})")


def _try_object_route(ctx: Context, route: Route, spec: Spec, findings: Findings) -> None:
    world = ctx.world
    subjects: list[tuple[Subject, dict[str, Any]]] = []
    for key in spec.subjects:
        for subject in world.of(key):
            if subject.place not in spec.places:
                continue
            values = spec.kwargs(subject, world) if spec.kwargs else {"pk": subject.obj.pk}
            subjects.append((subject, values))
    if spec.mixed is not None:
        subjects += spec.mixed(world)
    written: dict[str, bool] = dict.fromkeys(spec.expect_write, False)
    for variant in spec.variants:
        variant_action = spec.variant_actions.get(str(variant.get("action", "")))
        for who in spec.who:
            user = world.users[who]
            for method in spec.methods:
                action = variant_action or spec.actions.get(method, VIEW)
                # An id that names nothing: the answer every hidden row must share.
                missing_values = {k: MISSING_PK for k in route.kwargs if k not in variant}
                missing_values.update({k: v for k, v in variant.items() if k in route.kwargs})
                missing_path = route.url(**missing_values)
                if method == "get":
                    data = spec.missing_query
                else:
                    # A real payload (that of the first row), sent to an id that names nothing.
                    template = subjects[0][0] if subjects else None
                    data = spec.payload(method, template, world, ctx) if spec.payload else None
                    if spec.missing_query:
                        missing_path += "?" + "&".join(f"{k}={v}" for k, v in spec.missing_query.items())
                missing: Outcome | None = None
                if spec.admin or who in MISSING_WHO:  # the admin's answer is compared per person
                    missing = _send(ctx, spec, who, method, missing_path, data, None)
                    attempt = Attempt(who, None, method, missing_path, missing)
                    findings.tries += 1
                    if missing.status >= 500:
                        findings.add(attempt, "server error")
                    elif not spec.admin and missing.status != 404:
                        findings.add(attempt, "an id that names nothing must be 404")
                for subject, given in subjects:
                    values = dict(given)
                    query = values.pop("_query", None)
                    if query is None and spec.query is not None:
                        query = spec.query(subject, world)
                    url_values = {**{k: v for k, v in variant.items() if k in route.kwargs}, **values}
                    url_values = {k: v for k, v in url_values.items() if k in route.kwargs}
                    path = route.url(**url_values)
                    if method == "get":
                        data = query
                    else:
                        data = spec.payload(method, subject, world, ctx) if spec.payload else {}
                        if query:
                            path += "?" + "&".join(f"{k}={v}" for k, v in query.items())
                    # What an allowed write does is not judged here (only that one of them
                    # writes, where expect_write says so): such writes are not watched.
                    may = _visible(spec, user, subject) and _may(spec, user, subject, action)
                    look = method in written or not may
                    outcome = _send(ctx, spec, who, method, path, data, subject.obj, look=look)
                    findings.tries += 1
                    attempt = Attempt(who, subject, method, path, outcome)
                    _judge_object(ctx, spec, findings, attempt, user, action, missing)
                    if method in written and outcome.written and may:
                        written[method] = True
    for method, done in written.items():
        if not done:
            findings.problems.append(
                f"{method.upper()}: no allowed try wrote anything — the payload is not a real change"
            )


def _judge_object(
    ctx: Context, spec: Spec, findings: Findings, attempt: Attempt, user: User, action: str, missing: Outcome | None
) -> None:
    outcome = attempt.outcome
    subject = attempt.subject
    assert subject is not None
    if outcome.status >= 500:
        findings.add(attempt, "server error")
        return
    out_of_reach = subject.place == FOREIGN or (subject.place == SIBLING and attempt.who in LOWER_ROLES)
    visible = _visible(spec, user, subject)
    if out_of_reach and visible:
        findings.add(attempt, f"the policy lets {attempt.who} see a {subject.place} row")
    hidden = out_of_reach or not visible
    if hidden:
        if spec.visible is _nobody and spec.admin:
            # Superuser-only admin pages: Django's admin refuses (403) or redirects (302).
            if outcome.status not in (302, 403, 404):
                findings.add(attempt, "superusers only: must be refused")
        elif spec.admin:
            assert missing is not None
            if outcome.status == 200 or outcome.status != missing.status:
                findings.add(attempt, f"must answer as for an id that names nothing ({missing.status})")
        elif outcome.status != 404:
            findings.add(attempt, "out of scope: must be 404")
    may = not hidden and _may(spec, user, subject, action)
    if attempt.method in WRITE_METHODS and not may and outcome.written:
        findings.add(attempt, f"{attempt.who} may not {action} it, yet it wrote: {outcome.written}")
    if attempt.method == "get" and spec.strict and not hidden:
        expected = 200 if may else 404
        if outcome.status != expected:
            findings.add(attempt, f"policy says {action} is {'allowed' if may else 'not allowed'}: expected {expected}")
    _check_marks(ctx, findings, attempt, collection=False)


def _try_collection_route(ctx: Context, route: Route, spec: Spec, findings: Findings) -> None:
    world = ctx.world
    model = apps.get_model(spec.model) if spec.model else _collection_model(route)
    values = {k: v for k, v in spec.variants[0].items() if k in route.kwargs}
    if "format" in route.kwargs:
        values["format"] = "json"
    if "app_label" in route.kwargs:
        values["app_label"] = "regions"
    if "url" in route.kwargs:
        values["url"] = "regions/nothing/"
    path = route.url(**values)
    for who in spec.who:
        user = world.users[who]
        for method in spec.methods:
            action = spec.actions.get(method, ADD if method == "post" else VIEW)
            data: Any = {"q": "村"} if route.name == "core:search" and method == "get" else None
            if method != "get" and spec.payload is not None:
                own = world.subjects.get(world_key(model)) if model is not None else None
                data = spec.payload(method, own[0] if own else None, world, ctx)
            outcome = _send(ctx, spec, who, method, path, data, None)
            findings.tries += 1
            attempt = Attempt(who, None, method, path, outcome)
            if outcome.status >= 500:
                findings.add(attempt, "server error")
                continue
            if method in WRITE_METHODS and outcome.written:
                may = model is not None and has_policy(model) and _can(user, model, action)
                if not may:
                    findings.add(attempt, f"{who} may not {action} here, yet it wrote: {outcome.written}")
            _check_marks(ctx, findings, attempt, collection=True)


def _can(user: User, model: type[models.Model], action: str) -> bool:
    from tongxin.core.scope import can

    return can(user, model, action)


def _collection_model(route: Route) -> type[models.Model] | None:
    ledger = route.initkwargs.get("ledger")
    if isinstance(ledger, Ledger):
        return ledger.model
    cls = route.view_class
    serializer = getattr(cls, "serializer_class", None)
    if serializer is not None:
        return serializer.Meta.model  # type: ignore[no-any-return]
    if route.kind == "admin":
        return _admin_model(route)
    return None


# Known leaks, each a strict xfail: when it is fixed the test says so, and the entry goes.
KNOWN: dict[str, str] = {}


def _params() -> list[Any]:
    params = []
    for route in ROUTES:
        marks = [pytest.mark.xfail(strict=True, reason=KNOWN[route.pattern])] if route.pattern in KNOWN else []
        params.append(pytest.param(route, id=route.pattern, marks=marks))
    return params


@pytest.mark.parametrize("route", _params())
def test_route_obeys_scope(shared: Context, route: Route) -> None:
    """Every role, against own / sibling / foreign rows and an id naming nothing, with GET
    and each write method: no 5xx, foreign and out-of-scope rows 404 (never 403 or 200),
    refused writes change nothing, ledger and API reads agree with the policy, and no
    answer shows a foreign row."""
    ctx = shared
    spec = spec_for(route)
    findings = Findings(route)
    ctx.admin_action = route.pattern.rstrip("/").rsplit("/", 1)[-1]
    if spec.subjects or spec.mixed is not None or (route.kwargs and not _is_collection(route)):
        _try_object_route(ctx, route, spec, findings)
    else:
        _try_collection_route(ctx, route, spec, findings)
    assert findings.tries > 0
    assert not findings.problems, f"{route.pattern}: {len(findings.problems)} problem(s)\n" + "\n".join(
        findings.problems[:25]
    )


def _is_collection(route: Route) -> bool:
    return set(route.kwargs) <= {"format", "app_label", "url"}


# ---------------------------------------------------------------------------------------
# Completeness


def test_every_route_is_covered() -> None:
    """Every URL pattern is described for the generated test or exempt with a reason, and
    each description resolves to the pattern's own view (a new route fails here)."""
    problems = []
    for route in all_routes():
        if exemption(route) is not None:
            continue
        try:
            spec = spec_for(route)
        except LookupError as exc:
            problems.append(str(exc))
            continue
        for key in spec.subjects:
            if key not in SUBJECT_KEYS:
                problems.append(f"{route.pattern}: no objects for {key} in build_access_world()")
                continue
            model = apps.get_model(key.split(":")[0])
            named = {*spec.actions.values(), *spec.variant_actions.values()}
            if spec.may is None and has_policy(model):
                undeclared = named - policy_of(model)[1].actions
                if undeclared:
                    problems.append(f"{route.pattern}: {model._meta.label} declares no action {sorted(undeclared)}")
        values = dict.fromkeys(route.kwargs, MISSING_PK)
        values.update({k: v for k, v in spec.variants[0].items() if k in route.kwargs})
        values.update(
            {
                k: {"format": "json", "app_label": "regions", "url": "x/"}[k]
                for k in route.kwargs
                if k in ("format", "app_label", "url") and k not in spec.variants[0]
            }
        )
        if resolve(route.url(**values).split("?")[0]).func is not route.callback:
            problems.append(f"{route.pattern}: the filled-in path resolves to another view")
    assert not problems, "\n".join(problems)
    assert len(EXEMPT) < 20, "exemptions are for the few routes that name no data; describe the rest"


def test_every_exemption_names_a_route() -> None:
    """An exemption whose route is gone is removed, so the list stays honest."""
    patterns = {route.pattern for route in all_routes()}
    assert set(EXEMPT) <= patterns, set(EXEMPT) - patterns


SUBJECT_KEYS = {
    "regions.Province", "regions.Prefecture", "regions.County", "regions.Township", "regions.Village",
    "enterprises.Enterprise", "surveys.Survey", "pairing.Campaign", "pairing.Participant", "pairing.MatchRun",
    "pairing.Pair", "pairing.Pair:proposal", "pairing.PairPlan", "pairing.LiaisonAppointment", "pairing.Letter",
    "pairing.Activity", "pairing.Support", "pairing.Report", "pairing.LeadingGroup", "pairing.GroupMember",
    "pairing.JointMeeting", "pairing.Decision", "accounts.User", "accounts.RoleAssignment", "accounts.SecurityEvent",
    "core.ImportJob", "core.ObjectChange", "auth.Group", "pairing.ActivityPhoto", "inbox.Notification",
    "cadres.Person", "cadres.AccessLog", "cadres.Body", "cadres.Post", "cadres.StaffingRule",
    "cadres.Course", "cadres.Enrolment", "cadres.Recommendation", "cadres.LeadingCadre", "cadres.FriendPair",
    "cadres.FriendContact",
    "cadres.StageRecord",
    "chambers.Chamber", "chambers.Officer", "chambers.MembershipLevel", "chambers.Membership",
    "chambers.Application", "chambers.Dues", "chambers.RightsCase", "chambers.MemberActivity",
    "chambers.BoardPost",
    "portal.Article", "portal.ArticleRevision", "portal.ArticleImage",
    "selection.Selection", "selection.Category", "selection.Criterion", "selection.Juror", "selection.Deputy",
    "selection.Nomination", "selection.Recommendation", "selection.Objection", "selection.Mark",
    "platforms.ResearchTopic", "platforms.ResearchReport", "platforms.Proposal", "platforms.Instruction",
    "platforms.Milestone", "platforms.Participation", "platforms.Organisation", "platforms.CharityActivity",
    "platforms.CharityEvent", "platforms.Association", "platforms.Contact", "platforms.PromotionEvent",
    "platforms.InvestmentLead", "platforms.Talent", "platforms.Intellectual", "platforms.CountrysideActivity",
    "platforms.ServiceRequest", "platforms.InnovationProject",
}  # fmt: skip

# Models that are never served by their own URL, a ledger or a viewset: why each has no policy.
NOT_SERVED: dict[str, str] = {
    "core.ObjectChange": "the change log: shown only inside a row's history page (scoped by that row) and to superusers",
    "regions.Division": "the official table of division codes: reference data, the same for everyone",
    "core.Capability": "the controlled vocabulary (needs, advantages): the same for everyone, no data of a place",
    "core.ImportJob": "an upload: only its owner sees it (core:import_job filters by owner)",
    "accounts.SecurityEvent": "the sign-in log: superusers only (admin)",
    "pairing.Preference": "a participant's ranking rows: read and written through the participant (rank)",
    "pairing.ActivityPhoto": "a photo: access follows its activity (activity_photo_file)",
    "pairing.Letter": "a numbered letter: access follows its pair or appointment (letter_pdf)",
    "chambers.ChamberAncestry": "derived from the chambers' parents: the path chamber staff see rows through",
    "chambers.MembershipEvent": "a membership's dated history: shown on the membership's page (scoped by it)",
    "chambers.CaseNote": "a case's timeline: shown on the case's page (scoped by the case)",
    "chambers.ActivitySignup": "a sign-up: shown and changed through its activity (memberactivity_step)",
    "portal.ArticleImage": "a picture: access follows its article (editorial:image; portal:image once live)",
    "selection.Voter": "a verified voter: a keyed hash of a number, never shown; votes are only counted",
    "selection.PhoneCode": "a one-time code (keyed hashes): read only by the vote's services",
    "selection.Vote": "a secret vote: only counted in aggregates (dashboard, selection votes API)",
}


def _project_models() -> list[type[models.Model]]:
    return [m for m in apps.get_models() if m.__module__.startswith("tongxin.") and not m._meta.abstract]


def test_every_model_declares_a_policy() -> None:
    """Every concrete model of the project declares a policy or is listed as not served,
    with the reason; and no listed model declares one after all (the list stays honest)."""
    missing = [m._meta.label for m in _project_models() if not has_policy(m) and m._meta.label not in NOT_SERVED]
    assert not missing, f"declare scope and permissions, or list in NOT_SERVED with a reason: {missing}"
    stale = [label for label in NOT_SERVED if has_policy(apps.get_model(label))]
    assert not stale, f"these declare a policy now; remove them from NOT_SERVED: {stale}"
    labels = {m._meta.label for m in apps.get_models()}
    assert set(NOT_SERVED) <= labels, set(NOT_SERVED) - labels


def test_every_served_model_has_a_policy() -> None:
    """Each model a ledger or an API viewset serves has a policy, and has objects in the
    generated test's world."""
    served: set[type[models.Model]] = {ledger.model for ledger in all_ledgers()}
    for route in all_routes():
        serializer = getattr(route.view_class, "serializer_class", None) if route.viewset_actions else None
        if serializer is not None:
            served.add(serializer.Meta.model)
    unpoliced = sorted(m._meta.label for m in served if not has_policy(m))
    assert not unpoliced, unpoliced
    unexercised = sorted(m._meta.label for m in served if m._meta.label not in SUBJECT_KEYS)
    assert not unexercised, unexercised


def test_world_places_are_what_they_claim(shared: Context) -> None:
    """The world's own/sibling/foreign objects really lie where their labels say (so the
    generated expectations mean what they say)."""
    w = shared.world.world
    for key, subjects in shared.world.subjects.items():
        model = type(subjects[0].obj)
        if not has_policy(model) or key in ("regions.Province", "regions.Prefecture"):
            continue
        county_path = policy_of(model)[0].path("county")
        if county_path is None:
            continue
        for subject in subjects:
            expected = w.county2.pk if subject.place == FOREIGN else w.county.pk
            counties = set(model._default_manager.filter(pk=subject.obj.pk).values_list(county_path, flat=True))
            assert counties == {expected}, (key, subject.label, counties)


def test_api_refuses_to_delete_a_referenced_row(shared: Context) -> None:
    """Deleting through the API a row other records still point at (a township with
    villages) answers 409 Conflict and deletes nothing — not a server error."""
    township = shared.world.world.township
    outcome = judge(
        shared.clients[Role.COUNTY_ADMIN], "delete", f"/api/townships/{township.pk}/", json=True, watch=township
    )
    assert outcome.status == 409, outcome.content
    assert outcome.written == []

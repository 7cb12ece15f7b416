"""The base model ladder every Tongxin model stands on, the change log and the vocabulary.

``TimeStampedModel`` → ``ChangeLoggedModel`` (snapshot for before/after, optimistic lock)
→ ``ScopedModel`` (the restricting manager, scope paths and role permissions).
"""

from __future__ import annotations

from typing import Any, ClassVar

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.db.models.functions import Length
from django.utils.translation import gettext_lazy as _

from tongxin.core.choices import Advantage, CapabilityKind, ChangeAction, ChangeSource, Need
from tongxin.core.exceptions import StaleObjectError
from tongxin.core.scope import VIEW, RolePermissions, ScopePaths, restrict
from tongxin.core.validation import field_input_error

# ``field__length`` in queries and length check constraints (both SQLite and PostgreSQL).
models.CharField.register_lookup(Length)


class TimeStampedModel(models.Model):
    """Creation and last-change times (aware, stored in UTC)."""

    created = models.DateTimeField(_("created"), auto_now_add=True)
    last_updated = models.DateTimeField(_("last updated"), auto_now=True)

    class Meta:
        abstract = True


class CheckedInputMixin:
    """Refuses control characters in text and integers beyond the portable column range,
    on every path that validates a model (forms, serializers, imports, admin, services)."""

    def clean_fields(self, exclude: Any = None) -> None:
        """Django's field checks, then: no control characters in text (no line breaks in a
        single-line field), no integer beyond the portable column range."""
        excluded = set(exclude or ())
        errors: dict[str, Any] = {}
        try:
            super().clean_fields(exclude=exclude)  # type: ignore[misc]
        except ValidationError as exc:
            errors = exc.update_error_dict(errors)
        for field in self._meta.concrete_fields:  # type: ignore[attr-defined]
            if field.name in excluded or field.name in errors:
                continue
            error = field_input_error(field, getattr(self, field.attname))
            if error is not None:
                errors[field.name] = [error]
        if errors:
            raise ValidationError(errors)


class ChangeLoggedModel(CheckedInputMixin, TimeStampedModel):
    """A model whose every create/update/delete is written to the change log.

    The loaded values are kept so the log can show the state before a change without an
    extra query, and ``version`` implements optimistic locking: an update only succeeds if
    the row still has the version the editor loaded, otherwise :class:`StaleObjectError`.

    Its input checks (``clean_fields``, run by forms, serializers, imports and the admin)
    refuse control characters in text and integers beyond what every supported database
    stores (:mod:`tongxin.core.validation`).
    """

    version = models.PositiveIntegerField(_("version"), default=1, editable=False)

    _loaded_values: dict[str, Any] | None = None

    class Meta:
        abstract = True

    def save(self, *args: Any, **kwargs: Any) -> None:
        adding = self._state.adding
        if not adding:
            self._expected_version = self.version
            self.version = self.version + 1
            if kwargs.get("update_fields") is not None:
                kwargs["update_fields"] = {*kwargs["update_fields"], "version", "last_updated"}
        try:
            super().save(*args, **kwargs)
        except BaseException:
            if not adding:
                self.version = self._expected_version
            raise
        finally:
            self.__dict__.pop("_expected_version", None)

    def save_base(self, *args: Any, **kwargs: Any) -> None:
        # A savepoint around the write only, so a refused (stale) save leaves the caller's
        # transaction usable; a save that stops before writing (the import's batched
        # rows) costs no savepoint.
        with transaction.atomic(using=kwargs.get("using")):
            super().save_base(*args, **kwargs)

    @classmethod
    def from_db(cls, db: str | None, field_names: Any, values: Any, *args: Any, **kwargs: Any) -> Any:
        instance = super().from_db(db, field_names, values, *args, **kwargs)
        instance._loaded_values = dict(zip(field_names, values, strict=True))
        return instance

    def _do_update(
        self,
        base_qs: Any,
        using: Any,
        pk_val: Any,
        values: Any,
        update_fields: Any,
        forced_update: Any,
        *args: Any,
    ) -> Any:
        expected = getattr(self, "_expected_version", None)
        if expected is None:
            return super()._do_update(base_qs, using, pk_val, values, update_fields, forced_update, *args)
        updated = super()._do_update(
            base_qs.filter(version=expected), using, pk_val, values, update_fields, forced_update, *args
        )
        if not updated and base_qs.filter(pk=pk_val).exists():
            raise StaleObjectError
        return updated


class ScopedQuerySet(models.QuerySet[Any]):
    """QuerySet with the one scoping entry point."""

    def restrict(self, user: Any, action: str = VIEW) -> ScopedQuerySet:
        return restrict(self, user, action)


class ScopedModel(ChangeLoggedModel):
    """A change-logged model scoped by the administrative tree.

    Subclasses set ``scope`` (paths to county/township/village/enterprise) and may override
    ``permissions`` (role → actions).
    """

    scope: ClassVar[ScopePaths]
    permissions: ClassVar[RolePermissions] = RolePermissions.ledger()

    objects = ScopedQuerySet.as_manager()

    class Meta:
        abstract = True


class ObjectChange(models.Model):
    """One create/update/delete of one object, with the state before and after."""

    time = models.DateTimeField(_("time"), auto_now_add=True, db_index=True)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("user"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="changes",
    )
    user_name = models.CharField(_("user name"), max_length=150, blank=True)
    request_id = models.UUIDField(_("request id"), db_index=True)
    source = models.CharField(_("source"), max_length=16, choices=ChangeSource.choices)
    action = models.CharField(_("action"), max_length=16, choices=ChangeAction.choices)
    changed_object_type = models.ForeignKey(
        ContentType, verbose_name=_("object type"), on_delete=models.PROTECT, related_name="+"
    )
    changed_object_id = models.PositiveBigIntegerField(_("object id"))
    object_repr = models.CharField(_("object"), max_length=200)
    prechange_data = models.JSONField(_("before"), null=True, blank=True)
    postchange_data = models.JSONField(_("after"), null=True, blank=True)

    class Meta:
        verbose_name = _("change record")
        verbose_name_plural = _("change records")
        ordering = ["-time", "-pk"]
        indexes = [
            models.Index(fields=["changed_object_type", "changed_object_id"], name="core_change_object_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.get_action_display()} {self.object_repr}"

    def diff(self) -> list[tuple[str, Any, Any]]:
        """Fields whose value differs between before and after, as (field, before, after)."""
        before = self.prechange_data or {}
        after = self.postchange_data or {}
        keys = [k for k in {**before, **after} if k not in {"last_updated", "version"}]
        return [(k, before.get(k), after.get(k)) for k in keys if before.get(k) != after.get(k)]


class Capability(models.Model):
    """One term of the controlled vocabulary: a need/offer or a development advantage.

    Rows mirror :class:`~tongxin.core.choices.Need` and :class:`Advantage` (kept in sync
    by a data migration); the label shown comes from the translatable choices.
    """

    code = models.CharField(_("code"), max_length=32, primary_key=True)
    kind = models.CharField(_("kind"), max_length=16, choices=CapabilityKind.choices)

    class Meta:
        verbose_name = _("capability")
        verbose_name_plural = _("capabilities")
        ordering = ["kind", "code"]

    def __str__(self) -> str:
        return str(self.label)

    @property
    def label(self) -> str:
        choices = Need if self.kind == CapabilityKind.NEED else Advantage
        return str(dict(choices.choices).get(self.code, self.code))


class ImportJob(models.Model):
    """An uploaded spreadsheet and what importing it did; run by a background task.

    The file is kept so a successful dry run can be applied without uploading it again.
    Only its owner sees a job.
    """

    class Status(models.TextChoices):
        PENDING = "pending", _("Waiting")
        RUNNING = "running", _("Running")
        DONE = "done", _("Finished")
        REFUSED = "refused", _("Refused")

    user = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("user"), on_delete=models.CASCADE)
    ledger = models.CharField(_("ledger"), max_length=64)
    file_name = models.CharField(_("file name"), max_length=200)
    data = models.BinaryField(_("file"))
    dry_run = models.BooleanField(_("dry run"), default=True)
    status = models.CharField(_("status"), max_length=16, choices=Status.choices, default=Status.PENDING)
    result = models.JSONField(_("result"), default=dict, blank=True)
    created = models.DateTimeField(_("created"), auto_now_add=True)
    finished = models.DateTimeField(_("finished"), null=True, blank=True)

    class Meta:
        verbose_name = _("import job")
        verbose_name_plural = _("import jobs")
        ordering = ["-created"]

    def __str__(self) -> str:
        return f"{self.file_name} ({self.get_status_display()})"

    @property
    def progress_key(self) -> str:
        return f"import-progress-{self.pk}"

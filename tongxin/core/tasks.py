"""Background tasks of the core app (run by django-tasks' worker)."""

from __future__ import annotations

from django.core.cache import cache
from django.utils import timezone
from django_tasks import task

from tongxin.core.context import change_context
from tongxin.core.imports import Importer, ImportRefused
from tongxin.core.models import ImportJob


@task()
def run_import(job_id: int) -> None:
    """Run one import job; progress goes to the cache so another process can show it."""
    from tongxin.core.ledgers import get_ledger

    job = ImportJob.objects.select_related("user").get(pk=job_id)
    job.status = ImportJob.Status.RUNNING
    job.save(update_fields=["status"])
    ledger = get_ledger(job.ledger)
    assert ledger.import_form is not None and ledger.key_field is not None

    def progress(done: int, total: int) -> None:
        cache.set(job.progress_key, (done, total), timeout=3600)

    importer = Importer(
        model=ledger.model,
        form_class=ledger.import_form,
        key_field=ledger.key_field,
        user=job.user,
        progress=progress,
    )
    try:
        with change_context(user=job.user, source="import"):
            result = importer.run(bytes(job.data), dry_run=job.dry_run)
    except ImportRefused as exc:
        job.status = ImportJob.Status.REFUSED
        job.result = {"errors": [str(exc)], "refused": True}
    else:
        job.status = ImportJob.Status.DONE
        job.result = result.as_dict()
    job.finished = timezone.now()
    job.save(update_fields=["status", "result", "finished"])
    cache.delete(job.progress_key)

"""Load the controlled vocabulary (needs/offers and development advantages)."""

from django.db import migrations

from tongxin.core.vocabulary import sync_vocabulary


def load(apps, schema_editor):  # type: ignore[no-untyped-def]
    sync_vocabulary(apps.get_model("core", "Capability"))


class Migration(migrations.Migration):
    dependencies = [("core", "0001_initial")]
    operations = [migrations.RunPython(load, migrations.RunPython.noop)]

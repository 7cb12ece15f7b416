"""Load the controlled vocabulary (needs/offers and development advantages)."""

from django.db import migrations

from tongxin.core.choices import Advantage, Need


def load(apps, schema_editor):  # type: ignore[no-untyped-def]
    Capability = apps.get_model("core", "Capability")
    for code in Need.values:
        Capability.objects.update_or_create(code=code, defaults={"kind": "need"})
    for code in Advantage.values:
        Capability.objects.update_or_create(code=code, defaults={"kind": "advantage"})


class Migration(migrations.Migration):
    dependencies = [("core", "0001_initial")]
    operations = [migrations.RunPython(load, migrations.RunPython.noop)]

from decimal import Decimal
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from tongxin.core.forms import NaturalKeyChoiceField, ScopedModelForm
from tongxin.regions.models import Township, Village

VILLAGE_FIELDS = [
    "township",
    "code",
    "name",
    "urban_rural",
    "population",
    "households",
    "area_km2",
    "per_capita_income",
    "collective_income",
    "industries",
    "needs",
    "advantages",
    "latitude",
    "longitude",
    "party_secretary",
    "party_members",
    "party_notes",
]


class TownshipForm(ScopedModelForm):
    class Meta:
        model = Township
        fields = ["county", "code", "name", "latitude", "longitude"]


class VillageForm(ScopedModelForm):
    class Meta:
        model = Village
        fields = VILLAGE_FIELDS
        widgets = {"needs": forms.CheckboxSelectMultiple, "advantages": forms.CheckboxSelectMultiple}


class VillageImportForm(ScopedModelForm):
    """One spreadsheet row of the village ledger; matched by division code."""

    require_version = False

    township = NaturalKeyChoiceField(queryset=Township.objects.all(), label=_("township"))

    class Meta:
        model = Village
        fields = VILLAGE_FIELDS

    def import_example(self) -> dict[str, Any]:
        """The example row of the import template (a village of the first township offered)."""
        township: Any = self.fields["township"].queryset.first()  # type: ignore[attr-defined]
        prefix = township.code[:9] if township is not None else "330122100"
        # A code no village has yet: copied into the sheet, the example never updates one.
        taken = set(Village.objects.filter(code__startswith=prefix).values_list("code", flat=True))
        code = next((f"{prefix}{n:03d}" for n in range(599, 0, -1) if f"{prefix}{n:03d}" not in taken), f"{prefix}599")
        return {
            "code": code,
            "name": _("Example village"),
            "population": 1200,
            "households": 400,
            "area_km2": Decimal("12.50"),
            "per_capita_income": 32000,
            "collective_income": 500000,
            "industries": _("tea, bamboo shoots"),
            "party_members": 45,
        }

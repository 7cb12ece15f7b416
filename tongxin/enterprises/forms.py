from decimal import Decimal
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from tongxin.core.forms import NaturalKeyChoiceField, ScopedModelForm
from tongxin.enterprises.models import Enterprise
from tongxin.regions.models import Township

ENTERPRISE_FIELDS = [
    "uscc",
    "name",
    "township",
    "industry",
    "size",
    "employees",
    "revenue",
    "address",
    "has_party_org",
    "offers",
    "contact_name",
    "contact_mobile",
    "latitude",
    "longitude",
]


class EnterpriseForm(ScopedModelForm):
    class Meta:
        model = Enterprise
        fields = ENTERPRISE_FIELDS
        widgets = {"offers": forms.CheckboxSelectMultiple}


class EnterpriseImportForm(ScopedModelForm):
    """One spreadsheet row of the enterprise ledger; matched by credit code."""

    require_version = False

    township = NaturalKeyChoiceField(queryset=Township.objects.all(), label=_("township"))

    class Meta:
        model = Enterprise
        fields = ENTERPRISE_FIELDS

    def import_example(self) -> dict[str, Any]:
        """The example row of the import template."""
        return {
            "uscc": "91350100M000100Y43",
            "name": _("Example Tea Co., Ltd."),
            "employees": 35,
            "revenue": Decimal("1200.5"),
            "address": _("1 Example Road"),
            "contact_name": _("Wang Fang"),
            "contact_mobile": "13800000000",
        }

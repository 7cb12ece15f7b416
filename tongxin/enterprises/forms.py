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

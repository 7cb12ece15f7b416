from django import forms

from tongxin.core.forms import ScopedModelForm
from tongxin.surveys.models import Survey


class SurveyForm(ScopedModelForm):
    class Meta:
        model = Survey
        fields = ["kind", "date", "village", "enterprise", "surveyors", "findings"]
        widgets = {"date": forms.DateInput(attrs={"type": "date"}), "findings": forms.Textarea(attrs={"rows": 4})}

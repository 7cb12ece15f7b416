from django import forms

from tongxin.inbox.models import NotificationPreference


class PreferenceForm(forms.ModelForm):  # type: ignore[type-arg]
    """A person's own e-mail preference (no relation to choose: nothing to scope)."""

    class Meta:
        model = NotificationPreference
        fields = ["email_digest"]
        widgets = {"email_digest": forms.RadioSelect}

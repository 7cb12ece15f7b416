from typing import Any

from rest_framework import serializers

from tongxin.cadres.choices import ReserveStage
from tongxin.cadres.forms import IDENTIFIERS, PERSON_FIELDS
from tongxin.cadres.models import Person
from tongxin.cadres.privacy import keep_if_masked, masked
from tongxin.core.api import ScopedModelSerializer


class PersonSerializer(ScopedModelSerializer):
    """A file, identifiers masked; a masked value sent back means "unchanged"."""

    class Meta:
        model = Person
        fields = ["id", *PERSON_FIELDS, "version", "last_updated"]
        read_only_fields = ["last_updated"]

    def to_representation(self, instance: Any) -> Any:
        data = super().to_representation(instance)
        for name in IDENTIFIERS:
            data[name] = masked(name, data.get(name)) or ("" if name == "mobile" else None)
        return data

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        if self.instance is not None:
            current = Person.objects.filter(pk=self.instance.pk).values(*IDENTIFIERS).first() or {}
            for name in IDENTIFIERS:
                if name in attrs:
                    attrs[name] = keep_if_masked(name, attrs[name], current.get(name))
        return super().validate(attrs)


class UnmaskedSerializer(serializers.Serializer):  # type: ignore[type-arg]
    resident_id = serializers.CharField()
    mobile = serializers.CharField()


class ComplianceSerializer(serializers.Serializer):  # type: ignore[type-arg]
    """One rule's compliance (for the schema; the view answers plain data)."""

    rule = serializers.IntegerField()
    name = serializers.CharField()
    met = serializers.BooleanField()
    shortfall = serializers.IntegerField()
    future_shortfall = serializers.IntegerField()
    bodies = serializers.ListField(child=serializers.DictField())
    gaps = serializers.ListField(child=serializers.DictField())


class StageSerializer(serializers.Serializer):  # type: ignore[type-arg]
    stage = serializers.ChoiceField(choices=ReserveStage.choices)
    date = serializers.DateField()
    note = serializers.CharField(max_length=300, required=False, allow_blank=True)
    reason = serializers.CharField(max_length=300, required=False, allow_blank=True)

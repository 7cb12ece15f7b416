from rest_framework import serializers

from tongxin.core.api import ScopedModelSerializer
from tongxin.core.models import Capability
from tongxin.regions.forms import VILLAGE_FIELDS
from tongxin.regions.models import Township, Village


class TownshipSerializer(ScopedModelSerializer):
    class Meta:
        model = Township
        fields = ["id", "county", "code", "name", "kind", "latitude", "longitude", "version", "last_updated"]
        read_only_fields = ["kind", "last_updated"]


class VillageSerializer(ScopedModelSerializer):
    needs = serializers.SlugRelatedField(
        slug_field="code", many=True, required=False, queryset=Capability.objects.filter(kind="need")
    )
    advantages = serializers.SlugRelatedField(
        slug_field="code", many=True, required=False, queryset=Capability.objects.filter(kind="advantage")
    )

    class Meta:
        model = Village
        fields = ["id", "kind", *VILLAGE_FIELDS, "version", "last_updated"]
        read_only_fields = ["kind", "last_updated"]

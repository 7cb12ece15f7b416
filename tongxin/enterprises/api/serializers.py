from rest_framework import serializers

from tongxin.core.api import ScopedModelSerializer
from tongxin.core.models import Capability
from tongxin.enterprises.forms import ENTERPRISE_FIELDS
from tongxin.enterprises.models import Enterprise


class EnterpriseSerializer(ScopedModelSerializer):
    offers = serializers.SlugRelatedField(
        slug_field="code", many=True, required=False, queryset=Capability.objects.filter(kind="need")
    )

    class Meta:
        model = Enterprise
        fields = ["id", *ENTERPRISE_FIELDS, "version", "last_updated"]
        read_only_fields = ["last_updated"]

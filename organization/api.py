from rest_framework import serializers, viewsets

from accounts.access import get_actor
from organization.models import Agency, OrgUnit, Position, Province, Regency, RegionalOffice


class ProvinceSerializer(serializers.ModelSerializer):
    class Meta:
        model = Province
        fields = ["id", "code", "name", "capital"]


class RegencySerializer(serializers.ModelSerializer):
    province = serializers.SlugRelatedField(slug_field="code", read_only=True)

    class Meta:
        model = Regency
        fields = ["id", "code", "name", "kind", "capital", "province"]


class RegionalOfficeSerializer(serializers.ModelSerializer):
    provinces = serializers.SlugRelatedField(slug_field="code", many=True, read_only=True)

    class Meta:
        model = RegionalOffice
        fields = ["id", "number", "roman", "name", "city", "provinces"]


class AgencySerializer(serializers.ModelSerializer):
    class Meta:
        model = Agency
        fields = ["id", "code", "name", "short_name", "kind", "province", "regency", "head_title"]


class OrgUnitSerializer(serializers.ModelSerializer):
    class Meta:
        model = OrgUnit
        fields = ["id", "agency", "parent", "code", "name", "kind", "depth", "is_active"]


class PositionSerializer(serializers.ModelSerializer):
    class Meta:
        model = Position
        fields = [
            "id",
            "agency",
            "unit",
            "parent",
            "code",
            "title",
            "position_type",
            "level",
            "job_class",
            "reports_to_head",
            "retirement_age_override",
            "capacity",
            "is_active",
        ]


class ProvinceViewSet(viewsets.ReadOnlyModelViewSet):
    """Indonesia's 38 provinces (Kemendagri codes)."""

    queryset = Province.objects.all()
    serializer_class = ProvinceSerializer


class RegencyViewSet(viewsets.ReadOnlyModelViewSet):
    queryset = Regency.objects.select_related("province")
    serializer_class = RegencySerializer
    filterset_fields = ["province", "kind"]


class RegionalOfficeViewSet(viewsets.ReadOnlyModelViewSet):
    queryset = RegionalOffice.objects.prefetch_related("provinces")
    serializer_class = RegionalOfficeSerializer


class AgencyViewSet(viewsets.ReadOnlyModelViewSet):
    """Agencies whose structure the caller may see."""

    serializer_class = AgencySerializer
    filterset_fields = ["kind", "province"]

    def get_queryset(self):
        return Agency.objects.visible_to(get_actor(self.request.user)).order_by("id")


class OrgUnitViewSet(viewsets.ReadOnlyModelViewSet):
    serializer_class = OrgUnitSerializer
    filterset_fields = ["agency", "parent", "kind"]

    def get_queryset(self):
        return OrgUnit.objects.visible_to(get_actor(self.request.user)).order_by("path")


class PositionViewSet(viewsets.ReadOnlyModelViewSet):
    serializer_class = PositionSerializer
    filterset_fields = ["agency", "unit", "parent", "position_type", "level"]

    def get_queryset(self):
        return Position.objects.visible_to(get_actor(self.request.user)).order_by("path")

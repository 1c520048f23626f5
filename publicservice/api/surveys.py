"""Service units and SKM campaigns over REST, read-only: units for anyone signed in (they are public
places), campaigns and their results for whoever reads or handles the unit's agency."""

from decimal import ROUND_HALF_UP, Decimal
from fractions import Fraction

from django.http import Http404
from django_filters import rest_framework as filters
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from accounts.access import get_actor
from publicservice import rules, services
from publicservice.access import officer_scope
from publicservice.models import ServiceUnit, SurveyCampaign, SurveyPoint


class ServiceUnitSerializer(serializers.ModelSerializer):
    agency = serializers.IntegerField(source="agency_id")
    agency_code = serializers.CharField(source="agency.code")
    agency_name = serializers.CharField(source="agency.name")

    class Meta:
        model = ServiceUnit
        fields = [
            "code",
            "name",
            "agency",
            "agency_code",
            "agency_name",
            "org_unit",
            "address",
            "services",
            "population",
            "active",
        ]


class ServiceUnitFilter(filters.FilterSet):
    agency = filters.NumberFilter(field_name="agency_id", help_text="agency id")
    q = filters.CharFilter(field_name="name", lookup_expr="icontains", help_text="part of the name")
    active = filters.BooleanFilter()

    class Meta:
        model = ServiceUnit
        fields = []


class ServiceUnitViewSet(viewsets.ReadOnlyModelViewSet):
    """Places that serve the public (where a report can be forwarded), by agency and name."""

    serializer_class = ServiceUnitSerializer
    filterset_class = ServiceUnitFilter
    lookup_field = "code"
    lookup_value_regex = "[A-Za-z0-9]+"
    queryset = ServiceUnit.objects.select_related("agency").order_by("agency__name", "name", "id")


def campaign_agencies(actor) -> frozenset | None:
    """Agencies whose survey results the actor reads: the registry's readers (HR, auditors, regional
    offices, the national admin) and the complaint officers. None: every agency."""
    handled = officer_scope(actor).agency_ids
    if actor.registry_agency_ids is None or handled is None:
        return None
    return frozenset(actor.registry_agency_ids) | handled


class PointSerializer(serializers.ModelSerializer):
    class Meta:
        model = SurveyPoint
        fields = ["id", "label", "code"]


class SurveyCampaignSerializer(serializers.ModelSerializer):
    unit = serializers.CharField(source="unit.code")
    unit_name = serializers.CharField(source="unit.name")
    agency = serializers.IntegerField(source="unit.agency_id")
    points = PointSerializer(many=True)

    class Meta:
        model = SurveyCampaign
        fields = [
            "id",
            "code",
            "name",
            "unit",
            "unit_name",
            "agency",
            "starts_on",
            "ends_on",
            "population",
            "weighting",
            "points",
        ]


class UnsurSerializer(serializers.Serializer):
    code = serializers.CharField()
    name = serializers.CharField()
    nrr = serializers.DecimalField(max_digits=6, decimal_places=4, help_text="mean answer, 1–4")
    grade = serializers.CharField()


class CampaignResultSerializer(serializers.Serializer):
    respondents = serializers.IntegerField()
    target = serializers.IntegerField(help_text="Krejcie–Morgan sample for the population")
    progress = serializers.FloatField(help_text="respondents / target, at most 1")
    ikm = serializers.DecimalField(max_digits=6, decimal_places=4, allow_null=True, help_text="1–4")
    converted = serializers.DecimalField(max_digits=5, decimal_places=2, allow_null=True, help_text="25–100")
    grade = serializers.CharField(allow_null=True)
    grade_label = serializers.CharField(allow_null=True)
    unsur = UnsurSerializer(many=True)
    weakest = serializers.ListField(child=serializers.CharField())


def _decimal(x: Fraction) -> Decimal:
    return (Decimal(x.numerator) / Decimal(x.denominator)).quantize(Decimal("0.0001"), rounding=ROUND_HALF_UP)


def result_data(out: dict) -> dict:
    """services.campaign_result as plain numbers: fractions as decimals (4 places), the grade and its label."""
    result = out["result"]
    names = dict(rules.UNSUR)
    data = {
        "respondents": out["respondents"],
        "target": out["target"],
        "progress": out["progress"],
        "ikm": None,
        "converted": None,
        "grade": None,
        "grade_label": None,
        "unsur": [],
        "weakest": [],
    }
    if result is not None:
        grade, label = result.grade
        data.update(
            ikm=_decimal(result.ikm),
            converted=result.converted,
            grade=grade,
            grade_label=label,
            unsur=[
                {
                    "code": code,
                    "name": names[code],
                    "nrr": _decimal(result.nrr[code]),
                    "grade": result.unsur_grade(code)[0],
                }
                for code in rules.CODES
            ],
            weakest=result.weakest(),
        )
    return data


class SurveyCampaignFilter(filters.FilterSet):
    unit = filters.CharFilter(field_name="unit__code", help_text="service unit code")
    agency = filters.NumberFilter(field_name="unit__agency_id", help_text="agency id")

    class Meta:
        model = SurveyCampaign
        fields = []


class SurveyCampaignViewSet(viewsets.ReadOnlyModelViewSet):
    """SKM periods of the units of the agencies the caller reads; ``result`` gives the IKM."""

    serializer_class = SurveyCampaignSerializer
    filterset_class = SurveyCampaignFilter

    def get_queryset(self):
        qs = SurveyCampaign.objects.select_related("unit").prefetch_related("points").order_by("-starts_on", "id")
        agencies = campaign_agencies(get_actor(self.request.user))
        return qs if agencies is None else qs.filter(unit__agency_id__in=agencies)

    @extend_schema(
        parameters=[OpenApiParameter("point", int, OpenApiParameter.QUERY, description="a desk's id: its own result")],
        responses=CampaignResultSerializer,
    )
    @action(detail=True)
    def result(self, request, pk=None):
        """IKM, grade, NRR per unsur, the sample target and progress (services.campaign_result)."""
        campaign = self.get_object()
        point = None
        raw = request.query_params.get("point", "")
        if raw:
            point = campaign.points.filter(pk=raw).first() if raw.isdigit() else None
            if point is None:
                raise Http404
        return Response(CampaignResultSerializer(result_data(services.campaign_result(campaign, point))).data)

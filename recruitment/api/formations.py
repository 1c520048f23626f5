"""Published formations over REST, open to anyone: the same formations and the same facts as the public search
page (``selectors.public_formations``), with the quota per category."""

from django.http import Http404
from drf_spectacular.utils import extend_schema
from rest_framework import mixins, permissions, serializers, viewsets
from rest_framework.response import Response

from organization.models import Agency
from personnel.models import EducationLevel
from recruitment.api.common import CATEGORIES, SelectionAgencyNameSerializer, SelectionPeriodRefSerializer, valid
from recruitment.choices import Category
from recruitment.models import Formation, RecruitmentPeriod
from recruitment.selectors import public_formations


class FormationQuotaSerializer(serializers.Serializer):
    category = serializers.CharField(help_text=CATEGORIES)
    label = serializers.CharField(source="get_category_display")
    quota = serializers.IntegerField()


class FormationSerializer(serializers.ModelSerializer):
    """A formation as the public search shows it: where, which position, which education, how many per category."""

    id = serializers.IntegerField()
    period = SelectionPeriodRefSerializer()
    agency = SelectionAgencyNameSerializer()
    unit = serializers.CharField(source="unit.name")
    position_title = serializers.CharField()
    education = serializers.SlugRelatedField(slug_field="code", many=True, read_only=True)
    education_majors = serializers.CharField()
    quotas = FormationQuotaSerializer(many=True)
    total = serializers.SerializerMethodField()

    class Meta:
        model = Formation
        fields = [
            "id", "period", "agency", "unit", "position_title", "education", "education_majors", "quotas", "total",
        ]  # fmt: skip

    def get_total(self, obj: Formation) -> int:
        return sum(q.quota for q in obj.quotas.all())


class FormationViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """Formations of published periods, for anyone, as the public search page lists them."""

    serializer_class = FormationSerializer
    permission_classes = [permissions.AllowAny]
    filter_backends: list = []

    class FilterSerializer(serializers.Serializer):
        period = serializers.IntegerField(required=False, help_text="period id")
        agency = serializers.IntegerField(required=False, help_text="agency id")
        category = serializers.CharField(required=False, allow_blank=True, help_text=CATEGORIES)
        education = serializers.IntegerField(required=False, help_text="education level id")
        q = serializers.CharField(
            required=False, allow_blank=True, max_length=100, help_text="position, unit or agency"
        )

        class Meta:
            ref_name = "FormationFilter"

    def get_queryset(self):
        return public_formations()

    def _filtered(self):
        """The public search with the page's filters; an unknown period, agency, category or level finds nothing."""
        f = valid(self.FilterSerializer, self.request.query_params)
        lookups = ((RecruitmentPeriod, "period"), (Agency, "agency"), (EducationLevel, "education"))
        found = {key: model.objects.filter(pk=f[key]).first() for model, key in lookups if key in f}
        category = f.get("category", "")
        if None in found.values() or (category and category not in Category.values):
            return Formation.objects.none()
        return public_formations(category=category, text=f.get("q", ""), **found)

    @extend_schema(parameters=[FilterSerializer])
    def list(self, request, *args, **kwargs):
        page = self.paginate_queryset(self._filtered())
        return self.get_paginated_response(FormationSerializer(page, many=True).data)

    def retrieve(self, request, *args, **kwargs):
        pk = kwargs.get("pk", "")
        formation = public_formations().filter(pk=pk).first() if str(pk).isdigit() else None
        if formation is None:
            raise Http404
        return Response(FormationSerializer(formation).data)

"""Pieces the performance API modules share: request parsing helpers and the small reference serializers."""

from django.http import Http404
from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiParameter
from rest_framework import serializers

from core.errors import DomainError
from organization.models import OrgUnit, Position
from performance.models import Indicator, Period, Rhk, Skp
from personnel.models import Employee

# ---- shared pieces -------------------------------------------------------------------------------


def _valid(serializer_class, data) -> dict:
    s = serializer_class(data=data)
    s.is_valid(raise_exception=True)
    return s.validated_data


def _one(queryset, pk, field: str, message: str):
    """The object with this id in the queryset, or a 400 on the field (None when no id was given)."""
    if pk is None:
        return None
    obj = queryset.filter(pk=pk).first()
    if obj is None:
        raise DomainError(message, field=field)
    return obj


def _period_in(perf_year_id: int, pk: int | None, field: str = "period") -> Period | None:
    return _one(
        Period.objects.filter(perf_year_id=perf_year_id).select_related("perf_year"),
        pk,
        field,
        _("Periode bukan bagian dari tahun kinerja ini."),
    )


def _rhk_in(skp: Skp, pk: int | None) -> Rhk | None:
    return _one(
        skp.rhks.select_related("skp__employee", "skp__perf_year"), pk, "rhk", _("RHK bukan bagian dari SKP ini.")
    )


def _pk(value) -> int:
    """An id from the URL: anything but digits names nothing, so 404."""
    if not str(value).isdigit():
        raise Http404
    return int(value)


def _query_id(request, name: str, *, required: bool = True) -> int | None:
    """An id from the query string: 400 when missing or not a number (its object is then looked up like a URL's)."""
    raw = request.query_params.get(name)
    if not raw:
        if required:
            raise DomainError(_("Parameter ini wajib diisi."), field=name)
        return None
    if not raw.isdigit():
        raise DomainError(_("Isi dengan angka id."), field=name)
    return int(raw)


def _query_param(name: str, description: str, *, required: bool = False) -> OpenApiParameter:
    return OpenApiParameter(name, int, OpenApiParameter.QUERY, required=required, description=description)


PERIOD_QUERY = _query_param("period", "period id", required=True)


# ---- serializers: references ---------------------------------------------------------------------


class EmployeeRefSerializer(serializers.ModelSerializer):
    full_name = serializers.CharField(read_only=True)

    class Meta:
        model = Employee
        fields = ["nip", "name", "full_name"]


class PositionRefSerializer(serializers.ModelSerializer):
    class Meta:
        model = Position
        fields = ["id", "title"]


class UnitRefSerializer(serializers.ModelSerializer):
    class Meta:
        model = OrgUnit
        fields = ["id", "name"]


class PeriodSerializer(serializers.ModelSerializer):
    class Meta:
        model = Period
        fields = ["id", "number", "label", "start", "end", "is_final"]


class RhkRefSerializer(serializers.ModelSerializer):
    class Meta:
        model = Rhk
        fields = ["id", "text"]


class IndicatorRefSerializer(serializers.ModelSerializer):
    class Meta:
        model = Indicator
        fields = ["id", "code", "name"]


class PredikatCountsSerializer(serializers.Serializer):
    sangat_baik = serializers.IntegerField()
    baik = serializers.IntegerField()
    butuh_perbaikan = serializers.IntegerField()
    kurang = serializers.IntegerField()
    sangat_kurang = serializers.IntegerField()


class PlanStateCountsSerializer(serializers.Serializer):
    not_started = serializers.IntegerField()
    draft = serializers.IntegerField()
    submitted = serializers.IntegerField()
    approved = serializers.IntegerField()
    assessed = serializers.IntegerField()

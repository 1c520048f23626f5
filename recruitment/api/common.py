"""Pieces the recruitment API modules share: request parsing, the small reference serializers and the final
list's lines."""

from django.utils.translation import gettext as _
from rest_framework import serializers

from recruitment.choices import Category
from recruitment.models import FinalOutcome, Formation, RecruitmentPeriod
from recruitment.ranking import FinalLine

CATEGORIES = ", ".join(Category.values)
OUTCOMES = ", ".join(FinalOutcome.values)


def valid(serializer_class, data) -> dict:
    s = serializer_class(data=data)
    s.is_valid(raise_exception=True)
    return s.validated_data


def category_label(category: str) -> str:
    return str(Category(category).label)


def outcome_label(outcome: str) -> str:
    """The outcome as the pages write it; an empty outcome is a final line still waiting for its SKB score."""
    return str(dict(FinalOutcome.choices)[outcome]) if outcome else _("Nilai SKB belum ada")


# ---- references ------------------------------------------------------------------------------------------


class SelectionPeriodRefSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    name = serializers.CharField()


class SelectionAgencyRefSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    code = serializers.CharField()
    name = serializers.CharField()


class SelectionAgencyNameSerializer(serializers.Serializer):
    """An agency as the public pages name it."""

    id = serializers.IntegerField()
    name = serializers.CharField()


class SelectionFormationRefSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    position_title = serializers.CharField()
    unit = serializers.CharField()
    agency = SelectionAgencyRefSerializer()
    period = SelectionPeriodRefSerializer()


def period_ref(period: RecruitmentPeriod) -> dict:
    return {"id": period.pk, "name": period.name}


def agency_ref(agency) -> dict:
    return {"id": agency.pk, "code": agency.code, "name": agency.name}


def formation_ref(formation: Formation) -> dict:
    """A formation for the committee's reads; the formation comes with its period, agency and unit."""
    return {
        "id": formation.pk,
        "position_title": formation.position_title,
        "unit": formation.unit.name,
        "agency": agency_ref(formation.agency),
        "period": period_ref(formation.period),
    }


# ---- the final list ----------------------------------------------------------------------------------------


class FinalLineSerializer(serializers.Serializer):
    """One SKB participant's line of the final list (40 % SKD + 60 % SKB), as the committee's page and export show."""

    category = serializers.CharField(help_text=CATEGORIES)
    category_label = serializers.CharField()
    rank = serializers.IntegerField(allow_null=True)
    registration_number = serializers.CharField()
    name = serializers.CharField()
    twk = serializers.IntegerField()
    tiu = serializers.IntegerField()
    tkp = serializers.IntegerField()
    skd_total = serializers.IntegerField()
    skb_score = serializers.DecimalField(max_digits=7, decimal_places=3, allow_null=True)
    skb_maximum = serializers.DecimalField(max_digits=7, decimal_places=3, allow_null=True)
    ipk = serializers.DecimalField(max_digits=5, decimal_places=2, allow_null=True)
    final_score = serializers.DecimalField(max_digits=6, decimal_places=3, allow_null=True)
    outcome = serializers.CharField(help_text=f"{OUTCOMES}; empty while the SKB score is missing")
    outcome_label = serializers.CharField()


def final_line(x: FinalLine) -> dict:
    return {
        "category": x.category,
        "category_label": x.label,
        "rank": x.rank,
        "registration_number": x.registration_number,
        "name": x.name,
        "twk": x.twk,
        "tiu": x.tiu,
        "tkp": x.tkp,
        "skd_total": x.skd_total,
        "skb_score": x.skb_score,
        "skb_maximum": x.skb_maximum,
        "ipk": x.ipk,
        "final_score": x.final_score,
        "outcome": x.outcome,
        "outcome_label": outcome_label(x.outcome),
    }

"""Announced final results over REST, open to anyone: the same publications and exactly the facts the public
pages show (``ranking.publications``, ``ranking.published_results``: the rows frozen at publication), nothing
before an agency's result is announced, and nothing the page leaves out (no NIK, contact, IPK or birth date)."""

from django.http import Http404
from drf_spectacular.utils import extend_schema
from rest_framework import mixins, permissions, serializers, viewsets
from rest_framework.response import Response
from rest_framework.views import APIView

from recruitment import ranking
from recruitment.api.common import (
    CATEGORIES,
    OUTCOMES,
    SelectionAgencyNameSerializer,
    SelectionPeriodRefSerializer,
    outcome_label,
)
from recruitment.models import FinalPublication


class PublishedLineSerializer(serializers.Serializer):
    """One line of the announced result, column for column as the public page shows it."""

    rank = serializers.IntegerField(allow_null=True)
    registration_number = serializers.CharField()
    name = serializers.CharField()
    twk = serializers.IntegerField()
    tiu = serializers.IntegerField()
    tkp = serializers.IntegerField()
    skd_total = serializers.IntegerField()
    skb_score = serializers.DecimalField(max_digits=7, decimal_places=3, allow_null=True)
    skb_maximum = serializers.DecimalField(
        max_digits=7, decimal_places=3, allow_null=True, help_text="shown with the SKB score only"
    )
    final_score = serializers.DecimalField(max_digits=6, decimal_places=3, allow_null=True)
    outcome = serializers.CharField(help_text=OUTCOMES)
    outcome_label = serializers.CharField()


class PublishedCategorySerializer(serializers.Serializer):
    category = serializers.CharField(help_text=CATEGORIES)
    label = serializers.CharField()
    results = PublishedLineSerializer(many=True)


class PublishedFormationSerializer(serializers.Serializer):
    position_title = serializers.CharField()
    unit = serializers.CharField()
    categories = PublishedCategorySerializer(many=True)


class PublicationSerializer(serializers.Serializer):
    """An announced final result as the public list shows it."""

    period = SelectionPeriodRefSerializer()
    agency = SelectionAgencyNameSerializer()
    published_at = serializers.DateTimeField()


class PublishedResultSerializer(PublicationSerializer):
    formations = PublishedFormationSerializer(many=True)


def published_result(publication: FinalPublication) -> dict:
    """The announced result of an agency, grouped by formation and category as on the public page."""
    formations = []
    for f, cats in ranking.published_results(publication):
        categories = [
            {
                "category": rows[0].category,
                "label": label,
                "results": [
                    {
                        "rank": r.rank,
                        "registration_number": r.registration_number,
                        "name": r.name,
                        "twk": r.twk,
                        "tiu": r.tiu,
                        "tkp": r.tkp,
                        "skd_total": r.skd_total,
                        "skb_score": r.skb_score,
                        "skb_maximum": r.skb_maximum if r.skb_score is not None else None,
                        "final_score": r.final_score,
                        "outcome": r.outcome,
                        "outcome_label": outcome_label(r.outcome),
                    }
                    for r in rows
                ],
            }
            for label, rows in cats
        ]
        formations.append({"position_title": f.position_title, "unit": f.unit.name, "categories": categories})
    return PublishedResultSerializer(
        {
            "period": publication.period,
            "agency": publication.agency,
            "published_at": publication.published_at,
            "formations": formations,
        }
    ).data


class PublishedResultViewSet(mixins.ListModelMixin, viewsets.GenericViewSet):
    """Announced final results, newest first, for anyone: each agency's result per period."""

    serializer_class = PublicationSerializer
    permission_classes = [permissions.AllowAny]
    filter_backends: list = []

    def get_queryset(self):
        return ranking.publications()


class PublishedResultApi(APIView):
    """The announced final result of an agency in a period, frozen at publication, for anyone; 404 before."""

    permission_classes = [permissions.AllowAny]

    @extend_schema(responses=PublishedResultSerializer)
    def get(self, request, period_id: int, agency_id: int):
        publication = ranking.publication_of(period_id, agency_id)
        if publication is None:
            raise Http404
        return Response(published_result(publication))

"""Applications over REST, within the pages' reach (``access.committee_scope``): the committee of an agency
reads its applications and verifies them, the national admin every agency's, an applicant only their own."""

from django.core.exceptions import ObjectDoesNotExist
from django_filters import rest_framework as filters
from drf_spectacular.utils import extend_schema, extend_schema_field
from rest_framework import mixins, serializers, viewsets
from rest_framework.response import Response
from rest_framework.views import APIView

from accounts.access import get_actor
from recruitment import services
from recruitment.access import access_application, committee_scope
from recruitment.api.common import (
    CATEGORIES,
    SelectionAgencyRefSerializer,
    SelectionPeriodRefSerializer,
    outcome_label,
    valid,
)
from recruitment.choices import ApplicationStatus, Category, IneligibleReason
from recruitment.models import Application
from recruitment.ranking import applicant_result

NUMBER = "[A-Za-z0-9-]+"
STATUSES = ", ".join(ApplicationStatus.values)
REASONS = ", ".join(IneligibleReason.values)


class ApplicationFormationSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    position_title = serializers.CharField()
    unit = serializers.CharField(source="unit.name")
    agency = SelectionAgencyRefSerializer()


class VerificationSerializer(serializers.Serializer):
    stage = serializers.IntegerField()
    eligible = serializers.BooleanField()
    reason = serializers.CharField(help_text=f"{REASONS}; empty when eligible")
    reason_label = serializers.CharField(source="get_reason_display")
    note = serializers.CharField()
    created_at = serializers.DateTimeField()


class AppealSerializer(serializers.Serializer):
    text = serializers.CharField()
    submitted_at = serializers.DateTimeField()
    decision = serializers.CharField(help_text="granted, rejected; empty while undecided")
    response = serializers.CharField()
    decided_at = serializers.DateTimeField(allow_null=True)


class ApplicationSerializer(serializers.Serializer):
    """An application as the committee's desk lists it; the verification steps only for the committee."""

    registration_number = serializers.CharField()
    status = serializers.CharField(help_text=STATUSES)
    status_label = serializers.CharField(source="get_status_display")
    category = serializers.CharField(help_text=CATEGORIES)
    category_label = serializers.CharField(source="get_category_display")
    applicant_name = serializers.CharField(source="applicant.name")
    period = SelectionPeriodRefSerializer()
    formation = ApplicationFormationSerializer()
    submitted_at = serializers.DateTimeField()
    verdict = serializers.SerializerMethodField()
    verifications = serializers.SerializerMethodField()
    appeal = serializers.SerializerMethodField()

    @extend_schema_field(
        VerificationSerializer(allow_null=True, help_text="the latest check, as the applicant sees it")
    )
    def get_verdict(self, obj: Application):
        done = list(obj.verifications.all())
        return VerificationSerializer(done[-1]).data if done else None

    @extend_schema_field(VerificationSerializer(many=True, allow_null=True, help_text="every check; committee only"))
    def get_verifications(self, obj: Application):
        if not self.context["scope"].covers(obj.formation.agency_id):
            return None
        return VerificationSerializer(obj.verifications.all(), many=True).data

    @extend_schema_field(AppealSerializer(allow_null=True))
    def get_appeal(self, obj: Application):
        try:
            appeal = obj.appeal
        except ObjectDoesNotExist:
            return None
        return AppealSerializer(appeal).data


class SkdScoreSerializer(serializers.Serializer):
    twk = serializers.IntegerField()
    tiu = serializers.IntegerField()
    tkp = serializers.IntegerField()
    total = serializers.IntegerField()


class OwnSkbSerializer(serializers.Serializer):
    score = serializers.DecimalField(max_digits=7, decimal_places=3, allow_null=True)
    maximum = serializers.DecimalField(max_digits=7, decimal_places=3)
    absent = serializers.BooleanField()


class OwnFinalSerializer(serializers.Serializer):
    final_score = serializers.DecimalField(max_digits=6, decimal_places=3, allow_null=True)
    rank = serializers.IntegerField(allow_null=True)
    outcome = serializers.CharField()
    outcome_label = serializers.CharField()


class SelectionResultSerializer(serializers.Serializer):
    """What the applicant's receipt shows of the selection: the final line only once announced."""

    skd = SkdScoreSerializer(allow_null=True)
    grade = serializers.CharField(help_text="the passing grade of the category")
    grade_met = serializers.BooleanField(allow_null=True)
    skb = OwnSkbSerializer(allow_null=True)
    final = OwnFinalSerializer(allow_null=True)


class ApplicationDetailSerializer(ApplicationSerializer):
    result = serializers.SerializerMethodField()

    @extend_schema_field(SelectionResultSerializer)
    def get_result(self, obj: Application):
        r = applicant_result(obj)
        skd, skb, final = r["skd"], r["skb"], r["final"]
        return SelectionResultSerializer(
            {
                "skd": skd and {"twk": skd.twk, "tiu": skd.tiu, "tkp": skd.tkp, "total": skd.total},
                "grade": r["grade"],
                "grade_met": r["grade_met"],
                "skb": skb and {"score": skb.score, "maximum": skb.maximum, "absent": skb.absent},
                "final": final
                and {
                    "final_score": final.final_score,
                    "rank": final.rank,
                    "outcome": final.outcome,
                    "outcome_label": outcome_label(final.outcome),
                },
            }
        ).data


class ApplicationFilter(filters.FilterSet):
    status = filters.ChoiceFilter(choices=ApplicationStatus.choices)
    category = filters.ChoiceFilter(choices=Category.choices)
    period = filters.NumberFilter(field_name="period_id", help_text="period id")
    formation = filters.NumberFilter(field_name="formation_id", help_text="formation id")
    agency = filters.NumberFilter(field_name="formation__agency_id", help_text="agency id")

    class Meta:
        model = Application
        fields = []


def _applications(scope):
    return (
        scope.visible_applications()
        .select_related("applicant", "period", "formation__agency", "formation__unit", "appeal")
        .prefetch_related("verifications")
    )


class ApplicationViewSet(mixins.ListModelMixin, viewsets.GenericViewSet):
    """Applications the caller reads: their agencies' as the selection committee (every one for the national
    admin), their own as an applicant; oldest first, as the committee verifies them."""

    serializer_class = ApplicationSerializer
    filterset_class = ApplicationFilter
    lookup_field = "registration_number"
    lookup_value_regex = NUMBER

    def _scope(self):
        return committee_scope(get_actor(self.request.user))

    def get_queryset(self):
        return _applications(self._scope()).order_by("submitted_at", "pk")

    def get_serializer_context(self):
        return {**super().get_serializer_context(), "scope": self._scope()}

    @extend_schema(responses=ApplicationDetailSerializer)
    def retrieve(self, request, registration_number=None):
        """One application with the applicant's result so far (SKD, SKB and, once announced, the final line)."""
        return Response(application_detail(get_actor(request.user), registration_number))


def application_detail(actor, number: str) -> dict:
    """One application the actor reads (404 otherwise), with what its serializer needs in a fixed number of queries."""
    found = access_application(actor, number)
    scope = committee_scope(actor)
    application = (
        _applications(scope).select_related("participant", "skb_score", "final_result").filter(pk=found.pk).first()
    )
    return ApplicationDetailSerializer(application, context={"scope": scope}).data


class ApplicationVerifyApi(APIView):
    """Record the committee's check of an application (services.verification_decide): the committee of the
    formation's agency or the national admin; with a second check on, another member confirms the first."""

    class InputSerializer(serializers.Serializer):
        eligible = serializers.BooleanField()
        reason = serializers.CharField(
            required=False, allow_blank=True, default="", help_text=f"required when not eligible: {REASONS}"
        )
        note = serializers.CharField(
            required=False, allow_blank=True, default="", max_length=500, help_text="required for the reason other"
        )

        class Meta:
            ref_name = "ApplicationVerifyInput"

    @extend_schema(request=InputSerializer, responses=ApplicationDetailSerializer)
    def post(self, request, registration_number: str):
        actor = get_actor(request.user)
        application = access_application(actor, registration_number)
        data = valid(self.InputSerializer, request.data)
        services.verification_decide(
            actor=actor, application=application, eligible=data["eligible"], reason=data["reason"], note=data["note"]
        )
        return Response(application_detail(actor, registration_number))

"""The officers' complaints over REST: list and retrieve within the actor's scope, one endpoint per step."""

from django.core.exceptions import PermissionDenied
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext as _
from django_filters import rest_framework as filters
from drf_spectacular.utils import extend_schema, extend_schema_field
from rest_framework import mixins, serializers, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from accounts.access import get_actor
from core.errors import DomainError
from publicservice import services
from publicservice.access import access_complaint, officer_scope, sees_attachments, sees_identity
from publicservice.models import (
    OPEN_STATUSES,
    Complaint,
    ComplaintAttachment,
    ComplaintClass,
    ComplaintEvent,
    ComplaintKind,
    ComplaintStatus,
    Confidentiality,
    ServiceUnit,
)
from publicservice.views.officer import Clock, with_due

CODE = "[A-Za-z0-9]+"


class ServiceUnitRefSerializer(serializers.ModelSerializer):
    class Meta:
        model = ServiceUnit
        fields = ["code", "name"]


class ComplaintAgencySerializer(serializers.Serializer):
    id = serializers.IntegerField()
    code = serializers.CharField()
    name = serializers.CharField()


class ClockSerializer(serializers.Serializer):
    state = serializers.ChoiceField(choices=["late", "soon", "ok"])
    working_days = serializers.IntegerField(help_text="late by (state late) or left (soon, ok)")


class ComplaintSerializer(serializers.ModelSerializer):
    # Plain strings, not enums: these names carry other choice sets elsewhere in the API.
    kind = serializers.CharField(help_text=", ".join(ComplaintKind.values))
    classification = serializers.CharField(
        help_text="the verifier's class, which sets the response deadline: "
        + ", ".join(ComplaintClass.values)
        + "; empty until verified"
    )
    due_provisional = serializers.BooleanField(
        help_text="the running deadline counts days of a year whose holidays are not confirmed yet (it may move)"
    )
    status = serializers.CharField(help_text=", ".join(ComplaintStatus.values))
    unit = ServiceUnitRefSerializer()
    agency = ComplaintAgencySerializer()
    due = serializers.DateTimeField(allow_null=True, help_text="the running deadline; null once answered")
    clock = serializers.SerializerMethodField()

    class Meta:
        model = Complaint
        fields = [
            "tracking_code",
            "kind",
            "classification",
            "title",
            "status",
            "confidentiality",
            "unit",
            "agency",
            "escalation",
            "hidden",
            "field_inspection",
            "created_at",
            "verify_due",
            "response_due",
            "due",
            "due_provisional",
            "clock",
            "responded_at",
            "closed_at",
            "outcome",
            "rating",
        ]

    @extend_schema_field(ClockSerializer(allow_null=True))
    def get_clock(self, obj):
        state = self.context["clock"].state(getattr(obj, "due", None))
        return {"state": state[0], "working_days": state[1]} if state else None


class ReporterSerializer(serializers.Serializer):
    name = serializers.CharField()
    contact = serializers.CharField()


class AttachmentSerializer(serializers.ModelSerializer):
    class Meta:
        model = ComplaintAttachment
        fields = ["id", "kind", "size", "public"]


class EventSerializer(serializers.ModelSerializer):
    to_unit = ServiceUnitRefSerializer(allow_null=True)
    by = serializers.StringRelatedField(allow_null=True)

    class Meta:
        model = ComplaintEvent
        fields = ["kind", "text", "at", "by", "to_unit", "citizen_visible"]


class ComplaintDetailSerializer(ComplaintSerializer):
    """One report as its page shows it: the reporter only for those who handle it (null otherwise)."""

    reporter = serializers.SerializerMethodField()
    attachments = serializers.SerializerMethodField()
    events = EventSerializer(many=True)
    merged_into = serializers.SlugRelatedField(slug_field="tracking_code", read_only=True, allow_null=True)
    handler = serializers.SerializerMethodField()

    class Meta(ComplaintSerializer.Meta):
        fields = ComplaintSerializer.Meta.fields + [
            "description",
            "public_text",
            "location",
            "reporter",
            "attachments",
            "events",
            "merged_into",
            "reopened",
            "rating_comment",
            "handler",
        ]

    @extend_schema_field(ReporterSerializer(allow_null=True))
    def get_reporter(self, obj):
        if not sees_identity(self.context["scope"], obj):
            return None
        return {"name": obj.reporter_name, "contact": obj.reporter_contact}

    @extend_schema_field(AttachmentSerializer(many=True, allow_null=True))
    def get_attachments(self, obj):
        if not sees_attachments(self.context["scope"], obj):
            return None
        return AttachmentSerializer(obj.attachments.order_by("pk"), many=True).data

    @extend_schema_field(serializers.BooleanField(help_text="the caller handles the report (every action)"))
    def get_handler(self, obj) -> bool:
        return self.context["scope"].handles(obj)


class ForwardInputSerializer(serializers.Serializer):
    to_unit = serializers.CharField(
        required=False, allow_blank=True, default="", help_text="service unit code; empty keeps the report's unit"
    )
    field_inspection = serializers.BooleanField(
        required=False, allow_null=True, default=None, help_text="null leaves it as it is"
    )
    confidentiality = serializers.ChoiceField(
        choices=Confidentiality.choices,
        required=False,
        allow_blank=True,
        default="",
        help_text="only stricter than now; empty leaves it",
    )
    classification = serializers.ChoiceField(
        choices=ComplaintClass.choices,
        required=False,
        allow_blank=True,
        default="",
        help_text="required to verify a complaint (pengaduan); information and aspiration default to their kind; "
        "empty leaves it",
    )
    note = serializers.CharField(required=False, allow_blank=True, default="")


class ReclassifyInputSerializer(serializers.Serializer):
    classification = serializers.ChoiceField(choices=ComplaintClass.choices)
    reason = serializers.CharField(allow_blank=True)


class RejectInputSerializer(serializers.Serializer):
    reason = serializers.CharField(allow_blank=True)


class MergeInputSerializer(serializers.Serializer):
    into = serializers.CharField(allow_blank=True, help_text="tracking code of the report it duplicates")


class ProgressInputSerializer(serializers.Serializer):
    note = serializers.CharField(allow_blank=True)


class RespondInputSerializer(serializers.Serializer):
    text = serializers.CharField(allow_blank=True)


class CloseInputSerializer(serializers.Serializer):
    outcome = serializers.CharField(allow_blank=True)


class RedactInputSerializer(serializers.Serializer):
    public_text = serializers.CharField(allow_blank=True)


class HideInputSerializer(serializers.Serializer):
    hidden = serializers.BooleanField()
    reason = serializers.CharField(allow_blank=True)


class AttachmentPublishInputSerializer(serializers.Serializer):
    attachment = serializers.IntegerField()
    public = serializers.BooleanField()


class ComplaintFilter(filters.FilterSet):
    status = filters.ChoiceFilter(choices=ComplaintStatus.choices)
    open = filters.BooleanFilter(method="filter_open", help_text="received, forwarded or in progress")
    kind = filters.ChoiceFilter(choices=ComplaintKind.choices)
    classification = filters.ChoiceFilter(choices=ComplaintClass.choices)
    confidentiality = filters.ChoiceFilter(choices=Confidentiality.choices)
    unit = filters.CharFilter(field_name="unit__code", help_text="service unit code")
    agency = filters.NumberFilter(field_name="agency_id", help_text="agency id")
    escalation = filters.NumberFilter(help_text="0 none, 1 unit head, 2 agency")
    escalated = filters.BooleanFilter(method="filter_escalated", help_text="escalated to any level")
    overdue = filters.BooleanFilter(method="filter_overdue", help_text="past the running deadline")

    class Meta:
        model = Complaint
        fields = []

    def filter_open(self, qs, name, value):
        return qs.filter(status__in=OPEN_STATUSES) if value else qs.exclude(status__in=OPEN_STATUSES)

    def filter_escalated(self, qs, name, value):
        return qs.filter(escalation__gte=1) if value else qs.filter(escalation=0)

    def filter_overdue(self, qs, name, value):
        now = timezone.now()
        return qs.filter(due__lt=now) if value else qs.filter(Q(due__isnull=True) | Q(due__gte=now))


def _input(serializer_class, data) -> dict:
    s = serializer_class(data=data)
    s.is_valid(raise_exception=True)
    return s.validated_data


class ComplaintViewSet(mixins.ListModelMixin, viewsets.GenericViewSet):
    """Reports the caller handles (their agencies) or responds to (their unit), most urgent deadline first."""

    serializer_class = ComplaintSerializer
    filterset_class = ComplaintFilter
    lookup_field = "tracking_code"
    lookup_value_regex = CODE

    def _scope(self):
        return officer_scope(get_actor(self.request.user))

    def get_queryset(self):
        return (
            with_due(self._scope().complaints())
            .select_related("unit", "agency")
            .order_by(F("due").asc(nulls_last=True), "-created_at", "-id")
        )

    def get_serializer_context(self):
        return {**super().get_serializer_context(), "scope": self._scope(), "clock": Clock(timezone.now())}

    def _detail(self, code: str) -> Response:
        c = access_complaint(self._scope(), code)
        full = (
            with_due(Complaint.objects.filter(pk=c.pk))
            .select_related("unit__org_unit", "agency", "merged_into")
            .prefetch_related("events__by", "events__to_unit")
            .first()
        )
        return Response(ComplaintDetailSerializer(full, context=self.get_serializer_context()).data)

    def _complaint(self, code: str, *, handler_only: bool = True) -> tuple:
        """The caller, their scope and the report (404 out of reach); 403 for a handler's step asked by
        someone who only responds (the service checks again)."""
        actor = get_actor(self.request.user)
        scope = officer_scope(actor)
        c = access_complaint(scope, code)
        if handler_only and not scope.handles(c):
            raise PermissionDenied(_("Anda tidak menangani laporan ini."))
        return actor, scope, c

    @extend_schema(responses=ComplaintDetailSerializer)
    def retrieve(self, request, tracking_code=None):
        return self._detail(tracking_code)

    def _after(self, actor, scope, c) -> Response:
        """The report after a step; one that has left the caller's reach (re-routed) answers its bare state."""
        fresh = scope.complaints().filter(pk=c.pk).select_related("unit__org_unit").first()
        if fresh is None or not (scope.handles(fresh) or scope.responds(fresh)):
            return Response({"tracking_code": c.tracking_code, "status": fresh.status if fresh else c.status})
        return self._detail(c.tracking_code)

    @extend_schema(request=ForwardInputSerializer, responses=ComplaintDetailSerializer)
    @action(detail=True, methods=["post"])
    def forward(self, request, tracking_code=None):
        """Verify and forward, or re-route (services.complaint_forward): handlers."""
        actor, scope, c = self._complaint(tracking_code)
        d = _input(ForwardInputSerializer, request.data)
        unit = None
        if d["to_unit"]:
            unit = ServiceUnit.objects.filter(code=d["to_unit"].strip().upper()).first()
            if unit is None:
                raise DomainError(_("Unit tujuan tidak ditemukan."), field="to_unit")
        services.complaint_forward(
            actor=actor,
            complaint=c,
            to_unit=unit,
            field_inspection=d["field_inspection"],
            confidentiality=d["confidentiality"] or None,
            classification=d["classification"] or None,
            note=d["note"],
        )
        return self._after(actor, scope, c)

    @extend_schema(request=ReclassifyInputSerializer, responses=ComplaintDetailSerializer)
    @action(detail=True, methods=["post"])
    def reclassify(self, request, tracking_code=None):
        """Change the class of a report with the unit; the deadline follows (services.complaint_reclassify):
        handlers."""
        actor, scope, c = self._complaint(tracking_code)
        d = _input(ReclassifyInputSerializer, request.data)
        services.complaint_reclassify(actor=actor, complaint=c, classification=d["classification"], reason=d["reason"])
        return self._after(actor, scope, c)

    @extend_schema(request=RejectInputSerializer, responses=ComplaintDetailSerializer)
    @action(detail=True, methods=["post"])
    def reject(self, request, tracking_code=None):
        """Refuse an unverified report with a reason (services.complaint_reject): handlers."""
        actor, scope, c = self._complaint(tracking_code)
        d = _input(RejectInputSerializer, request.data)
        services.complaint_reject(actor=actor, complaint=c, reason=d["reason"])
        return self._after(actor, scope, c)

    @extend_schema(request=MergeInputSerializer, responses=ComplaintDetailSerializer)
    @action(detail=True, methods=["post"])
    def merge(self, request, tracking_code=None):
        """Merge a duplicate into the report it repeats (services.complaint_merge): handlers of both."""
        actor, scope, c = self._complaint(tracking_code)
        d = _input(MergeInputSerializer, request.data)
        into = scope.handled().filter(tracking_code=d["into"].strip().upper()).first()
        if into is None:
            raise DomainError(_("Laporan dengan kode itu tidak ditemukan."), field="into")
        services.complaint_merge(actor=actor, complaint=c, into=into)
        return self._after(actor, scope, c)

    @extend_schema(request=ProgressInputSerializer, responses=ComplaintDetailSerializer)
    @action(detail=True, methods=["post"])
    def progress(self, request, tracking_code=None):
        """Record the follow-up (services.complaint_progress): handlers and the unit's staff."""
        actor, scope, c = self._complaint(tracking_code, handler_only=False)
        d = _input(ProgressInputSerializer, request.data)
        services.complaint_progress(actor=actor, complaint=c, note=d["note"])
        return self._after(actor, scope, c)

    @extend_schema(request=RespondInputSerializer, responses=ComplaintDetailSerializer)
    @action(detail=True, methods=["post"])
    def respond(self, request, tracking_code=None):
        """Answer the reporter (services.complaint_respond): handlers and the unit's staff."""
        actor, scope, c = self._complaint(tracking_code, handler_only=False)
        d = _input(RespondInputSerializer, request.data)
        services.complaint_respond(actor=actor, complaint=c, text=d["text"])
        return self._after(actor, scope, c)

    @extend_schema(request=CloseInputSerializer, responses=ComplaintDetailSerializer)
    @action(detail=True, methods=["post"])
    def close(self, request, tracking_code=None):
        """Close an answered report with its outcome (services.complaint_close): handlers."""
        actor, scope, c = self._complaint(tracking_code)
        d = _input(CloseInputSerializer, request.data)
        services.complaint_close(actor=actor, complaint=c, outcome=d["outcome"])
        return self._after(actor, scope, c)

    @extend_schema(request=RedactInputSerializer, responses=ComplaintDetailSerializer)
    @action(detail=True, methods=["post"])
    def redact(self, request, tracking_code=None):
        """Set the text the public reads (services.complaint_redact): handlers."""
        actor, scope, c = self._complaint(tracking_code)
        d = _input(RedactInputSerializer, request.data)
        services.complaint_redact(actor=actor, complaint=c, public_text=d["public_text"])
        return self._after(actor, scope, c)

    @extend_schema(request=HideInputSerializer, responses=ComplaintDetailSerializer)
    @action(detail=True, methods=["post"])
    def hide(self, request, tracking_code=None):
        """Hide an abusive report from the public, or show it again (services.complaint_hide): handlers."""
        actor, scope, c = self._complaint(tracking_code)
        d = _input(HideInputSerializer, request.data)
        services.complaint_hide(actor=actor, complaint=c, hidden=d["hidden"], reason=d["reason"])
        return self._after(actor, scope, c)

    @extend_schema(request=AttachmentPublishInputSerializer, responses=ComplaintDetailSerializer)
    @action(detail=True, methods=["post"], url_path="publish-attachment", url_name="publish-attachment")
    def publish_attachment(self, request, tracking_code=None):
        """Show an attachment on the public page or take it off (services.attachment_publish): handlers."""
        actor, scope, c = self._complaint(tracking_code)
        d = _input(AttachmentPublishInputSerializer, request.data)
        att = c.attachments.filter(pk=d["attachment"]).first() if sees_attachments(scope, c) else None
        if att is None:
            raise DomainError(_("Lampiran tidak ditemukan pada laporan ini."), field="attachment")
        services.attachment_publish(actor=actor, attachment=att, public=d["public"])
        return self._after(actor, scope, c)

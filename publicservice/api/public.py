"""The public list of reports over REST, open to anyone: the same reports and the same text as the public
pages (``selectors.public_complaints``: public or anonymous, past verification, not hidden — never a
confidential one), and nothing about who filed them, whatever the report's confidentiality."""

from django.db.models import Prefetch
from django.urls import reverse
from django_filters import rest_framework as filters
from drf_spectacular.utils import extend_schema_field
from rest_framework import permissions, serializers, viewsets

from publicservice import selectors
from publicservice.models import Complaint, ComplaintAttachment, ComplaintEvent, ComplaintKind

CODE = "[A-Za-z0-9]+"


class PublicUnitSerializer(serializers.Serializer):
    code = serializers.CharField()
    name = serializers.CharField()


class PublicAgencySerializer(serializers.Serializer):
    code = serializers.CharField()
    name = serializers.CharField()


class PublicEventSerializer(serializers.Serializer):
    kind = serializers.CharField()
    label = serializers.CharField(source="get_kind_display")
    at = serializers.DateTimeField()
    to_unit = serializers.CharField(source="to_unit.name", allow_null=True, default=None)
    text = serializers.SerializerMethodField()

    @extend_schema_field(serializers.CharField())
    def get_text(self, obj) -> str:
        # What the reporter wrote stays between the reporter and the officers.
        return "" if obj.kind in selectors.CITIZEN_EVENTS else obj.text


class PublicAttachmentSerializer(serializers.Serializer):
    kind = serializers.CharField()
    url = serializers.SerializerMethodField()

    @extend_schema_field(serializers.CharField())
    def get_url(self, obj) -> str:
        return reverse("publicservice:attachment", args=[obj.complaint.tracking_code, obj.pk])


class PublicComplaintSerializer(serializers.ModelSerializer):
    # Plain strings, not enums: these names carry other choice sets elsewhere in the API.
    kind = serializers.CharField(help_text=", ".join(ComplaintKind.values))
    status = serializers.CharField(help_text=", ".join(s.value for s in selectors.LISTED_STATUSES))
    unit = PublicUnitSerializer()
    agency = PublicAgencySerializer()
    text = serializers.SerializerMethodField(help_text="the verifier's redacted text")
    history = PublicEventSerializer(many=True, source="public_events")
    attachments = PublicAttachmentSerializer(many=True, source="public_attachments")

    class Meta:
        model = Complaint
        fields = [
            "tracking_code",
            "kind",
            "title",
            "text",
            "unit",
            "agency",
            "status",
            "created_at",
            "responded_at",
            "closed_at",
            "rating",
            "history",
            "attachments",
        ]

    @extend_schema_field(serializers.CharField())
    def get_text(self, obj) -> str:
        return selectors.public_text(obj)


class PublicComplaintFilter(filters.FilterSet):
    kind = filters.ChoiceFilter(choices=ComplaintKind.choices)
    status = filters.ChoiceFilter(choices=[(s.value, s.label) for s in selectors.LISTED_STATUSES])
    unit = filters.CharFilter(field_name="unit__code", help_text="service unit code")
    agency = filters.CharFilter(field_name="agency__code", help_text="agency code")

    class Meta:
        model = Complaint
        fields = []


class PublicComplaintViewSet(viewsets.ReadOnlyModelViewSet):
    """Reports anyone may read, newest first; no reporter's name or contact, ever."""

    serializer_class = PublicComplaintSerializer
    filterset_class = PublicComplaintFilter
    permission_classes = [permissions.AllowAny]
    lookup_field = "tracking_code"
    lookup_value_regex = CODE

    def get_queryset(self):
        return (
            selectors.public_complaints()
            .select_related("unit", "agency")
            .prefetch_related(
                Prefetch(
                    "events",
                    queryset=ComplaintEvent.objects.filter(citizen_visible=True)
                    .select_related("to_unit")
                    .order_by("at", "id"),
                    to_attr="public_events",
                ),
                Prefetch(
                    "attachments",
                    queryset=ComplaintAttachment.objects.filter(public=True).select_related("complaint").order_by("id"),
                    to_attr="public_attachments",
                ),
            )
            .order_by("-created_at", "-id")
        )

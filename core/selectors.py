from core.models import AuditRecord


def audit_records_visible_to(actor):
    """Audit records the actor may read: all for national roles, else those of their agencies."""
    qs = AuditRecord.objects.all()
    if actor.audit_agency_ids is None:
        return qs
    return qs.filter(agency_id__in=actor.audit_agency_ids)

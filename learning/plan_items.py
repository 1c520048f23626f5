"""Items the employee adds to (or takes from) their own development plan by hand: the career-goal
activities next to those plan_build derives from gaps and coaching actions."""

from decimal import Decimal, InvalidOperation

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils.translation import gettext as _

from core.audit import audit_log, entry_for
from core.errors import DomainError
from learning.choices import PlanStatus
from learning.models import DevelopmentPlan, DevelopmentPlanItem

MAX_JP = Decimal("9999.99")  # the column holds six digits, two after the point
EDITABLE = (PlanStatus.DRAFT, PlanStatus.RETURNED)


def _editable_plan(actor, plan: DevelopmentPlan) -> DevelopmentPlan:
    plan = DevelopmentPlan.objects.select_for_update().select_related("employee").get(pk=plan.pk)
    if actor.employee_id is None or actor.employee_id != plan.employee_id:
        raise PermissionDenied(_("Hanya pegawai yang bersangkutan yang mengubah rencananya."))
    if plan.status not in EDITABLE:
        raise DomainError(_("Rencana yang sudah diajukan atau disetujui tidak dapat diubah."), code="state")
    return plan


@transaction.atomic
def plan_item_add(*, actor, plan: DevelopmentPlan, activity: str, planned_jp) -> DevelopmentPlanItem:
    """The employee adds a career-goal activity with its planned JP to their draft (or returned) plan."""
    plan = _editable_plan(actor, plan)
    activity = (activity or "").strip()
    if not activity:
        raise DomainError(_("Tuliskan kegiatan pengembangan."), field="activity")
    if len(activity) > 300:
        raise DomainError(_("Kegiatan paling panjang 300 karakter."), field="activity")
    try:
        jp = Decimal(str(planned_jp)).quantize(Decimal("0.01"))
    except (InvalidOperation, ValueError):
        raise DomainError(_("JP direncanakan harus berupa angka."), field="planned_jp") from None
    if jp < 0 or jp > MAX_JP:
        raise DomainError(_("JP direncanakan 0 sampai %(n)s.") % {"n": MAX_JP}, field="planned_jp")
    item = DevelopmentPlanItem.objects.create(
        plan=plan, origin=DevelopmentPlanItem.Origin.CAREER, activity=activity, planned_jp=jp
    )
    audit_log(
        actor=actor.user,
        entry=entry_for(
            plan,
            "learning.plan_item_add",
            agency_id=plan.employee.agency_id,
            after={"item": item.pk, "activity": activity, "planned_jp": str(jp)},
        ),
    )
    return item


@transaction.atomic
def plan_item_remove(*, actor, item: DevelopmentPlanItem) -> None:
    """The employee takes a career-goal activity out of their draft (or returned) plan; derived items
    come and go with plan_build."""
    plan = _editable_plan(actor, item.plan)
    if item.origin != DevelopmentPlanItem.Origin.CAREER:
        raise DomainError(
            _("Kegiatan dari kesenjangan dan pembinaan diperbarui dengan menyusun ulang rencana."), code="derived"
        )
    before = {"item": item.pk, "activity": item.activity, "planned_jp": str(item.planned_jp)}
    item.delete()
    audit_log(
        actor=actor.user,
        entry=entry_for(plan, "learning.plan_item_remove", agency_id=plan.employee.agency_id, before=before),
    )

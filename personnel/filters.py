import django_filters
from django import forms
from django.utils.translation import gettext_lazy as _

from organization.choices import PositionType
from organization.models import Agency, OrgUnit
from personnel.choices import EmployeeStatus, EmployeeType
from personnel.models import Employee, Rank


class EmployeeFilter(django_filters.FilterSet):
    """The employee list's filters; choices are limited to what the actor may see."""

    q = django_filters.CharFilter(label=_("NIP atau nama"), method="search")
    agency = django_filters.ModelChoiceFilter(label=_("Instansi"), queryset=Agency.objects.none())
    unit = django_filters.ModelChoiceFilter(label=_("Unit"), queryset=OrgUnit.objects.none(), method="in_unit")
    rank = django_filters.ModelChoiceFilter(label=_("Golongan"), field_name="current_rank", queryset=Rank.objects.all())
    position_type = django_filters.ChoiceFilter(
        label=_("Jenis jabatan"), field_name="current_position_type", choices=PositionType.choices
    )
    employee_type = django_filters.ChoiceFilter(label=_("Jenis pegawai"), choices=EmployeeType.choices)
    status = django_filters.ChoiceFilter(label=_("Status"), choices=EmployeeStatus.choices)

    class Meta:
        model = Employee
        fields = ["q", "agency", "unit", "rank", "position_type", "employee_type", "status"]

    def __init__(self, *args, actor, **kwargs):
        super().__init__(*args, **kwargs)
        agencies = Agency.objects.registry_visible_to(actor)
        self.filters["agency"].queryset = agencies
        agency_id = self.data.get("agency")
        units = OrgUnit.objects.none()
        if agency_id and str(agency_id).isdigit():
            units = OrgUnit.objects.filter(agency__in=agencies, agency_id=int(agency_id)).order_by("path")
        self.filters["unit"].queryset = units
        for f in self.form.fields.values():
            css = "form-select form-select-sm" if isinstance(f.widget, forms.Select) else "form-control form-control-sm"
            f.widget.attrs["class"] = css

    def search(self, queryset, name, value):
        return queryset.search(value)

    def in_unit(self, queryset, name, unit):
        """The unit and every unit below it."""
        return queryset.filter(current_unit__path__startswith=unit.path)

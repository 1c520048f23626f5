import django_tables2 as tables
from django.utils.translation import gettext_lazy as _

from personnel.models import Employee


class EmployeeTable(tables.Table):
    nip = tables.TemplateColumn(
        '<a href="{% url \'personnel:detail\' record.nip %}" class="font-monospace">{{ record.nip }}</a>',
        verbose_name="NIP",
    )
    name = tables.Column(verbose_name=_("Nama"), accessor="full_name", order_by=("name", "id"))
    current_rank = tables.Column(
        verbose_name=_("Golongan"),
        accessor="current_rank__code",
        order_by=("current_rank__scheme", "current_rank__order", "id"),
    )
    current_position = tables.Column(verbose_name=_("Jabatan"), order_by=("current_position__title", "id"))
    current_unit = tables.Column(verbose_name=_("Unit"), order_by=("current_unit__name", "id"))
    agency = tables.Column(verbose_name=_("Instansi"), order_by=("agency__name", "id"))
    employee_type = tables.Column(verbose_name=_("Jenis"))
    retirement_date = tables.DateColumn(verbose_name=_("TMT pensiun"), format="d-m-Y")

    class Meta:
        model = Employee
        fields = (
            "nip",
            "name",
            "current_rank",
            "current_position",
            "current_unit",
            "agency",
            "employee_type",
            "retirement_date",
        )
        attrs = {"class": "table table-sm table-hover", "data-testid": "employee-table"}
        empty_text = _("Tidak ada pegawai yang cocok.")
        order_by = ("name",)

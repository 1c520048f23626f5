from django import forms
from django.utils.translation import gettext_lazy as _

from core.forms import StyledForm
from organization.models import Position
from personnel.choices import AssignmentKind, EmployeeType, Gender
from personnel.models import EducationLevel, Rank
from personnel.services import EMPLOYEE_FIELDS

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class RankForm(StyledForm):
    rank = forms.ModelChoiceField(label=_("Golongan"), queryset=Rank.objects.all())
    tmt = forms.DateField(label=_("TMT"), widget=DATE)
    decree_number = forms.CharField(label=_("Nomor SK"), max_length=100)
    decree_date = forms.DateField(label=_("Tanggal SK"), widget=DATE, required=False)

    def __init__(self, *args, employee, **kwargs):
        super().__init__(*args, **kwargs)
        scheme = "pppk" if employee.employee_type == EmployeeType.PPPK else "pns"
        self.fields["rank"].queryset = Rank.objects.filter(scheme=scheme)


class AssignmentForm(StyledForm):
    position = forms.ModelChoiceField(label=_("Jabatan"), queryset=Position.objects.none())
    kind = forms.ChoiceField(label=_("Jenis penugasan"), choices=AssignmentKind.choices)
    tmt = forms.DateField(label=_("TMT"), widget=DATE)
    end_date = forms.DateField(
        label=_("Berakhir"),
        widget=DATE,
        required=False,
        help_text=_("Untuk Plt/Plh yang masa tugasnya sudah ditetapkan."),
    )
    decree_number = forms.CharField(label=_("Nomor SK"), max_length=100)
    decree_date = forms.DateField(label=_("Tanggal SK"), widget=DATE, required=False)

    def __init__(self, *args, employee, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["position"].queryset = (
            Position.objects.filter(agency_id=employee.agency_id, is_active=True)
            .select_related("unit")
            .order_by("path")
        )
        self.fields["position"].label_from_instance = lambda p: f"{p.title} — {p.unit.name} ({p.code})"


class EducationForm(StyledForm):
    level = forms.ModelChoiceField(label=_("Jenjang"), queryset=EducationLevel.objects.all())
    major = forms.CharField(label=_("Jurusan"), max_length=150, required=False)
    institution = forms.CharField(label=_("Lembaga pendidikan"), max_length=200, required=False)
    tmt = forms.DateField(label=_("Tanggal lulus"), widget=DATE)
    decree_number = forms.CharField(label=_("Nomor ijazah"), max_length=100)

    def __init__(self, *args, employee, **kwargs):
        super().__init__(*args, **kwargs)


class EmployeeForm(StyledForm):
    nip = forms.CharField(label="NIP", max_length=18, min_length=18)
    nik = forms.CharField(label="NIK", max_length=16, min_length=16)
    name = forms.CharField(label=_("Nama (tanpa gelar)"), max_length=150)
    front_title = forms.CharField(label=_("Gelar depan"), max_length=40, required=False)
    back_title = forms.CharField(label=_("Gelar belakang"), max_length=60, required=False)
    gender = forms.ChoiceField(label=_("Jenis kelamin"), choices=Gender.choices)
    birth_place = forms.CharField(label=_("Tempat lahir"), max_length=100, required=False)
    birth_date = forms.DateField(label=_("Tanggal lahir"), widget=DATE)
    employee_type = forms.ChoiceField(label=_("Jenis pegawai"), choices=EmployeeType.choices)
    tmt_appointment = forms.DateField(label=_("TMT pengangkatan pertama"), widget=DATE)
    email = forms.EmailField(label=_("Email"), required=False)
    phone = forms.CharField(label=_("Telepon"), max_length=20, required=False)
    rank = forms.ModelChoiceField(label=_("Golongan"), queryset=Rank.objects.all())
    rank_decree = forms.CharField(label=_("Nomor SK golongan"), max_length=100)
    position = forms.ModelChoiceField(label=_("Jabatan"), queryset=Position.objects.none(), required=False)
    position_decree = forms.CharField(label=_("Nomor SK jabatan"), max_length=100, required=False)
    education = forms.ModelChoiceField(label=_("Pendidikan terakhir"), queryset=EducationLevel.objects.all())
    education_number = forms.CharField(label=_("Nomor ijazah"), max_length=100, required=False)

    IDENTITY = tuple(f for f in EMPLOYEE_FIELDS if f != "nip_lama")

    def __init__(self, *args, agency, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["position"].queryset = (
            Position.objects.filter(agency=agency, is_active=True).select_related("unit").order_by("path")
        )
        self.fields["position"].label_from_instance = lambda p: f"{p.title} — {p.unit.name} ({p.code})"

    def clean(self):
        data = super().clean()
        if data.get("position") and not data.get("position_decree"):
            self.add_error("position_decree", _("Nomor SK jabatan wajib diisi bila jabatan dipilih."))
        return data

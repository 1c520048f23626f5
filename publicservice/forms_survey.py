"""Forms of the satisfaction survey: the public questionnaire (the nine unsur of PermenPANRB 14/2017 on the
4-point scale, with the respondent's profile) and the officer's forms for units, periods, desks and
action plans."""

from django import forms
from django.utils.translation import gettext_lazy as _

from core.forms import StyledForm
from organization.models import OrgUnit
from personnel.choices import EmployeeStatus
from personnel.models import Employee
from publicservice import rules
from publicservice.models import SurveyCampaign, SurveyResponse

# The sample questionnaire of the Permen: one question per unsur, answers 1 (worst) to 4 (best).
QUESTIONS = {
    "U1": (
        _("Bagaimana pendapat Saudara tentang kesesuaian persyaratan pelayanan dengan jenis pelayanannya?"),
        (_("Tidak sesuai"), _("Kurang sesuai"), _("Sesuai"), _("Sangat sesuai")),
    ),
    "U2": (
        _("Bagaimana pemahaman Saudara tentang kemudahan prosedur pelayanan di unit ini?"),
        (_("Tidak mudah"), _("Kurang mudah"), _("Mudah"), _("Sangat mudah")),
    ),
    "U3": (
        _("Bagaimana pendapat Saudara tentang kecepatan waktu dalam memberikan pelayanan?"),
        (_("Tidak cepat"), _("Kurang cepat"), _("Cepat"), _("Sangat cepat")),
    ),
    "U4": (
        _("Bagaimana pendapat Saudara tentang kewajaran biaya/tarif dalam pelayanan?"),
        (_("Sangat mahal"), _("Cukup mahal"), _("Murah"), _("Gratis")),
    ),
    "U5": (
        _(
            "Bagaimana pendapat Saudara tentang kesesuaian produk pelayanan antara yang tercantum dalam "
            "standar pelayanan dengan hasil yang diberikan?"
        ),
        (_("Tidak sesuai"), _("Kurang sesuai"), _("Sesuai"), _("Sangat sesuai")),
    ),
    "U6": (
        _("Bagaimana pendapat Saudara tentang kompetensi/kemampuan petugas dalam pelayanan?"),
        (_("Tidak kompeten"), _("Kurang kompeten"), _("Kompeten"), _("Sangat kompeten")),
    ),
    "U7": (
        _("Bagaimana pendapat Saudara tentang perilaku petugas dalam pelayanan terkait kesopanan dan keramahan?"),
        (_("Tidak sopan dan ramah"), _("Kurang sopan dan ramah"), _("Sopan dan ramah"), _("Sangat sopan dan ramah")),
    ),
    "U8": (
        _("Bagaimana pendapat Saudara tentang penanganan pengaduan, saran dan masukan di unit ini?"),
        (_("Tidak ada"), _("Ada tetapi tidak berfungsi"), _("Berfungsi kurang maksimal"), _("Dikelola dengan baik")),
    ),
    "U9": (
        _("Bagaimana pendapat Saudara tentang kualitas sarana dan prasarana?"),
        (_("Buruk"), _("Cukup"), _("Baik"), _("Sangat baik")),
    ),
}
ANSWER_REQUIRED = _("Pilih salah satu jawaban.")
PROFILE_REQUIRED = _("Pilih salah satu.")


class SurveyForm(StyledForm):
    """The questionnaire a citizen fills in on a phone: nine questions, the profile, an optional suggestion."""

    age_band = forms.ChoiceField(
        label=_("Usia"),
        choices=SurveyResponse.AGE_BANDS,
        widget=forms.RadioSelect,
        error_messages={"required": PROFILE_REQUIRED},
    )
    gender = forms.ChoiceField(
        label=_("Jenis kelamin"),
        choices=[("M", _("Laki-laki")), ("F", _("Perempuan"))],
        widget=forms.RadioSelect,
        error_messages={"required": PROFILE_REQUIRED},
    )
    education = forms.ChoiceField(
        label=_("Pendidikan terakhir"),
        choices=SurveyResponse.EDUCATION,
        widget=forms.RadioSelect,
        error_messages={"required": PROFILE_REQUIRED},
    )
    occupation = forms.ChoiceField(
        label=_("Pekerjaan"),
        choices=SurveyResponse.OCCUPATION,
        widget=forms.RadioSelect,
        error_messages={"required": PROFILE_REQUIRED},
    )
    suggestion = forms.CharField(
        label=_("Saran untuk perbaikan layanan (boleh dikosongkan)"),
        required=False,
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for code, name in rules.UNSUR:
            question, labels = QUESTIONS[code]
            self.fields[code.lower()] = forms.TypedChoiceField(
                label=question,
                choices=[(str(i), label) for i, label in enumerate(labels, 1)],
                coerce=int,
                widget=forms.RadioSelect,
                error_messages={"required": ANSWER_REQUIRED},
            )
            self.fields[code.lower()].unsur = (code, name)
        for f in self.fields.values():
            if isinstance(f.widget, forms.RadioSelect):
                f.widget.attrs["class"] = "btn-check"

    @property
    def questions(self):
        return [self[c.lower()] for c in rules.CODES]

    @property
    def profile(self):
        return [self[name] for name in ("age_band", "gender", "education", "occupation")]

    def answers(self) -> dict[str, int]:
        return {c: self.cleaned_data[c.lower()] for c in rules.CODES}

    def profile_data(self) -> dict[str, str]:
        return {name: self.cleaned_data[name] for name in ("age_band", "gender", "education", "occupation")}


class ServiceUnitForm(StyledForm):
    agency = forms.ModelChoiceField(label=_("Instansi"), queryset=None)
    name = forms.CharField(label=_("Nama unit layanan"), max_length=200)
    org_unit = forms.ModelChoiceField(
        label=_("Unit organisasi yang bertanggung jawab"),
        queryset=OrgUnit.objects.none(),
        required=False,
        help_text=_("Kepala dan staf unit ini melihat hasil survei dan pengaduan di layar penilaian kinerja."),
    )
    services = forms.CharField(label=_("Jenis layanan"), max_length=500, required=False)
    address = forms.CharField(label=_("Alamat"), max_length=300, required=False)
    population = forms.IntegerField(
        label=_("Jumlah pengguna layanan per periode"),
        min_value=0,
        initial=0,
        help_text=_("Dasar target responden menurut tabel Krejcie–Morgan."),
    )
    active = forms.BooleanField(label=_("Aktif"), required=False, initial=True)

    def __init__(self, *args, agencies, agency=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["agency"].queryset = agencies
        if agency is not None:
            self.fields["agency"].initial = agency.pk
            self.fields["agency"].disabled = True
            self.fields["org_unit"].queryset = OrgUnit.objects.filter(agency=agency, is_active=True)
        else:
            ids = list(agencies.values_list("pk", flat=True)[:2])
            if len(ids) == 1:
                self.fields["agency"].initial = ids[0]
            self.fields["org_unit"].queryset = OrgUnit.objects.filter(agency__in=agencies, is_active=True)

    def clean(self):
        data = super().clean()
        agency, org_unit = data.get("agency"), data.get("org_unit")
        if agency and org_unit and org_unit.agency_id != agency.pk:
            self.add_error("org_unit", _("Unit organisasi harus dari instansi yang sama."))
        return data


class CampaignForm(StyledForm):
    name = forms.CharField(label=_("Nama periode"), max_length=100, help_text=_("Mis. Semester I 2026."))
    starts_on = forms.DateField(label=_("Mulai"), widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"))
    ends_on = forms.DateField(label=_("Selesai"), widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"))
    population = forms.IntegerField(label=_("Populasi pengguna layanan dalam periode"), min_value=1)
    weighting = forms.ChoiceField(
        label=_("Pembobotan"),
        choices=SurveyCampaign.Weighting.choices,
        initial=SurveyCampaign.Weighting.EXACT,
        help_text=_("Bobot tepat 1/9 dianjurkan; bobot 0,11 menurunkan nilai karena jumlah bobot hanya 0,99."),
    )


def _employee_by_nip(agency_id: int, nip: str):
    return (
        Employee.objects.filter(agency_id=agency_id, nip=nip.strip(), status=EmployeeStatus.ACTIVE).first()
        if nip.strip()
        else None
    )


class PointForm(StyledForm):
    label = forms.CharField(label=_("Loket / petugas"), max_length=150)
    officer_nip = forms.CharField(label=_("NIP petugas (opsional)"), max_length=18, required=False)

    def __init__(self, *args, agency_id: int, **kwargs):
        super().__init__(*args, **kwargs)
        self.agency_id = agency_id

    def clean_officer_nip(self):
        nip = self.cleaned_data["officer_nip"]
        if nip.strip() and _employee_by_nip(self.agency_id, nip) is None:
            raise forms.ValidationError(_("Tidak ada pegawai aktif instansi ini dengan NIP tersebut."))
        return nip

    @property
    def officer(self):
        return _employee_by_nip(self.agency_id, self.cleaned_data.get("officer_nip", ""))


class ActionPlanForm(StyledForm):
    unsur = forms.ChoiceField(label=_("Unsur survei yang lemah"), required=False)
    theme = forms.CharField(label=_("atau tema pengaduan berulang"), max_length=200, required=False)
    title = forms.CharField(label=_("Rencana tindak lanjut"), max_length=300, widget=forms.Textarea(attrs={"rows": 2}))
    owner_nip = forms.CharField(label=_("NIP penanggung jawab"), max_length=18)
    due = forms.DateField(label=_("Tenggat"), widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"))

    def __init__(self, *args, agency_id: int, weak: list[str] = (), **kwargs):
        super().__init__(*args, **kwargs)
        self.agency_id = agency_id
        names = dict(rules.UNSUR)
        first = [(c, f"{c} {names[c]} — " + str(_("terlemah"))) for c in weak]
        rest = [(c, f"{c} {names[c]}") for c in rules.CODES if c not in weak]
        self.fields["unsur"].choices = [("", "—")] + first + rest

    def clean_owner_nip(self):
        nip = self.cleaned_data["owner_nip"]
        if _employee_by_nip(self.agency_id, nip) is None:
            raise forms.ValidationError(_("Tidak ada pegawai aktif instansi ini dengan NIP tersebut."))
        return nip

    @property
    def owner(self):
        return _employee_by_nip(self.agency_id, self.cleaned_data.get("owner_nip", ""))


class ProgressForm(StyledForm):
    note = forms.CharField(label=_("Perkembangan"), max_length=500, widget=forms.Textarea(attrs={"rows": 2}))


class DoneForm(StyledForm):
    result = forms.CharField(label=_("Hasil tindak lanjut"), max_length=500, widget=forms.Textarea(attrs={"rows": 2}))

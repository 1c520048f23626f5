"""Forms of the catalogue, events, enrolment, completion, learning done elsewhere, budgets and the
public certificate check."""

from django import forms
from django.utils.translation import gettext_lazy as _

from core.forms import StyledForm
from learning.choices import Modality

EVIDENCE_MAX_BYTES = 2 * 1024 * 1024  # as learning.services.external_submit checks
EVIDENCE_ACCEPT = ".pdf,.jpg,.jpeg"
TARGET_ROWS = 4
BLANK = [("", "—")]


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, attrs=None):
        super().__init__(attrs, format="%Y-%m-%d")


class CatalogueFilterForm(StyledForm):
    q = forms.CharField(label=_("Cari"), required=False, max_length=100)
    modality = forms.ChoiceField(label=_("Moda"), choices=BLANK + list(Modality.choices), required=False)
    competency = forms.ChoiceField(label=_("Kompetensi"), required=False)

    def __init__(self, *args, competencies=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["competency"].choices = BLANK + [(str(c.pk), f"{c.code} {c.name}") for c in competencies]


class ProgramForm(StyledForm):
    code = forms.CharField(label=_("Kode"), max_length=30)
    title = forms.CharField(label=_("Nama program"), max_length=200)
    jp = forms.DecimalField(label=_("JP"), max_digits=6, decimal_places=2)
    modality = forms.ChoiceField(label=_("Moda"), choices=Modality.choices)
    provider = forms.CharField(label=_("Penyelenggara"), max_length=200)
    cost = forms.DecimalField(label=_("Biaya per peserta (Rp)"), max_digits=14, decimal_places=0)
    description = forms.CharField(
        label=_("Uraian"), required=False, widget=forms.Textarea(attrs={"rows": 3}), max_length=5000
    )
    has_tests = forms.BooleanField(label=_("Dengan pre-test dan post-test"), required=False, initial=True)
    pass_score = forms.DecimalField(
        label=_("Nilai lulus post-test"), max_digits=5, decimal_places=2, min_value=0, max_value=100, initial=60
    )

    def __init__(self, *args, competencies=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.competencies = {str(c.pk): c for c in competencies}
        choices = BLANK + [(k, str(c)) for k, c in self.competencies.items()]
        for n in range(TARGET_ROWS):
            self.fields[f"competency_{n}"] = forms.ChoiceField(
                label=_("Kompetensi"),
                choices=choices,
                required=False,
                widget=forms.Select(attrs={"aria-label": _("Kompetensi")}),
            )
            self.fields[f"level_{n}"] = forms.IntegerField(
                label=_("Sampai level"),
                min_value=1,
                required=False,
                widget=forms.NumberInput(attrs={"aria-label": _("Sampai level"), "placeholder": _("Sampai level")}),
            )
        self.style()

    def target_rows(self):
        return [(self[f"competency_{n}"], self[f"level_{n}"]) for n in range(TARGET_ROWS)]

    def clean(self):
        data = super().clean()
        targets = {}
        for n in range(TARGET_ROWS):
            key, level = data.get(f"competency_{n}"), data.get(f"level_{n}")
            if not key:
                continue
            if level is None:
                self.add_error(f"level_{n}", _("Isi level yang dicapai."))
                continue
            comp = self.competencies[key]
            if comp in targets:
                self.add_error(f"competency_{n}", _("Kompetensi ini sudah dipilih."))
                continue
            targets[comp] = level
        data["targets"] = targets
        return data


class EventForm(StyledForm):
    agency = forms.ChoiceField(label=_("Instansi penyelenggara"))
    name = forms.CharField(label=_("Angkatan"), max_length=100)
    starts_on = forms.DateField(label=_("Mulai"), widget=DateInput())
    ends_on = forms.DateField(label=_("Selesai"), widget=DateInput())
    place = forms.CharField(label=_("Tempat"), max_length=200)
    capacity = forms.IntegerField(label=_("Kapasitas"), min_value=1, max_value=32767)

    def __init__(self, *args, agencies=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.agencies = {str(a.pk): a for a in agencies}
        self.fields["agency"].choices = [(k, a.name) for k, a in self.agencies.items()]

    def clean_agency(self):
        return self.agencies[self.cleaned_data["agency"]]


class EnrollForm(StyledForm):
    employee = forms.IntegerField(widget=forms.HiddenInput)


class OverrideForm(StyledForm):
    employee = forms.IntegerField(widget=forms.HiddenInput)
    reason = forms.CharField(
        label=_("Alasan melampaui anggaran"),
        max_length=300,
        error_messages={"required": _("Tuliskan alasan melampaui anggaran.")},
    )

    def clean_reason(self):
        reason = self.cleaned_data["reason"].strip()
        if not reason:
            raise forms.ValidationError(_("Tuliskan alasan melampaui anggaran."))
        return reason


class CancelForm(StyledForm):
    enrollment = forms.IntegerField(widget=forms.HiddenInput)
    reason = forms.CharField(
        label=_("Alasan pembatalan"), max_length=300, error_messages={"required": _("Tuliskan alasan pembatalan.")}
    )


class CompleteForm(StyledForm):
    enrollment = forms.IntegerField(widget=forms.HiddenInput)
    pre_score = forms.DecimalField(label=_("Pre-test"), max_digits=5, decimal_places=2, required=False)
    post_score = forms.DecimalField(label=_("Post-test"), max_digits=5, decimal_places=2, required=False)
    completed_on = forms.DateField(label=_("Tanggal selesai"), widget=DateInput(), required=False)


class AttendanceForm(StyledForm):
    enrollment = forms.IntegerField()
    day = forms.DateField()
    present = forms.BooleanField(required=False)


class DecideForm(StyledForm):
    enrollment = forms.IntegerField(widget=forms.HiddenInput)
    decision = forms.ChoiceField(choices=[("approve", _("Setujui")), ("reject", _("Tolak"))])
    note = forms.CharField(label=_("Alasan penolakan"), max_length=500, required=False)


class ExternalForm(StyledForm):
    title = forms.CharField(label=_("Nama kegiatan"), max_length=200)
    provider = forms.CharField(label=_("Penyelenggara"), max_length=200)
    modality = forms.ChoiceField(label=_("Moda"), choices=Modality.choices)
    started_on = forms.DateField(label=_("Mulai"), widget=DateInput())
    ended_on = forms.DateField(label=_("Selesai"), widget=DateInput())
    minutes = forms.IntegerField(label=_("Durasi (menit)"), min_value=1, max_value=60 * 24 * 366)
    evidence = forms.FileField(
        label=_("Bukti (sertifikat, PDF atau JPG, maks. 2 MB)"),
        widget=forms.ClearableFileInput(attrs={"accept": EVIDENCE_ACCEPT}),
    )

    def clean_evidence(self):
        """Check by content and size, not by name: a renamed file is refused as the service would."""
        from recruitment.rules import sniff

        f = self.cleaned_data["evidence"]
        head = f.read(8)
        f.seek(0)
        if sniff(head) is None or f.size > EVIDENCE_MAX_BYTES:
            raise forms.ValidationError(_("Bukti harus PDF atau JPG, paling besar 2 MB."))
        return f


class VerifyForm(StyledForm):
    item = forms.IntegerField(widget=forms.HiddenInput)
    decision = forms.ChoiceField(choices=[("accept", _("Terima")), ("reject", _("Tolak"))])
    reason = forms.CharField(label=_("Alasan penolakan"), max_length=300, required=False)


class BudgetForm(StyledForm):
    year = forms.IntegerField(label=_("Tahun"), min_value=2000, max_value=2100)
    unit = forms.ChoiceField(label=_("Unit (kosongkan untuk seluruh instansi)"), required=False)
    amount = forms.DecimalField(label=_("Pagu (Rp)"), max_digits=16, decimal_places=0)

    def __init__(self, *args, units=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.units = {str(u.pk): u for u in units}
        self.fields["unit"].choices = BLANK + [(k, u.name) for k, u in self.units.items()]

    def clean_unit(self):
        key = self.cleaned_data.get("unit")
        return self.units[key] if key else None


class CertificateLookupForm(StyledForm):
    code = forms.CharField(label=_("Nomor verifikasi sertifikat"), max_length=12, min_length=4)

from django import forms
from django.utils.translation import gettext_lazy as _

from core.forms import StyledForm
from performance import rules
from performance.choices import Aspect, Behaviour, CurvePolicy, Frequency, OrgPredikat, Rating, Rounding

RATING_BLANK = [("", "—")] + list(Rating.choices)
INDICATOR_ROWS = 4


class RhkForm(StyledForm):
    text = forms.CharField(label=_("Rencana hasil kerja"), max_length=500, widget=forms.Textarea(attrs={"rows": 2}))
    supports = forms.ChoiceField(label=_("RHK atasan yang diintervensi"), required=False)
    indicator = forms.ChoiceField(label=_("IKU / perjanjian kinerja"), required=False)

    def __init__(self, *args, supervisor_rhks=(), indicators=(), is_jpt=False, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["supports"].choices = [("", "—")] + [(str(r.pk), r.text) for r in supervisor_rhks]
        self.fields["indicator"].choices = [("", "—")] + [(str(i.pk), f"{i.code} {i.name}") for i in indicators]
        if is_jpt:
            del self.fields["supports"]
        else:
            del self.fields["indicator"]
        for n in range(INDICATOR_ROWS):
            self.fields[f"aspect_{n}"] = forms.ChoiceField(
                label=_("Aspek"), choices=Aspect.choices, initial=Aspect.values[n % 4], required=False
            )
            self.fields[f"ind_text_{n}"] = forms.CharField(label=_("Indikator"), max_length=300, required=False)
            self.fields[f"ind_target_{n}"] = forms.CharField(label=_("Target"), max_length=100, required=False)
        self.style()

    def indicator_rows(self) -> list[tuple[str, str, str]]:
        d = self.cleaned_data
        return [(d[f"aspect_{n}"], d[f"ind_text_{n}"], d[f"ind_target_{n}"]) for n in range(INDICATOR_ROWS)]

    def rows(self):
        """The indicator rows as (aspect, text, target) bound fields, for the template."""
        return [(self[f"aspect_{n}"], self[f"ind_text_{n}"], self[f"ind_target_{n}"]) for n in range(INDICATOR_ROWS)]


class ReturnForm(StyledForm):
    comment = forms.CharField(label=_("Catatan untuk pegawai"), widget=forms.Textarea(attrs={"rows": 2}))


class ExpectationForm(StyledForm):
    behaviour = forms.ChoiceField(label=_("Nilai BerAKHLAK"), choices=Behaviour.choices)
    text = forms.CharField(label=_("Ekspektasi khusus pimpinan"), max_length=500, required=False)


class FeedbackForm(StyledForm):
    rhk = forms.ChoiceField(label=_("Tentang RHK"), required=False)
    behaviour = forms.ChoiceField(label=_("atau perilaku"), choices=[("", "—")] + list(Behaviour.choices), required=False)
    text = forms.CharField(label=_("Umpan balik"), widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args, rhks=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["rhk"].choices = [("", "—")] + [(str(r.pk), r.text) for r in rhks]


class ReplyForm(StyledForm):
    reply = forms.CharField(label=_("Tanggapan"), widget=forms.Textarea(attrs={"rows": 2}))


class EvidenceForm(StyledForm):
    url = forms.URLField(label=_("Tautan bukti"), required=False, assume_scheme="https")
    file = forms.FileField(label=_("atau unggah berkas"), required=False)
    note = forms.CharField(label=_("Keterangan"), max_length=300, required=False)


class RealizationForm(StyledForm):
    text = forms.CharField(label=_("Realisasi"), widget=forms.Textarea(attrs={"rows": 2}))


class AssessmentForm(StyledForm):
    result_rating = forms.ChoiceField(label=_("Rating hasil kerja"), choices=RATING_BLANK, required=False)
    behaviour_rating = forms.ChoiceField(label=_("Rating perilaku kerja"), choices=RATING_BLANK)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for code, name, _guides in rules.BERAKHLAK:
            self.fields[f"note_{code}"] = forms.CharField(label=name, max_length=500, required=False)
        self.style()

    def notes(self) -> dict:
        return {code: self.cleaned_data.get(f"note_{code}", "") for code in rules.BERAKHLAK_CODES}

    def note_fields(self):
        return [self[f"note_{code}"] for code in rules.BERAKHLAK_CODES]


class PeerForm(StyledForm):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for code, name, _guides in rules.BERAKHLAK:
            self.fields[code] = forms.ChoiceField(label=name, choices=RATING_BLANK, required=False)
        self.style()

    def ratings(self) -> dict:
        return {k: v for k, v in self.cleaned_data.items() if v}


class OrgRatingForm(StyledForm):
    predikat = forms.ChoiceField(label=_("Predikat kinerja organisasi"), choices=OrgPredikat.choices)
    note = forms.CharField(label=_("Dasar penetapan"), max_length=500, required=False)


class FinalizeForm(StyledForm):
    justification = forms.CharField(
        label=_("Justifikasi penyimpangan kurva"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )


class SettingsForm(StyledForm):
    frequency = forms.ChoiceField(label=_("Periode penilaian"), choices=Frequency.choices)
    curve_policy = forms.ChoiceField(label=_("Penyimpangan kurva distribusi"), choices=CurvePolicy.choices)
    rounding = forms.ChoiceField(label=_("Pembulatan untuk unit kecil"), choices=Rounding.choices)


class YearForm(StyledForm):
    year = forms.IntegerField(label=_("Tahun"), min_value=2022, max_value=2100)


class IndicatorForm(StyledForm):
    unit = forms.ChoiceField(label=_("Unit (kosong: instansi)"), required=False)
    code = forms.CharField(label=_("Kode"), max_length=30)
    name = forms.CharField(label=_("Indikator"), max_length=300)
    measure = forms.CharField(label=_("Satuan"), max_length=40)
    annual_target = forms.DecimalField(label=_("Target tahunan"), max_digits=14, decimal_places=2)

    def __init__(self, *args, units=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"].choices = [("", "—")] + [(str(u.pk), u.name) for u in units]


class RealizeForm(StyledForm):
    realization = forms.DecimalField(label=_("Realisasi"), max_digits=14, decimal_places=2)
    evidence_url = forms.URLField(label=_("Tautan bukti"), required=False, assume_scheme="https")
    note = forms.CharField(label=_("Catatan"), max_length=300, required=False)


class ReopenForm(StyledForm):
    reason = forms.CharField(label=_("Alasan pembukaan kembali"), max_length=500)


class CoachingActionForm(StyledForm):
    action = forms.CharField(label=_("Tindakan pembinaan"), max_length=300)
    owner = forms.CharField(label=_("Penanggung jawab"), max_length=200)
    start = forms.DateField(label=_("Mulai"), widget=forms.DateInput(attrs={"type": "date"}))
    due = forms.DateField(label=_("Tenggat"), widget=forms.DateInput(attrs={"type": "date"}))

"""Forms of the competency pages: the dictionary, assessments and their import, and development plans."""

from django import forms
from django.utils.translation import gettext_lazy as _

from core.forms import StyledForm
from learning.choices import AssessmentSource, CompetencyKind

MAX_LEVELS = 9


class CompetencyForm(StyledForm):
    """A competency with one description per level; the level fields beyond ``max_level`` are ignored."""

    kind = forms.ChoiceField(label=_("Jenis"))
    agency = forms.ModelChoiceField(label=_("Instansi"), queryset=None, required=False, empty_label="—")
    family = forms.CharField(label=_("Rumpun jabatan"), max_length=150, required=False)
    code = forms.CharField(label=_("Kode"), max_length=30)
    name = forms.CharField(label=_("Nama kompetensi"), max_length=200)
    description = forms.CharField(label=_("Definisi"), required=False, widget=forms.Textarea(attrs={"rows": 2}))
    max_level = forms.TypedChoiceField(
        label=_("Jumlah level"),
        coerce=int,
        choices=[(n, n) for n in range(1, MAX_LEVELS + 1)],
        initial=5,
    )

    def __init__(self, *args, kinds, agencies, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["kind"].choices = [(k, label) for k, label in CompetencyKind.choices if k in kinds]
        self.fields["agency"].queryset = agencies
        for n in range(1, MAX_LEVELS + 1):
            self.fields[f"level_{n}"] = forms.CharField(
                label=_("Deskripsi level %(n)s") % {"n": n},
                required=False,
                widget=forms.Textarea(attrs={"rows": 2, "data-level": n}),
            )
        self.style()

    def level_fields(self):
        return [self[f"level_{n}"] for n in range(1, MAX_LEVELS + 1)]

    def levels(self) -> dict[int, str]:
        """The descriptions of levels 1..max_level that were filled in (the service names what is missing)."""
        top = self.cleaned_data["max_level"]
        out = {}
        for n in range(1, top + 1):
            text = (self.cleaned_data.get(f"level_{n}") or "").strip()
            if text:
                out[n] = text
        return out


class AssessmentForm(StyledForm):
    competency = forms.ModelChoiceField(label=_("Kompetensi"), queryset=None, empty_label=_("— pilih kompetensi —"))
    level = forms.IntegerField(label=_("Level yang dimiliki"), min_value=1, max_value=MAX_LEVELS)
    source = forms.ChoiceField(label=_("Sumber"))
    assessed_on = forms.DateField(label=_("Tanggal penilaian"), widget=forms.DateInput(attrs={"type": "date"}))
    note = forms.CharField(label=_("Catatan"), max_length=300, required=False)

    def __init__(self, *args, competencies, sources, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["competency"].queryset = competencies
        self.fields["source"].choices = [(s, label) for s, label in AssessmentSource.choices if s in sources]


class AssessmentImportForm(StyledForm):
    file = forms.FileField(label=_("Berkas xlsx hasil assessment center / CACT"))


class PlanBuildForm(StyledForm):
    career_goal = forms.CharField(label=_("Sasaran karier"), max_length=300, required=False)


class PlanItemForm(StyledForm):
    activity = forms.CharField(label=_("Kegiatan pengembangan"), max_length=300)
    planned_jp = forms.DecimalField(label=_("JP direncanakan"), max_digits=6, decimal_places=2, initial=0)


class PlanDecideForm(StyledForm):
    decision = forms.ChoiceField(
        label=_("Keputusan"), choices=[("approve", _("Setujui")), ("return", _("Kembalikan"))], widget=forms.RadioSelect
    )
    note = forms.CharField(label=_("Catatan atasan"), max_length=500, required=False)

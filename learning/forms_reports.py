"""Forms of the competency-development reports, the optimal allocation and the evaluation pages."""

from django import forms
from django.utils.translation import gettext_lazy as _

from core.forms import StyledForm
from learning import rules
from learning.choices import FollowUp

GROUPS = {
    "unit": _("Unit kerja"),
    "agency": _("Instansi"),
    "region": _("Wilayah (provinsi)"),
    "employee": _("Pegawai"),
}
MIN_YEAR, MAX_YEAR = 2000, 2100


class ReportFilterForm(StyledForm):
    """Year, agency (within the actor's scope) and grouping of a report."""

    tahun = forms.IntegerField(label=_("Tahun"), min_value=MIN_YEAR, max_value=MAX_YEAR)
    instansi = forms.ChoiceField(label=_("Instansi"), required=False)
    kelompok = forms.ChoiceField(label=_("Per"), required=False)

    def __init__(self, *args, agencies=(), groups=(), all_label=None, **kwargs):
        super().__init__(*args, **kwargs)
        agencies = list(agencies)
        if len(agencies) == 1:
            self.fields["instansi"].choices = [(str(agencies[0].pk), agencies[0].name)]
        else:
            self.fields["instansi"].choices = [("", all_label or _("Semua instansi dalam cakupan"))] + [
                (str(a.pk), a.name) for a in agencies
            ]
        if groups:
            self.fields["kelompok"].choices = [(g, GROUPS[g]) for g in groups]
        else:
            del self.fields["kelompok"]


class WeightsForm(StyledForm):
    """The year and the weights of the optimal allocation (defaults: rules.Weights)."""

    tahun = forms.IntegerField(label=_("Tahun anggaran"), min_value=MIN_YEAR, max_value=MAX_YEAR)
    gap = forms.FloatField(
        label=_("Bobot per level kesenjangan yang ditutup"),
        min_value=0,
        max_value=1000,
        initial=rules.Weights.gap,
    )
    compliance = forms.FloatField(
        label=_("Bobot per PNS yang mencapai 20 JP"), min_value=0, max_value=1000, initial=rules.Weights.compliance
    )
    coaching = forms.FloatField(
        label=_("Tambahan bagi pegawai dalam rencana pembinaan (× nilai kesenjangan)"),
        min_value=0,
        max_value=10,
        initial=rules.Weights.coaching,
    )
    max_events = forms.IntegerField(
        label=_("Paling banyak angkatan per pegawai"), min_value=1, max_value=10, initial=rules.Weights.max_events
    )

    def weights(self) -> rules.Weights:
        d = self.cleaned_data
        return rules.Weights(
            gap=d["gap"], compliance=d["compliance"], coaching=d["coaching"], max_events=d["max_events"]
        )


SCORE_CHOICES = [(n, str(n)) for n in range(1, 6)]


def _score(label):
    return forms.TypedChoiceField(
        label=label,
        choices=SCORE_CHOICES,
        coerce=int,
        widget=forms.RadioSelect(attrs={"class": "form-check-input"}),
    )


class ReactionForm(StyledForm):
    """The participant's reaction: four aspects on a 1–5 scale and a suggestion."""

    relevance = _score(_("Relevansi dengan pekerjaan"))
    material = _score(_("Materi"))
    facilitator = _score(_("Fasilitator"))
    organisation = _score(_("Penyelenggaraan"))
    comment = forms.CharField(
        label=_("Saran"), max_length=500, required=False, widget=forms.Textarea(attrs={"rows": 3})
    )

    ASPECTS = ("relevance", "material", "facilitator", "organisation")

    def aspects(self):
        return [self[name] for name in self.ASPECTS]


class FollowUpForm(StyledForm):
    """The supervisor's follow-up three months after completion."""

    outcome = forms.ChoiceField(
        label=_("Setelah pelatihan, perilaku kerja pegawai"),
        choices=FollowUp.choices,
        widget=forms.RadioSelect(attrs={"class": "form-check-input"}),
    )
    note = forms.CharField(
        label=_("Catatan (contoh perubahan yang terlihat)"),
        max_length=500,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )

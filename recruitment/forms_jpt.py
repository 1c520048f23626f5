"""Forms of the open selection for senior (JPT) posts."""

from django import forms
from django.db.models import Q
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from accounts.models import User
from core.forms import StyledForm
from personnel.models import Employee
from recruitment.open_selection import DEFAULT_STAGES

CHECKS = {"class": "form-check-input"}


def eligible_members(agency):
    """Who may sit on the agency's committee: its employees with an account and the holders of its roles."""
    return (
        User.objects.filter(is_active=True)
        .filter(Q(employee__agency=agency) | Q(role_assignments__agency=agency))
        .distinct()
        .order_by("full_name", "username")
    )


class CandidateChoiceField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj):
        return obj.name


class ScoreField(forms.DecimalField):
    """0–100 with two decimals; a decimal comma is read as a point."""

    def __init__(self, **kwargs):
        widget = forms.TextInput(
            attrs={"inputmode": "decimal", "autocomplete": "off", "aria-label": kwargs.get("label")}
        )
        super().__init__(
            max_digits=5, decimal_places=2, min_value=0, max_value=100, required=False, widget=widget, **kwargs
        )

    def to_python(self, value):
        if isinstance(value, str):
            value = value.strip().replace(",", ".")
        return super().to_python(value)


def parse_candidates(agency, text: str) -> list:
    """One candidate a line: a name, or the 18-digit NIP of an active employee of the agency."""
    lines = [line.strip() for line in (text or "").splitlines() if line.strip()]
    nips = [line for line in lines if line.isdigit() and len(line) == 18]
    found = {e.nip: e for e in Employee.objects.active().filter(agency=agency, nip__in=nips)}
    missing = [n for n in nips if n not in found]
    if missing:
        raise forms.ValidationError(
            _("NIP berikut bukan pegawai aktif instansi ini: %(nips)s") % {"nips": ", ".join(missing)}
        )
    return [found.get(line, line) for line in lines]


class SelectionForm(StyledForm):
    position_title = forms.CharField(label=gettext_lazy("Jabatan pimpinan tinggi yang diisi"), max_length=200)
    members = forms.ModelMultipleChoiceField(
        label=gettext_lazy("Panitia seleksi"),
        queryset=User.objects.none(),
        widget=forms.CheckboxSelectMultiple(attrs=CHECKS),
        help_text=gettext_lazy("Sedikitnya tiga orang."),
    )
    candidates = forms.CharField(
        label=gettext_lazy("Peserta"),
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text=gettext_lazy("Satu peserta per baris: nama, atau NIP pegawai instansi ini (18 digit)."),
    )

    def __init__(self, *args, agency, **kwargs):
        super().__init__(*args, **kwargs)
        self.agency = agency
        self.fields["members"].queryset = eligible_members(agency)
        for i, (name, weight) in enumerate(DEFAULT_STAGES):
            self.fields[f"weight_{i}"] = forms.IntegerField(label=name, min_value=1, max_value=100, initial=weight)
        self.style()

    def weight_fields(self):
        return [self[f"weight_{i}"] for i in range(len(DEFAULT_STAGES))]

    def clean_candidates(self):
        return parse_candidates(self.agency, self.cleaned_data["candidates"])

    def stages(self) -> list[tuple[str, int]]:
        return [(name, self.cleaned_data[f"weight_{i}"]) for i, (name, _w) in enumerate(DEFAULT_STAGES)]


class CandidateAddForm(StyledForm):
    candidate = forms.CharField(
        label=gettext_lazy("Peserta"),
        max_length=150,
        help_text=gettext_lazy("Nama, atau NIP pegawai instansi ini (18 digit)."),
    )

    def __init__(self, *args, agency, **kwargs):
        super().__init__(*args, **kwargs)
        self.agency = agency

    def clean_candidate(self):
        values = parse_candidates(self.agency, self.cleaned_data["candidate"])
        if len(values) != 1:
            raise forms.ValidationError(_("Tambahkan satu peserta setiap kali."))
        return values[0]


class MemberAddForm(StyledForm):
    user = forms.ModelChoiceField(
        label=gettext_lazy("Anggota panitia"), queryset=User.objects.none(), empty_label=gettext_lazy("— pilih —")
    )

    def __init__(self, *args, selection, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["user"].queryset = eligible_members(selection.agency).exclude(
            pk__in=selection.members.values("user_id")
        )


class DeclarationForm(StyledForm):
    none = forms.BooleanField(
        label=gettext_lazy("Saya tidak memiliki konflik kepentingan dengan peserta mana pun."), required=False
    )
    conflicts = CandidateChoiceField(
        label=gettext_lazy("Peserta yang dengannya saya memiliki konflik kepentingan"),
        queryset=None,
        required=False,
        widget=forms.CheckboxSelectMultiple(attrs=CHECKS),
    )
    note = forms.CharField(
        label=gettext_lazy("Keterangan (hubungan dengan peserta)"),
        required=False,
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 2}),
    )

    def __init__(self, *args, selection, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["conflicts"].queryset = selection.candidates.all()

    def clean(self):
        data = super().clean()
        none, conflicts = data.get("none"), data.get("conflicts")
        if none and conflicts:
            raise forms.ValidationError(_("Pilih salah satu: tidak ada konflik, atau peserta yang berkonflik."))
        if not none and not conflicts:
            raise forms.ValidationError(
                _("Nyatakan bahwa Anda tidak memiliki konflik kepentingan, atau pilih peserta yang berkonflik.")
            )
        return data


class StageScoreForm(StyledForm):
    """One score field per candidate of the selection; the service refuses the ones this member may not give."""

    def __init__(self, *args, candidates, **kwargs):
        super().__init__(*args, **kwargs)
        self.candidates = {f"c{c.pk}": c for c in candidates}
        for name, c in self.candidates.items():
            self.fields[name] = ScoreField(label=c.name)
        self.style()

    def scores(self) -> dict:
        return {c: self.cleaned_data[n] for n, c in self.candidates.items() if self.cleaned_data.get(n) is not None}

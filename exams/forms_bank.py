from django import forms
from django.utils.translation import gettext_lazy as _

from core.forms import StyledForm
from exams.bank import LABELS
from exams.models import Question


class ImportForm(StyledForm):
    file = forms.FileField(
        label=_("Berkas xlsx"),
        widget=forms.ClearableFileInput(
            attrs={"accept": ".xlsx,application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"}
        ),
    )


class ReviseForm(StyledForm):
    """One item's text and options; the sub-test and code stay those of the version being revised."""

    text = forms.CharField(label=_("Soal"), widget=forms.Textarea(attrs={"rows": 5}))
    reason = forms.CharField(label=_("Alasan revisi"), max_length=300, required=False)

    def __init__(self, *args, question: Question, **kwargs):
        initial = kwargs.pop("initial", None) or {"text": question.text}
        for o in question.options.all():
            initial[f"option_{o.label}"] = o.text
            initial[f"points_{o.label}"] = o.points
        super().__init__(*args, initial=initial, **kwargs)
        for label in LABELS:
            self.fields[f"option_{label}"] = forms.CharField(
                label=_("Pilihan %(label)s") % {"label": label.upper()},
                required=False,
                widget=forms.Textarea(attrs={"rows": 2}),
            )
            self.fields[f"points_{label}"] = forms.IntegerField(
                label=_("Nilai %(label)s") % {"label": label.upper()}, required=False, min_value=0, max_value=5
            )
        self.style()

    @property
    def option_fields(self):
        """(label, text field, points field) per option, for the template."""
        return [(label.upper(), self[f"option_{label}"], self[f"points_{label}"]) for label in LABELS]

    def options(self) -> dict[str, tuple[str, int | None]]:
        d = self.cleaned_data
        return {label: (d.get(f"option_{label}") or "", d.get(f"points_{label}")) for label in LABELS}


class RetireForm(StyledForm):
    reason = forms.CharField(label=_("Alasan"), max_length=300, required=False)

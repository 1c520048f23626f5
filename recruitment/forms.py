from django import forms
from django.utils.translation import gettext_lazy as _

from core.forms import StyledForm
from personnel.models import EducationLevel


class RegisterForm(StyledForm):
    nik = forms.CharField(label="NIK", max_length=16, min_length=16, help_text=_("16 digit sesuai KTP; dipakai untuk masuk."))
    name = forms.CharField(label=_("Nama sesuai KTP"), max_length=150)
    birth_date = forms.DateField(label=_("Tanggal lahir"), widget=forms.DateInput(attrs={"type": "date"}))
    education = forms.ModelChoiceField(label=_("Pendidikan terakhir"), queryset=EducationLevel.objects.all())
    email = forms.EmailField(label=_("Surel"), required=False)
    phone = forms.CharField(label=_("Telepon"), max_length=30, required=False)
    visually_impaired = forms.BooleanField(label=_("Penyandang disabilitas sensorik netra"), required=False)
    password = forms.CharField(label=_("Kata sandi"), widget=forms.PasswordInput)


class ApplyForm(StyledForm):
    category = forms.ChoiceField(label=_("Jenis kebutuhan"))
    idempotency_key = forms.CharField(widget=forms.HiddenInput)

    def __init__(self, *args, categories=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["category"].choices = list(categories)

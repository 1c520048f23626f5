from django import forms


class StyledForm(forms.Form):
    """A form whose widgets carry Bootstrap's classes (fields added later call ``style()`` again)."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.style()

    def style(self) -> None:
        for f in self.fields.values():
            if isinstance(f.widget, forms.CheckboxInput):
                f.widget.attrs.setdefault("class", "form-check-input")
            else:
                f.widget.attrs.setdefault(
                    "class", "form-select" if isinstance(f.widget, forms.Select) else "form-control"
                )

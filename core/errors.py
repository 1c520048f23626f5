"""Errors that services raise and views turn into a message in the user's language."""


class DomainError(Exception):
    """A refusal with user-facing messages (already translated), optionally per field."""

    def __init__(self, message, *, field: str | None = None, code: str = "invalid", errors: dict | None = None):
        super().__init__(str(message))
        self.message = str(message)
        self.field = field
        self.code = code
        self.errors = errors or ({field: [self.message]} if field else {})


def apply_to_form(form, exc: DomainError) -> None:
    """Show a service's refusal on the form: on its field when the form has it, else on top."""
    placed = False
    for name, messages in exc.errors.items():
        for msg in messages:
            if name in form.fields:
                form.add_error(name, msg)
                placed = True
    if not placed:
        form.add_error(None, exc.message)

import pytest
from django_otp import DEVICE_ID_SESSION_KEY
from django_otp.plugins.otp_totp.models import TOTPDevice

from tests.factories import build_world


@pytest.fixture
def reference_data(db):
    """The rows migrations load; a transactional test's flush removes them, so put them back."""
    from django.apps import apps

    from organization import reference as org_reference
    from organization.models import Province
    from personnel.data import reference as personnel_reference

    if not Province.objects.exists():
        org_reference.load(apps)
        personnel_reference.load(apps)


@pytest.fixture
def world(reference_data):
    return build_world()


@pytest.fixture
def login(client):
    """Log a user in as a browser would end up after the password and, for admins, the TOTP step."""

    def _login(user):
        client.force_login(user)
        device = TOTPDevice.objects.filter(user=user, confirmed=True).first()
        if device is not None:
            session = client.session
            session[DEVICE_ID_SESSION_KEY] = device.persistent_id
            session.save()
        return client

    return _login

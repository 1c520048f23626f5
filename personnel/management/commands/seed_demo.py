import time

from django.core.management.base import BaseCommand, CommandError
from django.test.utils import override_settings

from accounts.demo import DEMO_PASSWORD, create_demo_users
from organization.models import Agency
from personnel import demo


class Command(BaseCommand):
    help = "Build the deterministic demo registry (four seed regions) and one demo login per role."

    def add_arguments(self, parser):
        parser.add_argument(
            "--employees", type=int, default=3000, help="how many employees (default 3,000; up to 4,300,000)"
        )
        parser.add_argument("--seed", type=int, default=2026)
        parser.add_argument("--if-empty", action="store_true", help="do nothing when the demo agencies exist already")
        parser.add_argument("--no-users", action="store_true", help="skip the demo logins (benchmarks)")
        parser.add_argument(
            "--performance",
            action="store_true",
            help="also seed the performance years above 20,000 employees (always done up to 20,000)",
        )

    def handle(self, *args, employees, seed, if_empty, no_users, performance, **options):
        if not 1 <= employees <= 4_300_000:
            raise CommandError("--employees must be between 1 and 4,300,000")
        if Agency.objects.filter(code=demo.SEED_AGENCIES[0][0]).exists():
            if if_empty:
                self.stdout.write("Demo data present; nothing to do.")
                self._print_logins(no_users)
                return
            raise CommandError(
                "Demo data is already present. Start from an empty database (e.g. `python manage.py flush`)."
            )
        started = time.perf_counter()
        # The demo's citizens have made-up addresses: the mails its workflows send are dropped, not printed
        # to the console or sent through a configured server.
        with override_settings(MAILERS={"default": {"BACKEND": "django.core.mail.backends.dummy.EmailBackend"}}):
            counts = self._seed(seed=seed, employees=employees, no_users=no_users, performance=performance)
        took = time.perf_counter() - started
        self.stdout.write(
            self.style.SUCCESS(
                f"Demo registry ready: {counts['agencies']} agencies, {counts['employees']:,} employees in {took:.1f} s."
            )
        )
        self._print_logins(no_users)

    def _seed(self, *, seed, employees, no_users, performance):
        counts = demo.seed(seed=seed, employees=employees, out=self.stderr)
        if not no_users:
            create_demo_users(seed=seed)
        if performance or employees <= 20_000:
            from performance import demo as performance_demo

            performance_demo.seed(seed=seed, out=self.stderr)
        from recruitment import demo as recruitment_demo

        recruitment_demo.seed(seed=seed)
        from exams import demo as exams_demo

        exams_demo.seed(seed=seed)
        from learning import demo as learning_demo

        learning_demo.seed(seed=seed)
        from publicservice import demo as publicservice_demo

        publicservice_demo.seed(seed=seed)
        return counts

    def _print_logins(self, no_users):
        if no_users:
            return
        from accounts.demo import demo_logins

        self.stdout.write(f"\nDemo logins (password for all: {DEMO_PASSWORD}):")
        for username, role, scope, secret in demo_logins():
            extra = f"  TOTP secret {secret}  (current code: python manage.py demo_totp {username})" if secret else ""
            self.stdout.write(f"  {username:<22} {role:<40} {scope}{extra}")
        from exams.demo import DEMO_PIN
        from exams.models import Participant

        live = Participant.objects.filter(session__code="LPG-SKD-02").order_by("number").first()
        if live is not None:
            self.stdout.write(
                f"\nCAT: /cat/ — participant {live.number} (and the next nine numbers), PIN {DEMO_PIN}; "
                f"live board /cat/papan/{live.session.public_key}/; operator desk /cat/operator/ as operator.cat"
            )

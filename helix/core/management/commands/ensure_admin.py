import secrets

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandParser

from helix.core.history import Channel, history_context


class Command(BaseCommand):
    help = (
        "Create a local administrator account, only if no superuser exists yet. "
        "The random password is printed once; there is never a fixed default."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--username", default="admin", help="user name of the new account (default: admin)")

    def handle(self, *args: object, **options: object) -> None:
        User = get_user_model()
        if User.objects.filter(is_superuser=True).exists():
            self.stdout.write("An administrator account exists already; nothing to do.")
            return
        password = secrets.token_urlsafe(18)
        with history_context(channel=Channel.COMMAND):
            User.objects.create_superuser(username=str(options["username"]), email="", password=password)
        self.stdout.write(self.style.SUCCESS(f"Created administrator '{options['username']}' with password: {password}"))
        self.stdout.write("Write it down now: it is shown only once. Change it at /admin/password_change/.")

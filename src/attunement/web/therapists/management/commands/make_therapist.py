"""`make_therapist`: let an existing account use the therapist workspace."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from attunement.web.accounts.models import User
from attunement.web.therapists import services, twofactor


class Command(BaseCommand):
    help = (
        "Let an existing account use the therapist workspace at /therapist/. The person "
        "sets up an authenticator app at their next visit; every therapist page asks for it."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("email", help="the address the person signs in with")
        action = parser.add_mutually_exclusive_group()
        action.add_argument(
            "--reset-second-factor",
            action="store_true",
            help="forget their authenticator app (lost phone); they set up a new one",
        )
        action.add_argument(
            "--remove",
            action="store_true",
            help="close the workspace to them; their cases stay but nobody can open them",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        email = str(options["email"]).strip()
        user = User.objects.filter(email__iexact=email).first()
        if user is None:
            raise CommandError(
                f"no account with the address {email!r}: the person signs up first, "
                "then you run this command"
            )
        if options["remove"]:
            removed = services.remove_therapist(user)
            self.stdout.write(
                f"{email} can no longer use the therapist workspace."
                if removed
                else f"{email} was not a therapist; nothing changed."
            )
            return
        therapist, created = services.make_therapist(user)
        if options["reset_second_factor"]:
            twofactor.reset(therapist)
            self.stdout.write(
                f"The second factor of {email} is reset: they set up their app again at "
                "their next visit to /therapist/."
            )
            return
        self.stdout.write(
            f"{email} is a therapist now. At their next visit to /therapist/ they set up "
            "an authenticator app, before anything else."
            if created or therapist.totp_confirmed is None
            else f"{email} was already a therapist; nothing changed."
        )

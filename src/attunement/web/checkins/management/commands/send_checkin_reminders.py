from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from attunement.web.checkins import services


class Command(BaseCommand):
    help = (
        "Email the weekly check-in reminders that are due now. Run it every few minutes "
        "(cron or a systemd timer); each reminder goes out once."
    )

    def handle(self, *args: Any, **options: Any) -> None:
        sent = services.send_due_reminders()
        self.stdout.write(f"Sent {sent} reminder{'s' if sent != 1 else ''}.")

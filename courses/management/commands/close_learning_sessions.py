from django.core.management.base import BaseCommand
from django.utils import timezone

from courses.learning_sessions import SESSION_TIMEOUT, end_sessions


class Command(BaseCommand):
    help = "End learning sessions idle for 30 minutes (xAPI `terminated`). Fit for cron, e.g. every 5 minutes."

    def handle(self, *args, **options):
        count = end_sessions(idle_before=timezone.now() - SESSION_TIMEOUT)
        self.stdout.write(f"{count} idle learning session(s) ended.")

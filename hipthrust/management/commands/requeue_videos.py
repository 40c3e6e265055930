from django.core.management.base import BaseCommand

from hipthrust import accounts
from imports.csv_io.pending import fail_stale
from videos.services import discard_expired
from videos.tasks import requeue_stale


class Command(BaseCommand):
    help = (
        "Queue again the video jobs a killed worker left unfinished, mark its unfinished CSV "
        "imports failed, queue again the deletion of closed accounts still there, and remove "
        "expired unfinished uploads (run when workers start, and "
        "every few minutes from cron)."
    )

    def handle(self, *args, **options) -> None:
        requeued = requeue_stale()
        self.stdout.write(f"Queued {len(requeued)} unfinished video job(s) again.")
        self.stdout.write(f"Marked {fail_stale()} unfinished CSV import(s) failed.")
        self.stdout.write(f"Queued {accounts.requeue_stale()} closed account(s) again.")
        self.stdout.write(f"Removed {discard_expired()} expired unfinished upload(s).")

"""`manage.py make_app_icons`: redraw static/icons/ from the brand mark (static/favicon.svg).

Run it after changing the mark and commit the PNGs; tests/test_app_icons.py fails while
the committed icons differ from what the mark draws.
"""

from __future__ import annotations

from django.conf import settings
from django.core.management.base import BaseCommand

from core.icons import write_icons


class Command(BaseCommand):
    help = "Draw the web app manifest's icons from static/favicon.svg into static/icons/."

    def handle(self, *args, **options) -> None:
        static = settings.BASE_DIR / "static"
        for path in write_icons(static / "favicon.svg", static / "icons"):
            self.stdout.write(f"wrote {path.relative_to(settings.BASE_DIR)}")

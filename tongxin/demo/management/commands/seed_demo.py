"""``manage.py seed_demo``: build the fictional demo county."""

from __future__ import annotations

import time
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from tongxin.demo.loader import DEMO_PASSWORD, load_demo
from tongxin.regions.models import County


class Command(BaseCommand):
    help = "Seed the fictional demo county (deterministic; clearly marked as demo data)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--if-empty", action="store_true", help="Do nothing if the database holds a county.")
        parser.add_argument("--seed", type=int, default=2027)

    def handle(self, *args: Any, **options: Any) -> None:
        if County.objects.exists():
            if options["if_empty"]:
                self.stdout.write("The database already holds data; demo not seeded.")
                return
            raise CommandError("The database already holds a county; seed_demo only fills an empty database.")
        started = time.perf_counter()
        counts = load_demo(options["seed"])
        elapsed = time.perf_counter() - started
        summary = ", ".join(f"{value} {key}" for key, value in counts.items())
        self.stdout.write(self.style.SUCCESS(f"Demo county seeded in {elapsed:.1f} s: {summary}."))
        self.stdout.write(f"Logins (password {DEMO_PASSWORD}): county_admin county_staff township_staff")
        self.stdout.write("  liaison enterprise village reviewer province_staff liaison_township cadre_officer")
        self.stdout.write("  chamber_staff association_staff editor publisher (the public portal: /portal/)")

"""``manage.py seed_province --province 33``: a province-sized pairing workload in bulk."""

from __future__ import annotations

import time
from datetime import date
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from tongxin.demo.province import PASSWORD, ProvincePlan, ProvinceSeedError, seed_province, usernames


class Command(BaseCommand):
    help = (
        "Generate a province-sized workload (enterprises, one running campaign per county, pairs, liaison "
        "officers, 18 months of reports, activities, surveys) on a province loaded with load_divisions. "
        "Synthetic data written in bulk: for scale tests and benchmarks, never into a production database."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--province", required=True, help="2-digit province code, e.g. 33")
        parser.add_argument("--seed", type=int, default=2027, help="random seed (same seed, same data)")
        parser.add_argument(
            "--as-of", type=date.fromisoformat, default=None, help="the day the data end (YYYY-MM-DD; default today)"
        )
        parser.add_argument("--enterprises", type=int, default=ProvincePlan.enterprises)
        parser.add_argument("--pairs", type=int, default=ProvincePlan.pairs)
        parser.add_argument("--months", type=int, default=ProvincePlan.months, help="reporting periods (months)")
        parser.add_argument(
            "--county", action="append", dest="counties", help="only this county (6-digit code; may be repeated)"
        )

    def handle(self, *args: Any, **options: Any) -> None:
        code = str(options["province"]).strip()
        if not (len(code) == 2 and code.isdigit()):
            raise CommandError("--province takes a 2-digit province code, e.g. 33.")
        for name in ("enterprises", "pairs", "months"):
            if options[name] < 1:
                raise CommandError(f"--{name} must be at least 1.")
        plan = ProvincePlan(enterprises=options["enterprises"], pairs=options["pairs"], months=options["months"])
        started = time.perf_counter()
        try:
            counts = seed_province(
                code,
                seed=options["seed"],
                as_of=options["as_of"],
                plan=plan,
                counties=options["counties"],
                log=lambda message: self.stdout.write(f"  {message}"),
            )
        except ProvinceSeedError as exc:
            raise CommandError(str(exc)) from exc
        elapsed = time.perf_counter() - started
        total = sum(counts.values())
        self.stdout.write(self.style.SUCCESS(f"Province {code} seeded in {elapsed:.1f} s: {total:,} rows."))
        for table, count in sorted(counts.items()):
            self.stdout.write(f"  {table:<40} {count:>9,}")
        logins = usernames(code, "<county code>")
        self.stdout.write(
            f"Logins (password {PASSWORD}): {logins['province_staff']}, {logins['province_admin']}, "
            f"{logins['county_staff']}, {logins['county_admin']}"
        )

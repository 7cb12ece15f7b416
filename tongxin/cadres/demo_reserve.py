"""Demo history for ``seed_demo``: the reserve pool across the stages of the pipeline with
yearly reviews (some overdue), earlier posts (so the yearly trend moves) and the leaving
dates of the people who left (one long enough ago for the retention run)."""

from __future__ import annotations

import random
from datetime import date, timedelta

from tongxin.cadres.choices import PersonStatus, ReserveStage
from tongxin.cadres.models import Person, PostHistory, ReserveReview, StageRecord

NOTES = {
    ReserveStage.FOUND: "基层摸底推荐",
    ReserveStage.INSPECTED: "县委统战部走访考察，评价良好",
    ReserveStage.POOL: "经研究列入党外后备人才库",
    ReserveStage.TRAINED: "县社会主义学院党外干部培训班结业",
}
STEPS = (ReserveStage.FOUND, ReserveStage.INSPECTED, ReserveStage.POOL, ReserveStage.TRAINED)


def load_reserve_history(people: list[Person], seed: int, today: date) -> int:
    """Stages, reviews, earlier posts and leaving dates for the demo's files; returns how
    many reserve people wait for their yearly review."""
    rng = random.Random(seed * 11 + 3)  # noqa: S311  (demo data, not secrets)
    due = 0
    reserve = [p for p in people if p.status == PersonStatus.RESERVE]
    for index, person in enumerate(reserve):
        # Every reserve person reached the pool (their status says so); some were trained.
        steps = STEPS[: 3 + (index % 2)]
        start = today - timedelta(days=rng.randint(900, 2200))  # the last step ≥ 100 days ago
        day = start
        for stage in steps:
            StageRecord.objects.create(person=person, stage=stage, date=day, note=NOTES[stage])
            day += timedelta(days=rng.randint(40, 200))
        last = day - timedelta(days=1)
        if index % 3:  # two in three were reviewed this year, the others are overdue
            review = min(today - timedelta(days=rng.randint(10, 300)), today)
            ReserveReview.objects.create(person=person, date=max(review, last), note="年度考核：称职，继续保留")
        elif (today - min(last, today)).days > 365:
            due += 1
    for index, person in enumerate(p for p in people if p.status == PersonStatus.SERVING):
        if index % 2 == 0:
            begun = date(rng.randint(2012, 2017), rng.randint(1, 12), 1)
            PostHistory.objects.create(
                person=person, work_unit=person.work_unit, post="科员", rank=person.rank, start=begun,
                end=date(2019, 2, 28),
            )  # fmt: skip
    for index, person in enumerate(p for p in people if p.status == PersonStatus.LEFT):
        person.left_on = date(today.year - (8 if index == 0 else 1), 6, 30)
        person.save(update_fields=["left_on"])
    return due

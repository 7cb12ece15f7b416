"""The results engine against a hand-computed example (no database)."""

from __future__ import annotations

import ast
import inspect

import pytest

from tongxin.selection import scoring
from tongxin.selection.scoring import Candidate, Criterion, Mark, Outcome, Rules, TieBreak

# Two scoring criteria: deeds (weight 60, 10 points) and impact (weight 40, 10 points), so
# a juror's raw score is 6 × deeds + 4 × impact.
CRITERIA = [Criterion("deeds", 60, 10), Criterion("impact", 40, 10)]


def _marks(juror: int, points: dict[int, tuple[float, float]]) -> list[Mark]:
    return [
        mark
        for candidate, (deeds, impact) in points.items()
        for mark in (Mark(juror, candidate, "deeds", deeds), Mark(juror, candidate, "impact", impact))
    ]


# Juror 10 (lenient): raw 90, 92, 96, 88, 84 — mean 90, sd 4 → z 0, .5, 1.5, −.5, −1.5.
# Juror 20 (severe, recused from candidate 3; their marks for 3 must be ignored):
#   raw 40, 60, 60, 40 for 1, 2, 4, 5 — mean 50, sd 10 → z −1, 1, 1, −1.
# Juror 30: raw 70, 60, 90, 30, 50 — mean 60, sd 20 → z .5, 0, 1.5, −1.5, −.5.
MARKS = [
    *_marks(10, {1: (9, 9), 2: (10, 8), 3: (10, 9), 4: (10, 7), 5: (10, 6)}),
    *_marks(20, {1: (4, 4), 2: (6, 6), 3: (10, 10), 4: (6, 6), 5: (4, 4)}),
    *_marks(30, {1: (7, 7), 2: (6, 6), 3: (9, 9), 4: (3, 3), 5: (5, 5)}),
]
RECUSALS = [(20, 3)]
# Votes: 400, 100, 200, 300, 400 → public 100, 25, 50, 75, 100 (share of the most).
# Industries and townships for the quotas: 1, 3, 4 in manufacturing (C); 2 from a township.
CANDIDATES = [
    Candidate(1, ballot=1, industry="C", votes=400),
    Candidate(2, ballot=2, industry="F", from_township=True, votes=100),
    Candidate(3, ballot=3, industry="C", votes=200),
    Candidate(4, ballot=4, industry="C", votes=300),
    Candidate(5, ballot=5, industry="I", votes=400),
]


def test_raw_scores_are_weighted_shares_and_ignore_recused_marks() -> None:
    raw = scoring.juror_raw_scores(CRITERIA, MARKS, RECUSALS)
    assert raw[10] == pytest.approx({1: 90, 2: 92, 3: 96, 4: 88, 5: 84})
    assert raw[20] == pytest.approx({1: 40, 2: 60, 4: 60, 5: 40})  # 3 recused
    assert raw[30] == pytest.approx({1: 70, 2: 60, 3: 90, 4: 30, 5: 50})


def test_z_scores_make_a_severe_juror_count_like_a_lenient_one() -> None:
    assert scoring.z_scores({1: 90, 2: 92, 3: 96, 4: 88, 5: 84}) == pytest.approx(
        {1: 0, 2: 0.5, 3: 1.5, 4: -0.5, 5: -1.5}
    )
    # A juror 50 points lower on everyone gives the same z-scores.
    assert scoring.z_scores({1: 40, 2: 42, 3: 46, 4: 38, 5: 34}) == scoring.z_scores(
        {1: 90, 2: 92, 3: 96, 4: 88, 5: 84}
    )
    assert scoring.z_scores({1: 70, 2: 70}) == {1: 0.0, 2: 0.0}


def test_hand_computed_example() -> None:
    """Mean z: 1 (0 − 1 + .5)/3 = −1/6; 2 (.5 + 1 + 0)/3 = .5; 3 (1.5 + 1.5)/2 = 1.5 (the
    recused juror left out: rescaled over two jurors, not summed over three); 4 (−.5 + 1 −
    1.5)/3 = −1/3; 5 (−1.5 − 1 − .5)/3 = −1.
    Jury (min-max over −1 … 1.5): 33.33, 60, 100, 26.67, 0. Public: 100, 25, 50, 75, 100.
    Final 50/50: 66.67, 42.5, 75, 50.83, 50 → ranks 3, 1, 4, 5, 2.
    Quotas, 3 places, at most 2 per industry, at least 1 from a township: 3 and 1 take
    places (manufacturing then full); 4 is manufacturing (industry quota); 5 would take the
    last place the township quota needs (township quota); 2, from a township, takes it."""
    rules = Rules(places=3, max_per_industry=2, min_from_townships=1)
    tally = scoring.tally(CANDIDATES, CRITERIA, MARKS, rules, RECUSALS)
    by_id = {r.candidate: r for r in tally.results}
    assert [r.candidate for r in tally.results] == [3, 1, 4, 5, 2]
    assert {c: by_id[c].jury_z for c in by_id} == pytest.approx({1: -1 / 6, 2: 0.5, 3: 1.5, 4: -1 / 3, 5: -1})
    assert {c: by_id[c].jury for c in by_id} == pytest.approx({1: 100 / 3, 2: 60, 3: 100, 4: 80 / 3, 5: 0})
    assert {c: by_id[c].public for c in by_id} == pytest.approx({1: 100, 2: 25, 3: 50, 4: 75, 5: 100})
    assert {c: by_id[c].final for c in by_id} == pytest.approx({1: 200 / 3, 2: 42.5, 3: 75, 4: 305 / 6, 5: 50})
    assert (by_id[3].jurors, by_id[3].recused) == (2, 1)
    assert (by_id[1].jurors, by_id[1].recused) == (3, 0)
    assert {c: by_id[c].outcome for c in by_id} == {
        3: Outcome.WON,
        1: Outcome.WON,
        4: Outcome.INDUSTRY_QUOTA,
        5: Outcome.TOWNSHIP_QUOTA,
        2: Outcome.WON,
    }
    assert [w.candidate for w in tally.winners] == [3, 1, 2]
    assert tally.township_shortfall == 0 and tally.unfilled == 0


def test_without_rescaling_a_recusal_would_have_cost_the_candidate() -> None:
    """Candidate 3's jury score is the mean over the two jurors who scored it: had the
    recused juror counted as 0, its mean z would be 1.0 instead of 1.5."""
    means = scoring.jury_means(scoring.juror_raw_scores(CRITERIA, MARKS, RECUSALS))
    assert means[3] == pytest.approx((1.5, 2))


def test_weights_are_configurable() -> None:
    """70 % jury, 30 % public: candidate 2 (jury 60, public 25) now beats 5 (0, 100)."""
    tally = scoring.tally(CANDIDATES, CRITERIA, MARKS, Rules(places=5, jury_weight=70, public_weight=30), RECUSALS)
    finals = {r.candidate: r.final for r in tally.results}
    assert finals[2] == pytest.approx(0.7 * 60 + 0.3 * 25)
    assert finals[5] == pytest.approx(30)
    assert [r.candidate for r in tally.results] == [3, 1, 2, 4, 5]


def test_tie_break_rules_in_declared_order() -> None:
    """Equal final: the higher jury score first; equal jury too: more votes; equal on
    everything: the lower ballot number."""
    one_criterion = [Criterion("all", 1, 10)]
    # A: jury 100, no votes → final 50; B: jury 0, most votes → final 50.
    marks = [Mark(1, 1, "all", 10), Mark(1, 2, "all", 0)]
    tally = scoring.tally([Candidate(1, 2, votes=0), Candidate(2, 1, votes=10)], one_criterion, marks, Rules(places=1))
    assert [r.candidate for r in tally.results] == [1, 2]
    assert tally.results[1].tie_break is TieBreak.JURY
    # Identical on everything: the lower ballot number.
    marks = [Mark(1, 1, "all", 5), Mark(1, 2, "all", 5)]
    tally = scoring.tally([Candidate(1, 2, votes=3), Candidate(2, 1, votes=3)], one_criterion, marks, Rules(places=1))
    assert [r.candidate for r in tally.results] == [2, 1]
    assert tally.results[1].tie_break is TieBreak.BALLOT
    assert tally.results[0].outcome is Outcome.WON and tally.results[1].outcome is Outcome.BELOW


def test_township_quota_that_cannot_be_met_reports_its_shortfall() -> None:
    marks = [Mark(1, c, "all", c) for c in (1, 2, 3)]
    tally = scoring.tally(
        [Candidate(c, c) for c in (1, 2, 3)], [Criterion("all", 1, 10)], marks, Rules(places=2, min_from_townships=1)
    )
    assert len(tally.winners) == 2
    assert tally.township_shortfall == 1


def test_no_votes_and_no_marks_do_not_divide_by_zero() -> None:
    tally = scoring.tally([Candidate(1, 1), Candidate(2, 2)], CRITERIA, [], Rules(places=1))
    assert [r.final for r in tally.results] == [50.0, 50.0]
    assert tally.results[0].candidate == 1


def test_engine_imports_no_django() -> None:
    tree = ast.parse(inspect.getsource(scoring))
    names = [alias.name for node in ast.walk(tree) if isinstance(node, ast.Import) for alias in node.names]
    names += [node.module or "" for node in ast.walk(tree) if isinstance(node, ast.ImportFrom)]
    assert not [n for n in names if n.startswith(("django", "tongxin"))]

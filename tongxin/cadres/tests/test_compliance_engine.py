"""The staffing-rules engine against hand-computed cases (no database)."""

from __future__ import annotations

from datetime import date

from tongxin.cadres import compliance as engine
from tongxin.cadres.compliance import BodyData, CandidateData, PostData, RuleData, RuleMode, Settings

TODAY = date(2026, 6, 1)
S = Settings(today=TODAY, horizon_months=12, retirement_age=60)


def _body(pk: int, kind: str, *posts: PostData, area: str = "") -> BodyData:
    return BodyData(pk, f"body{pk}", kind, posts, area)


def _np(pk: int, role: str = "deputy", **kw: object) -> PostData:
    return PostData(pk, role, True, **kw)  # type: ignore[arg-type]


def _party(pk: int, role: str = "deputy") -> PostData:
    return PostData(pk, role, False)


def test_each_body_rule_counts_shortfall_per_body() -> None:
    """ "Each township team ≥ 1": teams with 0, 1 and 2 non-party members → one short by 1;
    "each ≥ 2" → short by 2 + 1 = 3 in all. Bodies of other kinds do not count."""
    bodies = [
        _body(1, "team", _party(11), _party(12)),
        _body(2, "team", _np(21), _party(22)),
        _body(3, "team", _np(31), _np(32, role="member")),
        _body(4, "court", _party(41)),
    ]
    one = engine.evaluate_rule(RuleData(1, "r", "team", RuleMode.EACH, 1), bodies, S)
    assert [(b.body_id, b.count, b.shortfall) for b in one.bodies] == [(1, 0, 1), (2, 1, 0), (3, 2, 0)]
    assert (one.shortfall, one.met, [b.body_id for b in one.short_bodies]) == (1, False, [1])
    two = engine.evaluate_rule(RuleData(2, "r", "team", RuleMode.EACH, 2), bodies, S)
    assert two.shortfall == 3
    deputies = engine.evaluate_rule(RuleData(3, "r", "team", RuleMode.EACH, 1, post_role="deputy"), bodies, S)
    assert [b.count for b in deputies.bodies] == [0, 1, 1] and deputies.shortfall == 1


def test_bodies_rule_counts_bodies_with_one() -> None:
    """ "≥ 3 departments with a non-party section chief": 2 of 4 departments have one (a
    non-party deputy does not count) → short by 1; asking for 2 → met."""
    bodies = [
        _body(1, "dept", _np(11, role="section_chief")),
        _body(2, "dept", _np(21, role="deputy")),
        _body(3, "dept", _np(31, role="section_chief"), _np(32, role="section_chief")),
        _body(4, "dept"),
    ]
    three = RuleData(1, "r", "dept", RuleMode.BODIES, 3, post_role="section_chief")
    result = engine.evaluate_rule(three, bodies, S)
    assert (result.shortfall, result.met) == (1, False)
    assert [b.met for b in result.bodies] == [True, False, True, False]
    two = RuleData(2, "r", "dept", RuleMode.BODIES, 2, post_role="section_chief")
    assert engine.evaluate_rule(two, bodies, S).met


def test_vacancies_within_the_horizon_cause_a_future_shortfall() -> None:
    """A term ending within 12 months, or a holder reaching 60 within them, makes a met
    body short later; a term ending later or a younger holder does not. The earlier of
    two reasons is given."""
    bodies = [
        _body(1, "gov", _np(11, term_end=date(2027, 3, 1))),  # term ends within the horizon
        _body(2, "gov", _np(21, holder_birth_date=date(1966, 12, 31))),  # 60 on 2026-12-31
        _body(3, "gov", _np(31, term_end=date(2028, 1, 1), holder_birth_date=date(1980, 1, 1))),
        _body(4, "gov", _np(41, term_end=date(2027, 5, 1), holder_birth_date=date(1966, 7, 1))),
    ]
    result = engine.evaluate_rule(RuleData(1, "r", "gov", RuleMode.EACH, 1), bodies, S)
    assert (result.shortfall, result.future_shortfall) == (0, 3)
    leaving = {x.body_id: (x.on, x.reason) for x in result.leaving}
    assert leaving == {
        1: (date(2027, 3, 1), "term_end"),
        2: (date(2026, 12, 31), "retirement"),
        4: (date(2026, 7, 1), "retirement"),
    }
    bodies_rule = engine.evaluate_rule(RuleData(2, "r", "gov", RuleMode.BODIES, 2), bodies, S)
    assert (bodies_rule.shortfall, bodies_rule.future_shortfall) == (0, 1)


def test_add_months_keeps_the_end_of_month() -> None:
    assert engine.add_months(date(2026, 1, 31), 1) == date(2026, 2, 28)
    assert engine.add_months(date(2024, 1, 31), 1) == date(2024, 2, 29)
    assert engine.add_months(date(1966, 12, 31), 720) == date(2026, 12, 31)


def test_candidates_ranked_by_field_rank_age_and_training_with_reasons() -> None:
    """Field match outweighs rank, rank outweighs age; training adds; someone within two
    years of retirement gets nothing for age. Hand-computed scores."""
    body = _body(1, "dept", area="农业 水利")
    pool = [
        CandidateData(1, "甲", date(1986, 6, 1), "section", "农业经济", 20.0),  # 40 + 30 + 18 + 5 = 93
        CandidateData(2, "乙", date(1990, 6, 1), "division", "法律"),  # 30 + 20 = 50
        CandidateData(3, "丙", date(1966, 1, 1), "section_deputy", "水利工程"),  # 40 + 30 + 0 = 70
        CandidateData(4, "丁", date(1996, 6, 1), "none", ""),  # 20 + 20 = 40
    ]
    ranked = engine.rank_candidates(pool, body, S, wanted_rank="section_deputy", limit=3)
    assert [(c.name, c.score) for c in ranked] == [("甲", 93.0), ("丙", 70.0), ("乙", 50.0)]
    assert [r.code for r in ranked[0].reasons] == ["field", "rank", "age", "training"]
    assert "retires_soon" in [r.code for r in ranked[1].reasons]
    everyone = engine.rank_candidates(pool, body, S, wanted_rank="section_deputy", limit=10)
    assert everyone[-1].name == "丁" and everyone[-1].score == 40.0


def test_engine_imports_no_django() -> None:
    """The engine is plain Python: it imports nothing of Django."""
    import ast
    import inspect

    tree = ast.parse(inspect.getsource(engine))
    names = [n.module or "" for n in ast.walk(tree) if isinstance(n, ast.ImportFrom)]
    names += [a.name for n in ast.walk(tree) if isinstance(n, ast.Import) for a in n.names]
    assert not [n for n in names if n.startswith(("django", "tongxin"))]

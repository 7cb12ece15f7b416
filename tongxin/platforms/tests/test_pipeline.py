"""The project pipeline's pure transition table, funnel and conversion (no database)."""

from __future__ import annotations

import ast
import inspect

from tongxin.platforms import pipeline
from tongxin.platforms.choices import LeadStage


def test_the_table_moves_one_step_or_to_lost() -> None:
    """Each open stage leads to the next one or to lost; producing and lost end it; the
    stages are those of the model's choices."""
    assert set(pipeline.TRANSITIONS) == set(LeadStage.values)
    for index, stage in enumerate(pipeline.ORDER[:-1]):
        assert pipeline.next_stages(stage) == {pipeline.ORDER[index + 1], pipeline.LOST}
    assert pipeline.next_stages(pipeline.PRODUCING) == frozenset()
    assert pipeline.next_stages(pipeline.LOST) == frozenset()
    assert not pipeline.may_move(pipeline.LEAD, pipeline.SIGNED)  # no skipping
    assert not pipeline.may_move(pipeline.SIGNED, pipeline.NEGOTIATING)  # no going back
    assert not pipeline.may_move("unknown", pipeline.LEAD)


def test_funnel_and_conversion() -> None:
    """The funnel counts projects that reached each stage; conversion per group counts
    signed, landed and lost."""
    histories = [
        ["lead", "contacted", "site_visit", "negotiating", "signed", "landed"],
        ["lead", "contacted", "lost"],
        ["lead"],
        ["lead", "contacted", "site_visit", "negotiating", "signed"],
    ]
    rows = {row.stage: (row.reached, row.conversion) for row in pipeline.funnel(histories)}
    assert rows["lead"] == (4, 100.0)
    assert rows["contacted"] == (3, 75.0)
    assert rows["signed"] == (2, 50.0)
    assert rows["landed"] == (1, 25.0)
    assert rows["producing"] == (0, 0.0)
    assert pipeline.funnel([])[0].conversion is None
    (taiwan, abroad) = pipeline.conversion({"taiwan": histories[:2], "abroad": histories[2:]})
    assert (taiwan.projects, taiwan.signed, taiwan.landed, taiwan.lost, taiwan.landed_rate) == (2, 1, 1, 1, 50.0)
    assert (abroad.signed_rate, abroad.landed_rate) == (50.0, 0.0)


def test_the_pipeline_imports_no_django() -> None:
    """A pure core: the module imports nothing from Django or the project."""
    tree = ast.parse(inspect.getsource(pipeline))
    names = [
        alias.name if isinstance(node, ast.Import) else node.module or ""
        for node in ast.walk(tree)
        if isinstance(node, ast.Import | ast.ImportFrom)
        for alias in node.names
    ]
    assert not [name for name in names if name.startswith(("django", "tongxin"))], names

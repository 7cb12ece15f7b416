from tongxin.core.ledgers import Ledger, register
from tongxin.selection import filtersets as f
from tongxin.selection import forms
from tongxin.selection import tables as t
from tongxin.selection.models import (
    Category,
    Criterion,
    Deputy,
    Juror,
    Nomination,
    Objection,
    Recommendation,
    Selection,
)

selections = register(
    Ledger(
        model=Selection,
        filterset=f.SelectionFilterSet,
        table=t.SelectionTable,
        form=forms.SelectionForm,
        select_related=("county",),
        search_fields=("name",),
        icon="trophy",
        group="selection",
    )
)
categories = register(
    Ledger(
        model=Category,
        filterset=f.CategoryFilterSet,
        table=t.CategoryTable,
        form=forms.CategoryForm,
        select_related=("selection",),
        icon="category",
        group="selection",
    )
)
criteria = register(
    Ledger(
        model=Criterion,
        filterset=f.CriterionFilterSet,
        table=t.CriterionTable,
        form=forms.CriterionForm,
        select_related=("selection",),
        icon="list-check",
        group="selection",
    )
)
jurors = register(
    Ledger(
        model=Juror,
        filterset=f.JurorFilterSet,
        table=t.JurorTable,
        form=forms.JurorForm,
        select_related=("selection", "user"),
        icon="gavel",
        group="selection",
    )
)
deputies = register(
    Ledger(
        model=Deputy,
        filterset=f.DeputyFilterSet,
        table=t.DeputyTable,
        form=forms.DeputyForm,
        search_fields=("name",),
        icon="users",
        group="selection",
    )
)
nominations = register(
    Ledger(
        model=Nomination,
        filterset=f.NominationFilterSet,
        table=t.NominationTable,
        form=forms.NominationForm,
        select_related=("selection", "township"),
        search_fields=("name",),
        icon="award",
        group="selection",
    )
)
recommendations = register(
    Ledger(
        model=Recommendation,
        filterset=f.RecommendationFilterSet,
        table=t.RecommendationTable,
        form=forms.RecommendationForm,
        select_related=("nomination", "deputy"),
        icon="thumb-up",
        group="selection",
    )
)
objections = register(
    Ledger(
        model=Objection,
        filterset=f.ObjectionFilterSet,
        table=t.ObjectionTable,
        form=forms.ObjectionForm,
        select_related=("nomination",),
        icon="message-report",
        group="selection",
    )
)

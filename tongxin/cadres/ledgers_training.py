"""The ledgers of training and friend-making (imported by :mod:`tongxin.cadres.ledgers`).
None is in the site-wide search: rows that name a person are opened from their ledger,
where the read is logged."""

from tongxin.cadres.filtersets_training import (
    CourseFilterSet,
    EnrolmentFilterSet,
    FriendContactFilterSet,
    FriendPairFilterSet,
    LeadingCadreFilterSet,
    RecommendationFilterSet,
)
from tongxin.cadres.forms_training import (
    CourseForm,
    FriendContactForm,
    FriendPairForm,
    LeadingCadreForm,
    RecommendationForm,
)
from tongxin.cadres.models import Course, Enrolment, FriendContact, FriendPair, LeadingCadre, Recommendation
from tongxin.cadres.tables_training import (
    CourseTable,
    EnrolmentTable,
    FriendContactTable,
    FriendPairTable,
    LeadingCadreTable,
    RecommendationTable,
)
from tongxin.core.ledgers import Ledger, register

courses = register(
    Ledger(model=Course, filterset=CourseFilterSet, table=CourseTable, form=CourseForm, icon="school", group="cadres")
)
# Enrolments are made and completed through the course's and the enrolment's pages (the
# services), not a free form.
enrolments = register(
    Ledger(
        model=Enrolment,
        filterset=EnrolmentFilterSet,
        table=EnrolmentTable,
        select_related=("course", "person"),
        icon="certificate",
        group="cadres",
    )
)
recommendations = register(
    Ledger(
        model=Recommendation,
        filterset=RecommendationFilterSet,
        table=RecommendationTable,
        form=RecommendationForm,
        select_related=("person",),
        icon="send",
        group="cadres",
    )
)
leaders = register(
    Ledger(
        model=LeadingCadre,
        filterset=LeadingCadreFilterSet,
        table=LeadingCadreTable,
        form=LeadingCadreForm,
        icon="user-star",
        group="cadres",
    )
)
friend_pairs = register(
    Ledger(
        model=FriendPair,
        filterset=FriendPairFilterSet,
        table=FriendPairTable,
        form=FriendPairForm,
        select_related=("leader", "person"),
        icon="friends",
        group="cadres",
    )
)
friend_contacts = register(
    Ledger(
        model=FriendContact,
        filterset=FriendContactFilterSet,
        table=FriendContactTable,
        form=FriendContactForm,
        select_related=("pair__leader", "pair__person"),
        icon="message-circle",
        group="cadres",
    )
)

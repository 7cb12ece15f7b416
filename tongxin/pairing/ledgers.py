from django.db.models import Prefetch

from tongxin.core.ledgers import Ledger, register
from tongxin.pairing import filtersets as f
from tongxin.pairing import forms
from tongxin.pairing import tables as t
from tongxin.pairing.models import (
    Activity,
    Campaign,
    Decision,
    GroupMember,
    JointMeeting,
    LeadingGroup,
    LiaisonAppointment,
    Pair,
    Report,
    Support,
)

PAIRING = "pairing"
ORGANISATION = "organisation"
PAIR_RELATED = ("pair__enterprise", "pair__village", "pair__township")

campaigns = register(
    Ledger(model=Campaign, filterset=f.CampaignFilterSet, table=t.CampaignTable, form=forms.CampaignForm, group=PAIRING)
)
pairs = register(
    Ledger(
        model=Pair,
        filterset=f.PairFilterSet,
        table=t.PairTable,
        select_related=("enterprise", "village", "township", "campaign"),
        search_fields=("enterprise__name", "village__name"),
        group=PAIRING,
    )
)
appointments = register(
    Ledger(
        model=LiaisonAppointment,
        filterset=f.LiaisonAppointmentFilterSet,
        table=t.LiaisonAppointmentTable,
        select_related=("liaison", "campaign"),
        # Each appointment lists its ~20 pairs by name: only the names are read.
        prefetch_related=(
            Prefetch(
                "pairs",
                queryset=Pair.objects.select_related("enterprise", "village").only(
                    "id", "enterprise__name", "village__name"
                ),
            ),
        ),
        group=PAIRING,
    )
)
activities = register(
    Ledger(
        model=Activity,
        filterset=f.ActivityFilterSet,
        table=t.ActivityTable,
        form=forms.ActivityForm,
        select_related=PAIR_RELATED,
        search_fields=("title",),
        group=PAIRING,
    )
)
supports = register(
    Ledger(
        model=Support,
        filterset=f.SupportFilterSet,
        table=t.SupportTable,
        form=forms.SupportForm,
        select_related=PAIR_RELATED,
        group=PAIRING,
    )
)
reports = register(
    Ledger(model=Report, filterset=f.ReportFilterSet, table=t.ReportTable, select_related=PAIR_RELATED, group=PAIRING)
)
groups = register(
    Ledger(
        model=LeadingGroup,
        filterset=f.LeadingGroupFilterSet,
        table=t.LeadingGroupTable,
        form=forms.LeadingGroupForm,
        select_related=("township",),
        group=ORGANISATION,
    )
)
members = register(
    Ledger(
        model=GroupMember,
        filterset=f.GroupMemberFilterSet,
        table=t.GroupMemberTable,
        form=forms.GroupMemberForm,
        select_related=("group",),
        group=ORGANISATION,
    )
)
meetings = register(
    Ledger(
        model=JointMeeting,
        filterset=f.JointMeetingFilterSet,
        table=t.JointMeetingTable,
        form=forms.JointMeetingForm,
        select_related=("group",),
        group=ORGANISATION,
    )
)
decisions = register(
    Ledger(
        model=Decision,
        filterset=f.DecisionFilterSet,
        table=t.DecisionTable,
        form=forms.DecisionForm,
        select_related=("meeting",),
        group=ORGANISATION,
    )
)

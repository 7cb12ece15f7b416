from tongxin.core.ledgers import Ledger, register
from tongxin.platforms import filtersets as f
from tongxin.platforms import forms
from tongxin.platforms import tables as t
from tongxin.platforms.models import (
    Association,
    CharityActivity,
    CharityEvent,
    Contact,
    CountrysideActivity,
    InnovationProject,
    Instruction,
    Intellectual,
    InvestmentLead,
    Milestone,
    Organisation,
    Participation,
    PromotionEvent,
    Proposal,
    ResearchReport,
    ResearchTopic,
    ServiceRequest,
    Talent,
)
from tongxin.platforms.services.research import with_progress

# Platform 1: research and proposals.
topics = register(
    Ledger(
        model=ResearchTopic,
        filterset=f.ResearchTopicFilterSet,
        table=t.ResearchTopicTable,
        form=forms.ResearchTopicForm,
        select_related=("county", "township"),
        search_fields=("title", "organiser"),
        icon="bulb",
        group="research",
    )
)
reports = register(
    Ledger(
        model=ResearchReport,
        filterset=f.ResearchReportFilterSet,
        table=t.ResearchReportTable,
        form=forms.ResearchReportForm,
        select_related=("topic",),
        search_fields=("title",),
        icon="report",
        group="research",
    )
)
proposals = register(
    Ledger(
        model=Proposal,
        filterset=f.ProposalFilterSet,
        table=t.ProposalTable,
        form=forms.ProposalForm,
        import_form=forms.ProposalImportForm,
        key_field="code",
        select_related=("county", "township", "topic"),
        annotate=with_progress,
        search_fields=("code", "title", "department"),
        icon="message-2-share",
        group="research",
    )
)
instructions = register(
    Ledger(
        model=Instruction,
        filterset=f.InstructionFilterSet,
        table=t.InstructionTable,
        form=forms.InstructionForm,
        select_related=("proposal",),
        icon="writing-sign",
        group="research",
    )
)
milestones = register(
    Ledger(
        model=Milestone,
        filterset=f.MilestoneFilterSet,
        table=t.MilestoneTable,
        form=forms.MilestoneForm,
        select_related=("proposal",),
        icon="flag",
        group="research",
    )
)
participations = register(
    Ledger(
        model=Participation,
        filterset=f.ParticipationFilterSet,
        table=t.ParticipationTable,
        form=forms.ParticipationForm,
        select_related=("person", "topic", "proposal"),
        # Not in the site-wide search: it names people (cadre officers open it from here).
        search_fields=(),
        icon="users-group",
        group="research",
    )
)

# Platform 2: religious and ethnic organisations serving society (organisation-level only).
organisations = register(
    Ledger(
        model=Organisation,
        filterset=f.OrganisationFilterSet,
        table=t.OrganisationTable,
        form=forms.OrganisationForm,
        import_form=forms.OrganisationImportForm,
        key_field="registration_number",
        select_related=("county", "township"),
        search_fields=("name", "registration_number"),
        icon="building-church",
        group="charity",
    )
)
activities = register(
    Ledger(
        model=CharityActivity,
        filterset=f.CharityActivityFilterSet,
        table=t.CharityActivityTable,
        form=forms.CharityActivityForm,
        import_form=forms.CharityActivityImportForm,
        key_field="code",
        select_related=("organisation", "village"),
        search_fields=("code", "title"),
        icon="heart-handshake",
        group="charity",
    )
)
events = register(
    Ledger(
        model=CharityEvent,
        filterset=f.CharityEventFilterSet,
        table=t.CharityEventTable,
        form=forms.CharityEventForm,
        select_related=("organisation",),
        search_fields=("title",),
        icon="speakerphone",
        group="charity",
    )
)

# Platform 3: investment and talent through the associations.
associations = register(
    Ledger(
        model=Association,
        filterset=f.AssociationFilterSet,
        table=t.AssociationTable,
        form=forms.AssociationForm,
        select_related=("county",),
        search_fields=("name",),
        icon="world",
        group="investment",
    )
)
contacts = register(
    Ledger(
        model=Contact,
        filterset=f.ContactFilterSet,
        table=t.ContactTable,
        form=forms.ContactForm,
        select_related=("association",),
        search_fields=("name",),
        icon="address-book",
        group="investment",
    )
)
promotions = register(
    Ledger(
        model=PromotionEvent,
        filterset=f.PromotionEventFilterSet,
        table=t.PromotionEventTable,
        form=forms.PromotionEventForm,
        select_related=("association",),
        search_fields=("title",),
        icon="plane",
        group="investment",
    )
)
leads = register(
    Ledger(
        model=InvestmentLead,
        filterset=f.InvestmentLeadFilterSet,
        table=t.InvestmentLeadTable,
        form=forms.InvestmentLeadForm,
        import_form=forms.InvestmentLeadImportForm,
        key_field="code",
        select_related=("association", "township"),
        search_fields=("code", "title", "investor"),
        icon="building-factory-2",
        group="investment",
    )
)
talents = register(
    Ledger(
        model=Talent,
        filterset=f.TalentFilterSet,
        table=t.TalentTable,
        form=forms.TalentForm,
        select_related=("association",),
        search_fields=("name",),
        icon="school",
        group="investment",
    )
)

# Platform 4: non-party intellectuals serve development.
intellectuals = register(
    Ledger(
        model=Intellectual,
        filterset=f.IntellectualFilterSet,
        table=t.IntellectualTable,
        form=forms.IntellectualForm,
        select_related=("person", "township"),
        # Not in the site-wide search: a profile names a person.
        search_fields=(),
        icon="school",
        group="intellectuals",
    )
)
countryside = register(
    Ledger(
        model=CountrysideActivity,
        filterset=f.CountrysideActivityFilterSet,
        table=t.CountrysideActivityTable,
        form=forms.CountrysideActivityForm,
        import_form=forms.CountrysideActivityImportForm,
        key_field="code",
        select_related=("county", "township"),
        prefetch_related=("villages",),
        search_fields=("code", "title"),
        icon="tractor",
        group="intellectuals",
    )
)
requests = register(
    Ledger(
        model=ServiceRequest,
        filterset=f.ServiceRequestFilterSet,
        table=t.ServiceRequestTable,
        form=forms.ServiceRequestForm,
        select_related=("village",),
        search_fields=("title",),
        icon="hand-finger",
        group="intellectuals",
    )
)
innovations = register(
    Ledger(
        model=InnovationProject,
        filterset=f.InnovationProjectFilterSet,
        table=t.InnovationProjectTable,
        form=forms.InnovationProjectForm,
        import_form=forms.InnovationProjectImportForm,
        key_field="code",
        select_related=("enterprise",),
        search_fields=("code", "title"),
        icon="flask",
        group="intellectuals",
    )
)

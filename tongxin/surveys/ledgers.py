from tongxin.core.ledgers import Ledger, register
from tongxin.surveys.filtersets import SurveyFilterSet
from tongxin.surveys.forms import SurveyForm
from tongxin.surveys.models import Survey
from tongxin.surveys.tables import SurveyTable

surveys = register(
    Ledger(
        model=Survey,
        filterset=SurveyFilterSet,
        table=SurveyTable,
        form=SurveyForm,
        select_related=("township", "village", "enterprise"),
        search_fields=("findings",),
        icon="clipboard-list",
    )
)

from tongxin.core.urls_helpers import ledger_urls
from tongxin.surveys.ledgers import surveys

app_name = "surveys"

urlpatterns = ledger_urls(surveys, prefix="")

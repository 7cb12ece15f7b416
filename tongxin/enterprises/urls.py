from tongxin.core.urls_helpers import ledger_urls
from tongxin.enterprises import views
from tongxin.enterprises.ledgers import enterprises

app_name = "enterprises"

urlpatterns = ledger_urls(enterprises, detail_view=views.EnterpriseDetailView, prefix="")

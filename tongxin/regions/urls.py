from tongxin.core.urls_helpers import ledger_urls
from tongxin.regions import views
from tongxin.regions.ledgers import townships, villages

app_name = "regions"

urlpatterns = [
    *ledger_urls(townships, detail_view=views.TownshipDetailView),
    *ledger_urls(villages, detail_view=views.VillageDetailView),
]

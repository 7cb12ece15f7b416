from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PairingConfig(AppConfig):
    name = "tongxin.pairing"
    label = "pairing"
    verbose_name = _("Village–enterprise pairing")

    def ready(self) -> None:
        from tongxin.pairing import ledgers  # noqa: F401  (registers the ledgers)
        from tongxin.pairing.services import tally

        tally.connect()  # keeps the pre-aggregated reporting numbers in step

from django.apps import AppConfig


class ExchangeConfig(AppConfig):
    name = "haven.exchange"
    label = "exchange"

    def ready(self) -> None:
        # The job kinds register their handlers when their modules load.
        from haven.exchange import exports, importer  # noqa: F401

from django.apps import AppConfig


class ExchangeConfig(AppConfig):
    name = "haven.exchange"
    label = "exchange"

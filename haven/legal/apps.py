from django.apps import AppConfig


class LegalConfig(AppConfig):
    name = "haven.legal"
    label = "legal"

from django.apps import AppConfig


class EntitlementsConfig(AppConfig):
    name = "haven.entitlements"
    label = "entitlements"
    verbose_name = "Entitlements"

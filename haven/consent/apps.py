from django.apps import AppConfig


class ConsentConfig(AppConfig):
    name = "haven.consent"
    label = "consent"

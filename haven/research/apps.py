from django.apps import AppConfig


class ResearchConfig(AppConfig):
    name = "haven.research"
    label = "research"

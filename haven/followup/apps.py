from django.apps import AppConfig


class FollowupConfig(AppConfig):
    name = "haven.followup"
    label = "followup"

from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "haven.accounts"
    label = "accounts"

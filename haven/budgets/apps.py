from django.apps import AppConfig


class BudgetsConfig(AppConfig):
    name = "haven.budgets"
    label = "budgets"

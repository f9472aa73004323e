from django.apps import AppConfig


class DirectoryConfig(AppConfig):
    name = "haven.directory"
    label = "directory"

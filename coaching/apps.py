from django.apps import AppConfig


class CoachingConfig(AppConfig):
    name = "coaching"
    verbose_name = "Exercise content"

    def ready(self) -> None:
        from coaching import signals  # noqa: F401  (connects the receivers)

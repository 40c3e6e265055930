from django.apps import AppConfig


class TrainingConfig(AppConfig):
    name = "training"
    verbose_name = "Training log"

    def ready(self) -> None:
        from training import signals  # noqa: F401  (connects the receivers)

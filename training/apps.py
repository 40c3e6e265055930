from django.apps import AppConfig


class TrainingConfig(AppConfig):
    name = "training"
    verbose_name = "Training log"

    def ready(self) -> None:
        from training import signals  # noqa: F401  (connects the receivers)

    def models_made_by_use(self) -> list[type]:
        """For `manage.py restore`: every row of the log comes from its use."""
        return list(self.get_models())

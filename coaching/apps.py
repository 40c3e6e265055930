from django.apps import AppConfig


class CoachingConfig(AppConfig):
    name = "coaching"
    verbose_name = "Exercise content"

    def ready(self) -> None:
        from coaching import signals  # noqa: F401  (connects the receivers)

    def models_made_by_use(self) -> list[type]:
        """For `manage.py restore`: the guide's content comes from `migrate`, photos do not."""
        return [self.get_model("Illustration")]

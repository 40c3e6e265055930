from django.apps import AppConfig


class VideosConfig(AppConfig):
    name = "videos"
    verbose_name = "Set videos"

    def ready(self) -> None:
        from videos import signals  # noqa: F401  (connects the receivers)

    def models_made_by_use(self) -> list[type]:
        """For `manage.py restore`: every row comes from the site's use."""
        return list(self.get_models())

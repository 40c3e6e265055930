from django.apps import AppConfig


class ImportsConfig(AppConfig):
    name = "imports"
    verbose_name = "Imports"

    def models_made_by_use(self) -> list[type]:
        """For `manage.py restore`: every row comes from the site's use."""
        return list(self.get_models())

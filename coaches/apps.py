from django.apps import AppConfig


class CoachesConfig(AppConfig):
    name = "coaches"
    verbose_name = "Coaches and athletes"

    def models_made_by_use(self) -> list[type]:
        """For `manage.py restore`: every row comes from the site's use."""
        return list(self.get_models())

"""The other packages' admins (accounts and groups, login attempts, background tasks), given
what ours share (core.admin.ModelAdmin): an action on ids that name no row answers as for no
selection, where Django would answer 500. Run after their own admin modules (INSTALLED_APPS
lists them before this app). The accounts' form also keeps one account per email and name."""

from django.contrib import admin
from django.contrib.auth import get_user_model
from django.contrib.auth.admin import UserAdmin

from core.admin import ModelAdmin
from hipthrust.forms import AccountChangeForm

# The staff's site is the guide's editor, not "Django administration".
admin.site.site_header = admin.site.site_title = "hipthrust admin"
admin.site.index_title = "The guide's content, accounts and logins"

for model in list(admin.site._registry):
    registered = type(admin.site.get_model_admin(model))
    if not issubclass(registered, ModelAdmin):
        admin.site.unregister(model)
        admin.site.register(model, type(registered.__name__, (ModelAdmin, registered), {}))

admin.site.unregister(get_user_model())


@admin.register(get_user_model())
class AccountAdmin(ModelAdmin, UserAdmin):
    form = AccountChangeForm

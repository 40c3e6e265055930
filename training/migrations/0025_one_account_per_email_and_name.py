"""One account per email and per user name, whatever their case, kept by the database.

The sign-up form looks both up, but two sign-ups at once both pass the look-up: two
accounts then shared an email (and a password reset mailed a link for each) or a name.
Django's own constraint on the name is case-sensitive; these indexes are not.

A database that already holds such a pair stops here with the accounts named, rather
than picking one to change: which keeps the email is the site's decision (the admin).
"""

from django.db import migrations

INDEXES = [
    "CREATE UNIQUE INDEX auth_user_email_any_case ON auth_user (lower(email)) WHERE email <> ''",
    "CREATE UNIQUE INDEX auth_user_username_any_case ON auth_user (lower(username))",
]


def refuse_shared_ones(apps, schema_editor):
    User = apps.get_model("auth", "User")
    seen: dict[tuple[str, str], int] = {}
    shared = []
    for pk, username, email in User.objects.order_by("pk").values_list("pk", "username", "email"):
        for field, value in (("username", username), ("email", email)):
            if field == "email" and not value:
                continue
            earlier = seen.setdefault((field, value.lower()), pk)
            if earlier != pk:
                shared.append(f"accounts {earlier} and {pk} share the {field} {value.lower()!r}")
    if shared:
        raise RuntimeError(
            "Before this migration: " + "; ".join(shared) + ". Give one of each pair another "
            "email or user name in the admin, then migrate again."
        )


class Migration(migrations.Migration):
    dependencies = [
        ("auth", "0012_alter_user_first_name_max_length"),
        ("training", "0024_session_import_key"),
    ]

    operations = [
        migrations.RunPython(refuse_shared_ones, migrations.RunPython.noop),
        *(migrations.RunSQL(sql, f"DROP INDEX {sql.split()[3]}") for sql in INDEXES),
    ]

"""Names unique in any case on every database: a stored key per display name and per username.

Keys are quiz.identity.name_key (NFKC with full case folding). Existing rows get theirs here;
where two existing display names share a key (possible on SQLite, whose LOWER folds ASCII only),
the later profile's name gains " 2", " 3"...; a username whose key another user already holds
keeps working but gets no key row (the signup form still checks it by iexact).
"""

import unicodedata

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


def name_key(name):
    # quiz.identity.name_key as of this migration, frozen here so later changes don't alter it.
    return unicodedata.normalize("NFKC", unicodedata.normalize("NFKC", name).casefold())


def fill_keys(apps, schema_editor):
    Profile = apps.get_model("quiz", "Profile")
    UsernameKey = apps.get_model("quiz", "UsernameKey")
    User = apps.get_model(*settings.AUTH_USER_MODEL.split("."))
    taken = set()
    for profile in Profile.objects.order_by("pk"):
        name, number = profile.display_name, 1
        while name_key(name) in taken:
            number += 1
            name = f"{profile.display_name[: 40 - len(str(number)) - 1]} {number}"
        taken.add(name_key(name))
        profile.display_name, profile.display_name_key = name, name_key(name)
        profile.save(update_fields=["display_name", "display_name_key"])
    claimed = set()
    for user in User.objects.order_by("pk"):
        key = name_key(user.username)
        if key not in claimed:
            claimed.add(key)
            UsernameKey.objects.create(key=key, user=user)


class Migration(migrations.Migration):
    dependencies = [
        ("quiz", "0007_leaderboard_totals"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.RemoveConstraint(model_name="profile", name="unique_display_name_any_case"),
        migrations.AddField(
            model_name="profile",
            name="display_name_key",
            field=models.CharField(default="", max_length=600),
            preserve_default=False,
        ),
        migrations.CreateModel(
            name="UsernameKey",
            fields=[
                ("key", models.CharField(max_length=600, primary_key=True, serialize=False)),
                (
                    "user",
                    models.OneToOneField(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="username_key",
                        to=settings.AUTH_USER_MODEL,
                    ),
                ),
            ],
        ),
        migrations.RunPython(fill_keys, migrations.RunPython.noop),
    ]

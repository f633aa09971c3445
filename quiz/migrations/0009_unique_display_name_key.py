"""The display name key's unique constraint, in its own migration: PostgreSQL won't alter a table
in the transaction that just filled it (pending trigger events)."""

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("quiz", "0008_identity_keys")]

    operations = [
        migrations.AddConstraint(
            model_name="profile",
            constraint=models.UniqueConstraint(
                fields=("display_name_key",),
                name="unique_display_name_key",
                violation_error_message="That display name is taken.",
            ),
        ),
    ]

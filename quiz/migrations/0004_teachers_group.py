"""The Teachers group, with exactly the permissions a teacher needs in the admin."""

from django.contrib.auth.management import create_permissions
from django.db import migrations

GROUP = "Teachers"
# Frozen here (migrations must not follow the code); quiz.services.TEACHER_PERMISSIONS is the
# same list, and a test keeps the two equal.
PERMISSIONS = [
    f"{action}_{model}"
    for model in ("questionset", "questionsetkind", "handwrittenquestion")
    for action in ("add", "change", "delete", "view")
]


def create_teachers_group(apps, schema_editor):
    # Permissions are normally made after every migration has run (post_migrate); make this
    # app's now, from the historical models, so that they can be given to the group.
    app_config = apps.get_app_config("quiz")
    app_config.models_module = True
    try:
        create_permissions(app_config, apps=apps, verbosity=0, using=schema_editor.connection.alias)
    finally:
        app_config.models_module = None
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    group, _ = Group.objects.using(schema_editor.connection.alias).get_or_create(name=GROUP)
    permissions = Permission.objects.using(schema_editor.connection.alias).filter(
        content_type__app_label="quiz", codename__in=PERMISSIONS
    )
    group.permissions.set(permissions)


def remove_teachers_group(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    Group.objects.using(schema_editor.connection.alias).filter(name=GROUP).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
        ("quiz", "0003_question_sets"),
    ]

    operations = [migrations.RunPython(create_teachers_group, remove_teachers_group)]

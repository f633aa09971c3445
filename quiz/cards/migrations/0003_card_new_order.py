from django.db import migrations, models

from quiz.cards.order import new_card_order


def deal_new_cards(apps, schema_editor):
    """Give every student's new cards their mixed order (until now, the facts' order)."""
    Card = apps.get_model("cards", "Card")
    by_user: dict[int, list[tuple[int, str, str]]] = {}
    rows = Card.objects.filter(state=0).values_list("pk", "user_id", "fact__key", "fact__kind")
    for pk, user_id, key, kind in rows.iterator():
        by_user.setdefault(user_id, []).append((pk, key, kind))
    for user_id, cards in by_user.items():
        order = new_card_order(user_id, [(key, kind) for _, key, kind in cards])
        Card.objects.bulk_update(
            [Card(pk=pk, new_order=order[key]) for pk, key, _ in cards],
            ["new_order"],
            batch_size=500,
        )


class Migration(migrations.Migration):
    dependencies = [
        ("cards", "0002_fact_changed_at"),
    ]

    operations = [
        migrations.AddField(
            model_name="card",
            name="new_order",
            field=models.PositiveIntegerField(
                default=0,
                help_text="Its place among the student's new cards: a stable shuffle that mixes kinds.",
            ),
        ),
        migrations.RunPython(deal_new_cards, migrations.RunPython.noop),
    ]

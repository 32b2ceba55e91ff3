from django.db import migrations, models
from django.db.models import F


def decisions_already_sent(apps, schema_editor):
    # Decisions made before this field existed were mailed then: the sweep must not mail them again.
    Application = apps.get_model("onboarding", "Application")
    Application.objects.filter(decided_at__isnull=False).update(decision_sent_at=F("decided_at"))


class Migration(migrations.Migration):
    dependencies = [
        ("onboarding", "0002_application_language"),
    ]

    operations = [
        migrations.AddField(
            model_name="application",
            name="decision_sent_at",
            field=models.DateTimeField(blank=True, null=True),
        ),
        migrations.RunPython(decisions_already_sent, migrations.RunPython.noop),
    ]

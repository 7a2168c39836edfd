from django.db import migrations, models


class Migration(migrations.Migration):
    """Shares made before this field showed the CV, diplomas and photos to the
    employer (docs/documents.md said so when they were agreed): they keep
    doing so. A new share includes documents only when someone ticks it."""

    dependencies = [
        ("candidates", "0003_encrypt_leave_and_scheme_notes"),
    ]

    operations = [
        migrations.AddField(
            model_name="profileshare",
            name="includes_documents",
            field=models.BooleanField(default=True),
            preserve_default=False,
        ),
        migrations.AlterField(
            model_name="profileshare",
            name="includes_documents",
            field=models.BooleanField(
                default=False, verbose_name="includes the CV, diplomas and photos"
            ),
        ),
    ]

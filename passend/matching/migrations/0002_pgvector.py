"""On PostgreSQL that offers the `vector` extension (pgvector), install it and
create `matching_candidatevector`, the mirror of the candidates' embeddings
that `passend.matching.vectors` searches (docs/matching.md). Where the server
does not offer it, or the role may not create it, nothing happens and matching
stays in-process; on SQLite nothing happens either. Installing pgvector later:
`manage.py migrate matching 0001` then `manage.py migrate` creates and fills
the mirror.
"""

from django.db import migrations


def create_mirror(apps, schema_editor):
    from passend.matching import vectors

    vectors.install(schema_editor.connection)


def drop_mirror(apps, schema_editor):
    from passend.matching import vectors

    vectors.uninstall(schema_editor.connection)


class Migration(migrations.Migration):
    dependencies = [("matching", "0001_initial")]

    operations = [migrations.RunPython(create_mirror, drop_mirror, elidable=False)]

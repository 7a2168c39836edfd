"""On PostgreSQL, the database itself refuses to change or delete audit events.

The Python guards (AuditEvent.save/delete, the queryset) stop the ORM; this
trigger also stops raw SQL and any other client. The one delete it allows is
retention's: events at or below their chain's pruning base, which
`audit_prune` moves first. TRUNCATE is not blocked (row triggers do not see
it): the test runner flushes tables with it; in production the application's
database role should not hold TRUNCATE on this table (docs/audit.md).
"""

from django.db import migrations

CREATE = """
CREATE OR REPLACE FUNCTION audit_event_append_only() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'DELETE' AND OLD.sequence <= COALESCE(
        (SELECT base_sequence FROM audit_auditchain WHERE key = OLD.chain), 0
    ) THEN
        RETURN OLD;
    END IF;
    RAISE EXCEPTION 'audit events are append-only: % of event %#% refused',
        TG_OP, OLD.chain, OLD.sequence;
END
$$;
CREATE TRIGGER audit_event_append_only
    BEFORE UPDATE OR DELETE ON audit_auditevent
    FOR EACH ROW EXECUTE FUNCTION audit_event_append_only();
"""

DROP = """
DROP TRIGGER IF EXISTS audit_event_append_only ON audit_auditevent;
DROP FUNCTION IF EXISTS audit_event_append_only();
"""


def create_trigger(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(CREATE, params=None)


def drop_trigger(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(DROP, params=None)


class Migration(migrations.Migration):
    dependencies = [("audit", "0001_initial")]

    operations = [migrations.RunPython(create_trigger, drop_trigger, elidable=False)]

"""On PostgreSQL, the trigger lets the sealer fill in an event's chain columns once.

An event is stored unsealed (no sequence number, previous hash or hash) and
sealed later by `audit_seal`. The trigger of 0002 is replaced by one that
allows exactly that: an UPDATE of an unsealed event that sets all three chain
columns and changes nothing else. Any other UPDATE (a changed field, a
second seal, unsealing a sealed event) and any DELETE outside retention's
pruning base are refused as before.
"""

from django.db import migrations

FUNCTION = """
CREATE OR REPLACE FUNCTION audit_event_append_only() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'DELETE' AND OLD.sequence <= COALESCE(
        (SELECT base_sequence FROM audit_auditchain WHERE key = OLD.chain), 0
    ) THEN
        RETURN OLD;
    END IF;
    IF TG_OP = 'UPDATE' %(seal)s THEN
        RETURN NEW;
    END IF;
    RAISE EXCEPTION 'audit events are append-only: % of event %#% refused',
        TG_OP, OLD.chain, COALESCE(OLD.sequence::text, 'unsealed ' || OLD.id::text);
END
$$;
"""

SEAL = """
        AND OLD.sequence IS NULL AND OLD.prev_hash IS NULL AND OLD.hash IS NULL
        AND NEW.sequence IS NOT NULL AND NEW.prev_hash IS NOT NULL AND NEW.hash IS NOT NULL
        AND (to_jsonb(NEW) - 'sequence' - 'prev_hash' - 'hash')
            = (to_jsonb(OLD) - 'sequence' - 'prev_hash' - 'hash')"""

# 0002's function: no UPDATE at all.
NEVER = "AND FALSE"


def seal_allowed(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(FUNCTION.replace("%(seal)s", SEAL), params=None)


def seal_refused(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(FUNCTION.replace("%(seal)s", NEVER), params=None)


class Migration(migrations.Migration):
    dependencies = [("audit", "0003_sealed_later")]

    operations = [migrations.RunPython(seal_allowed, seal_refused, elidable=False)]

"""Database triggers that make the audit table append-only (used by the migration and tests)."""

from __future__ import annotations

from typing import Any

TABLE = "audit_auditentry"
MESSAGE = "audit entries are append-only"


def install(connection: Any) -> None:
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(
                "CREATE OR REPLACE FUNCTION tiendo_audit_refuse() RETURNS trigger AS $$ "
                f"BEGIN RAISE EXCEPTION '{MESSAGE}'; END $$ LANGUAGE plpgsql"
            )
            cursor.execute(
                f"CREATE TRIGGER audit_append_only BEFORE UPDATE OR DELETE ON {TABLE} "
                "FOR EACH ROW EXECUTE FUNCTION tiendo_audit_refuse()"
            )
            cursor.execute(
                f"CREATE TRIGGER audit_no_truncate BEFORE TRUNCATE ON {TABLE} "
                "FOR EACH STATEMENT EXECUTE FUNCTION tiendo_audit_refuse()"
            )
        elif connection.vendor == "sqlite":
            for op in ("UPDATE", "DELETE"):
                cursor.execute(
                    f"CREATE TRIGGER audit_no_{op.lower()} BEFORE {op} ON {TABLE} "
                    f"BEGIN SELECT RAISE(ABORT, '{MESSAGE}'); END"
                )


def uninstall(connection: Any) -> None:
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(f"DROP TRIGGER IF EXISTS audit_append_only ON {TABLE}")
            cursor.execute(f"DROP TRIGGER IF EXISTS audit_no_truncate ON {TABLE}")
            cursor.execute("DROP FUNCTION IF EXISTS tiendo_audit_refuse()")
        elif connection.vendor == "sqlite":
            cursor.execute("DROP TRIGGER IF EXISTS audit_no_update")
            cursor.execute("DROP TRIGGER IF EXISTS audit_no_delete")

"""Pieces of hand-written SQL shared by the apps, for the few writes that run on every learner's page and are done in
one statement on PostgreSQL (`courses.tracking`)."""

from django.db.models import Model


def insert_select(obj: Model, *, source: str, connection, ignore_conflicts: bool = False) -> tuple[str, list]:
    """`INSERT INTO <table> (…) SELECT … FROM <source>` and its parameters: the row Django would insert for the
    unsaved `obj` (every concrete field but an automatic primary key, prepared as Django's own INSERT prepares it),
    once for each row of `source`, the name of a common table expression of the same statement, on `connection` (the
    database the statement is sent to). `ignore_conflicts`: `ON CONFLICT DO NOTHING`, as
    `bulk_create(ignore_conflicts=True)`."""
    if not source.isidentifier():
        raise ValueError(f"source must be the name of a common table expression, not {source!r}")
    meta = obj._meta
    fields = [f for f in meta.local_concrete_fields if not (f.primary_key and f.db_returning)]
    qn = connection.ops.quote_name
    columns = ", ".join(qn(f.column) for f in fields)
    params = [f.get_db_prep_save(f.pre_save(obj, True), connection) for f in fields]
    # (names from the model and a checked identifier; every value is a parameter)
    sql = f"INSERT INTO {qn(meta.db_table)} ({columns}) SELECT {', '.join(['%s'] * len(fields))} FROM {source}"  # noqa: S608
    return sql + (" ON CONFLICT DO NOTHING" if ignore_conflicts else ""), params

"""Insert many rows fast: COPY on PostgreSQL, bulk_create elsewhere. Same rows either way.

Bypasses ``save()``: callers fill every value themselves (the ``auto_now`` timestamps are set
here). Ids come from the table's own sequence, so the objects carry their primary keys after.
"""

import datetime
from functools import cache

from django.db import connection, models
from django.db.models.base import ModelState
from psycopg.types.json import Jsonb


@cache
def _fields_of(model: type[models.Model]) -> tuple[tuple[tuple[str, models.Field], ...], frozenset[str]]:
    fields = tuple((f.attname, f) for f in model._meta.concrete_fields)
    return fields, frozenset(a for a, _ in fields)


def build(model: type[models.Model], **values) -> models.Model:
    """An unsaved instance from attribute names (``employee_id=…``), without ``Model.__init__``'s cost.

    For bulk paths only: values are taken as given (no descriptors, no signals); every field not
    given gets its default, as ``Model.__init__`` would give it.
    """
    fields, attnames = _fields_of(model)
    if unknown := values.keys() - attnames:
        raise TypeError(f"{model.__name__} has no field {', '.join(sorted(unknown))}")
    obj = model.__new__(model)
    obj._state = ModelState()
    d = obj.__dict__
    for attname, field in fields:
        if attname not in values:
            d[attname] = field.get_default()
    d.update(values)
    return obj


def _allocate_ids(model, n: int) -> list[int]:
    table = model._meta.db_table
    with connection.cursor() as cur:
        cur.execute(f"SELECT nextval(pg_get_serial_sequence('{table}', 'id')) FROM generate_series(1, %s)", [n])
        return [r[0] for r in cur.fetchall()]


def bulk_insert(model: type[models.Model], objs: list[models.Model], *, batch_size: int = 5000) -> list[models.Model]:
    """Insert objects in as few round trips as the database allows; primary keys are set on them."""
    if not objs:
        return objs
    now = datetime.datetime.now(datetime.UTC)
    fields = model._meta.concrete_fields
    stamped = [f for f in fields if getattr(f, "auto_now", False) or getattr(f, "auto_now_add", False)]
    for obj in objs:
        for f in stamped:
            if getattr(obj, f.attname) is None:
                setattr(obj, f.attname, now)
    if connection.vendor != "postgresql":
        return model.objects.bulk_create(objs, batch_size=batch_size)
    missing = [o for o in objs if o.pk is None]
    for obj, pk in zip(missing, _allocate_ids(model, len(missing)), strict=True):
        obj.pk = pk
    columns = [f.column for f in fields]
    getters = [(f.attname, isinstance(f, models.JSONField)) for f in fields]
    attnames = [a for a, _ in getters]
    has_json = any(js for _, js in getters)
    q = connection.ops.quote_name  # columns such as "order" are reserved words
    sql = f"COPY {q(model._meta.db_table)} ({', '.join(q(c) for c in columns)}) FROM STDIN"
    with connection.cursor() as cur, cur.cursor.copy(sql) as cp:
        for obj in objs:
            d = obj.__dict__  # every concrete attname is there on a new instance
            if has_json:
                cp.write_row([Jsonb(d[a]) if js and d[a] is not None else d[a] for a, js in getters])
            else:
                cp.write_row([d[a] for a in attnames])
    for obj in objs:
        obj._state.adding = False
        obj._state.db = connection.alias
    return objs

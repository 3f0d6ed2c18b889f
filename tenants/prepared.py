"""Querysets whose SQL is composed once per process, then only executed.

For the short lookups every request makes – the signed-in account with its tenant, the contract
behind the Vertrag page's address – composing the SQL (the ORM's compiler) cost more than the
database took to answer. A `PreparedQuery` has the ORM compose its queryset once per database,
with stand-in values where the parameters go, and afterwards executes that SQL with the real
values, turning the rows into what the ORM would have returned: model instances with their
`select_related` objects, or `values_list` tuples, the fields' database converters applied (dates
on SQLite, decryption). Every query still reaches the database, so nothing can be stale; the
models' fields only change with a deploy, which starts new processes.

    CONTRACT = PreparedQuery(
        lambda tenant_id, number: Contract.objects.filter(partners=tenant_id, number=number)
        .values_list("pk")[:1],
        STAND_IN_ID, STAND_IN_TEXT,
    )
    CONTRACT.rows(tenant.pk, "1001-W01-01")   # [(17,)] or []

Values are passed as the database takes them (ints, strings). A queryset that needs more than
this (annotations, prefetching, `values()` dicts) is refused when it is first composed.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.db import connections, router
from django.db.models import QuerySet
from django.db.models.query import ModelIterable, ValuesListIterable, get_related_populators

# Stand-ins unlike any real value, so each one is found again among the composed parameters.
STAND_IN_ID = -730_261_947
STAND_IN_TEXT = "\x00stand-in\x00"


@dataclass(frozen=True)
class _Composed:
    sql: str
    # Per parameter: the index of the value passed to rows(), or None for a fixed value.
    sources: tuple[int | None, ...]
    fixed: tuple[Any, ...]
    converters: dict
    # Model instances: the model, the slice of its columns, their attnames, the populators.
    model: Any = None
    columns: slice | None = None
    init_list: tuple[str, ...] = ()
    populators: tuple = ()


class PreparedQuery:
    """`build(*stand_ins)` returns the queryset; each stand-in must reach the SQL unchanged as a
    parameter (see STAND_IN_ID, STAND_IN_TEXT; a second one of a kind: any other odd value)."""

    def __init__(self, build: Callable[..., QuerySet], *stand_ins: Any):
        self.build = build
        self.stand_ins = stand_ins
        self.model = None
        self._composed: dict[str, _Composed] = {}

    def rows(self, *values: Any) -> list:
        """The queryset's result for these values, as the ORM would have given it (a list)."""
        if len(values) != len(self.stand_ins):
            raise TypeError(f"{len(self.stand_ins)} values expected, {len(values)} given")
        using = router.db_for_read(self.model) if self.model is not None else None
        composed = self._composed.get(using) if using is not None else None
        if composed is None:
            using, composed = self._compose()
        params = [
            composed.fixed[i] if source is None else values[source]
            for i, source in enumerate(composed.sources)
        ]
        connection = connections[using]
        with connection.cursor() as cursor:
            cursor.execute(composed.sql, params)
            rows = cursor.fetchall()
        if composed.converters:
            rows = [_converted(row, composed.converters, connection) for row in rows]
        if composed.model is None:
            return [tuple(row) for row in rows]
        objects = []
        for row in rows:
            obj = composed.model.from_db(using, composed.init_list, row[composed.columns])
            for populator in composed.populators:
                populator.populate(row, obj)
            objects.append(obj)
        return objects

    def _compose(self) -> tuple[str, _Composed]:
        queryset = self.build(*self.stand_ins)
        query = queryset.query
        if query.annotation_select or query.extra_select or queryset._prefetch_related_lookups:
            raise NotImplementedError("annotations, extra and prefetching are not prepared")
        using = queryset.db
        compiler = query.get_compiler(using=using)
        sql, params = compiler.as_sql()
        sources, fixed = [], []
        for param in params:
            matches = [i for i, stand_in in enumerate(self.stand_ins) if _same(stand_in, param)]
            if len(matches) > 1:
                raise ValueError(f"the stand-ins are not unique: {param!r}")
            sources.append(matches[0] if matches else None)
            fixed.append(None if matches else param)
        missing = set(range(len(self.stand_ins))) - set(sources)
        if missing:
            raise ValueError(f"stand-ins not found among the parameters: {sorted(missing)}")
        select = compiler.select
        fields = dict(
            sql=sql,
            sources=tuple(sources),
            fixed=tuple(fixed),
            converters=compiler.get_converters([column[0] for column in select]),
        )
        if queryset._iterable_class is ModelIterable:
            klass_info = compiler.klass_info
            start, end = klass_info["select_fields"][0], klass_info["select_fields"][-1] + 1
            fields.update(
                model=klass_info["model"],
                columns=slice(start, end),
                init_list=tuple(column[0].target.attname for column in select[start:end]),
                populators=tuple(get_related_populators(klass_info, select, using)),
            )
        elif queryset._iterable_class is not ValuesListIterable:
            raise NotImplementedError(f"{queryset._iterable_class.__name__} is not prepared")
        composed = self._composed[using] = _Composed(**fields)
        self.model = queryset.model
        return using, composed


def _same(stand_in: Any, param: Any) -> bool:
    return type(stand_in) is type(param) and stand_in == param


def _converted(row, converters: dict, connection) -> list:
    row = list(row)
    for position, (functions, expression) in converters.items():
        value = row[position]
        for function in functions:
            value = function(value, expression, connection)
        row[position] = value
    return row

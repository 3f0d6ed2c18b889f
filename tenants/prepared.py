"""Querysets whose SQL is composed once per process, then only executed.

For the short lookups every request makes – the signed-in account with its tenant, the contract
behind the Vertrag page's address – composing the SQL (the ORM's compiler) cost more than the
database took to answer. A `PreparedQuery` has the ORM compose its queryset once per database,
with stand-in values where the parameters go, and afterwards executes that SQL with the real
values, turning the rows into what the ORM would have returned: model instances with their
`select_related` objects, or `values_list` tuples, the fields' database converters applied (dates
on SQLite, decryption). Every query still reaches the database, so nothing can be stale; the
models' fields only change with a deploy, which starts new processes. On PostgreSQL the server
prepares the statement too, once per connection (parsing and planning took longer than running
these lookups).

    CONTRACT = PreparedQuery(
        lambda tenant_id, number: Contract.objects.filter(
            partners=tenant_id, contract_number=number
        ).values_list("pk")[:1],
        int, str,
    )
    CONTRACT.rows(tenant.pk, "1001-W01-01")   # [(17,)] or []

The types say what each value is; values are passed as the database takes them (ints,
strings). The queryset is composed twice, with two sets of stand-ins, and refused on its first
use unless both give the same SQL and every parameter of it is one of the values, passed
through unchanged: a value of its own (`is_active=True`, today's date), one derived from a value
(`number[:4]`) or SQL that depends on the values would be frozen at that first use. Also refused:
annotations, extra columns, prefetching and `values()` dicts.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.db import connections, router
from django.db.models import QuerySet
from django.db.models.query import ModelIterable, ValuesListIterable, get_related_populators


def _stand_ins(kinds: tuple[type, ...], round_: int) -> tuple:
    """Values unlike any real one, different per position and round."""
    values = []
    for position, kind in enumerate(kinds):
        if kind is int:
            values.append(-730_261_000 - 10 * position - round_)
        elif kind is str:
            values.append(f"\x00stand-in {position} {round_}\x00")
        else:
            raise TypeError(f"values are int or str, not {kind.__name__}")
    return tuple(values)


@dataclass(frozen=True)
class _Composed:
    sql: str
    # Per parameter of the SQL: the index of the value passed to rows().
    sources: tuple[int, ...]
    converters: dict
    # Model instances: the model, the slice of its columns, their attnames, the populators.
    model: Any = None
    columns: slice | None = None
    init_list: tuple[str, ...] = ()
    populators: tuple = ()


class PreparedQuery:
    """`build(*values)` returns the queryset; `kinds` are the values' types (int or str)."""

    def __init__(self, build: Callable[..., QuerySet], *kinds: type):
        self.build = build
        self.kinds = kinds
        self.model = None
        self._composed: dict[str, _Composed] = {}

    def rows(self, *values: Any) -> list:
        """The queryset's result for these values, as the ORM would have given it (a list)."""
        if len(values) != len(self.kinds):
            raise TypeError(f"{len(self.kinds)} values expected, {len(values)} given")
        using = router.db_for_read(self.model) if self.model is not None else None
        composed = self._composed.get(using) if using is not None else None
        if composed is None:
            using, composed = self._compose()
        params = [values[source] for source in composed.sources]
        connection = connections[using]
        # On PostgreSQL prepared on the server too (config/postgresql/base.py).
        with getattr(connection, "prepared_cursor", connection.cursor)() as cursor:
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
        compiled = [self._compile(_stand_ins(self.kinds, round_)) for round_ in (0, 1)]
        (queryset, compiler, sql, params), (_, _, other_sql, other_params) = compiled
        if sql != other_sql or len(params) != len(other_params):
            raise ValueError("the SQL depends on the values: not prepared")
        sources = []
        for round_params in zip(params, other_params, strict=True):
            found = [
                _position(_stand_ins(self.kinds, round_), param)
                for round_, param in enumerate(round_params)
            ]
            if found[0] is None or found[0] != found[1]:
                raise ValueError(
                    "the SQL holds a parameter that is not one of the values "
                    f"({round_params[0]!r}): it would be frozen at the first use"
                )
            sources.append(found[0])
        missing = set(range(len(self.kinds))) - set(sources)
        if missing:
            raise ValueError(f"values that do not reach the SQL: {sorted(missing)}")
        using = queryset.db
        select = compiler.select
        fields = dict(
            sql=sql,
            sources=tuple(sources),
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

    def _compile(self, stand_ins: tuple):
        queryset = self.build(*stand_ins)
        query = queryset.query
        if query.annotation_select or query.extra_select or queryset._prefetch_related_lookups:
            raise NotImplementedError("annotations, extra and prefetching are not prepared")
        compiler = query.get_compiler(using=queryset.db)
        sql, params = compiler.as_sql()
        if compiler.has_extra_select:  # e.g. ordered by a column it does not return
            raise NotImplementedError("columns beyond the selected ones are not prepared")
        return queryset, compiler, sql, params


def _position(stand_ins: tuple, param: Any) -> int | None:
    found = [
        i for i, value in enumerate(stand_ins) if type(value) is type(param) and value == param
    ]
    return found[0] if len(found) == 1 else None


def _converted(row, converters: dict, connection) -> list:
    row = list(row)
    for position, (functions, expression) in converters.items():
        value = row[position]
        for function in functions:
            value = function(value, expression, connection)
        row[position] = value
    return row

"""Django's PostgreSQL backend with a health check that needs no round trip, and
`prepared_cursor()` for the lookups every request makes (see its docstring).

With `CONN_HEALTH_CHECKS`, Django sends `SELECT 1` before the first query of every request.
On a tenant page that is one round trip to the database in three (about 0.35 ms of 3 ms).

Between requests a persistent connection is idle, and the server sends nothing to an idle
connection unless it is ending it: a restart, a terminated backend or an idle timeout send an
error message and close the socket. So the check here asks the socket instead of the server:
a connection psycopg already knows is closed or broken, or one with anything to read, is
closed and opened again before the query; any other connection is used as it is.

What it does not see: a peer that vanished without a word (a cut cable; `SELECT 1` would hang
on it until the TCP timeout too), and a connection a firewall or NAT forgot while it was idle,
which answers the next packet with a reset: there `SELECT 1` would fail and Django reconnect,
here the request's first query fails. Connections live at most CONN_MAX_AGE (60 s), far below
such idle timeouts. After an error inside a request, Django still checks with `SELECT 1`
(`is_usable`); with a connection pool this is never called, as in Django.

    DATABASES["default"]["ENGINE"] = "config.postgresql"
"""

from __future__ import annotations

import select

from django.db.backends.postgresql import base

# A prepared statement that a migration made stale (another column type: "cached plan must
# not change result type") or that is gone from the server.
_STALE_STATEMENT = {"0A000", "26000"}


class PreparingCursor(base.ServerBindingCursor):
    """Server-side binding, every statement prepared on the server at its first execution."""

    django_connection = None  # the DatabaseWrapper, set by prepared_cursor()

    def execute(self, query, params=None, *, prepare=None, binary=None):
        try:
            return super().execute(query, params, prepare=True, binary=binary)
        except base.Database.Error as error:
            if error.sqlstate not in _STALE_STATEMENT:
                raise
            # psycopg keeps the stale statement: the connection goes at the end of this
            # request (a new one prepares afresh); outside a transaction this query is sent
            # once more, unprepared, so that the request itself still succeeds.
            self.django_connection.close_at = 0
            if not self.django_connection.get_autocommit():
                raise
        return super().execute(query, params, prepare=False, binary=binary)


class DatabaseWrapper(base.DatabaseWrapper):
    def get_new_connection(self, conn_params):
        connection = super().get_new_connection(conn_params)
        # Django turns psycopg's prepared statements off unless OPTIONS names a
        # "prepare_threshold". Only `prepared_cursor` asks for them (prepare=True); the huge
        # threshold keeps psycopg from preparing anything else on its own, and the small cache
        # from keeping the texts of many other queries (it notes every query it sees).
        if "prepare_threshold" not in self.settings_dict.get("OPTIONS", {}):
            connection.prepare_threshold = 2**31 - 1
            connection.prepared_max = 16
        return connection

    def prepared_cursor(self):
        """A cursor like `cursor()` (logged, errors wrapped) whose statements PostgreSQL parses
        once per connection (and, after five runs, plans once): for the few lookups every
        request makes (tenants.prepared), where planning took longer than running them (0.13
        of 0.16 ms for the contract page's). A connection that lives for one request only
        (CONN_MAX_AGE 0) gains nothing: a plain cursor then. Behind PgBouncer in transaction
        mode prepared statements need 1.22.1 or newer with `max_prepared_statements`; or set
        OPTIONS "prepare_threshold": None.
        """
        if self.settings_dict["CONN_MAX_AGE"] == 0:
            return self.cursor()
        self.close_if_health_check_failed()
        self.ensure_connection()
        with self.wrap_database_errors:
            cursor = PreparingCursor(self.connection)
            cursor.django_connection = self
            return self._prepare_cursor(cursor)

    def close_if_health_check_failed(self):
        if (
            self.pool
            or self.connection is None
            or not self.health_check_enabled
            or self.health_check_done
        ):
            return super().close_if_health_check_failed()
        if not self.is_idle_and_open():
            self.close()
        self.health_check_done = True

    def is_idle_and_open(self) -> bool:
        """False if the connection is closed, broken, or the server has sent anything."""
        connection = self.connection
        if connection is None or connection.closed or connection.broken:
            return False
        try:
            poll = select.poll()
            poll.register(connection.fileno(), select.POLLIN | select.POLLPRI)
            return not poll.poll(0)
        except (OSError, ValueError, base.Database.Error):
            return False

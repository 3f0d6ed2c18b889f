"""The persistent PostgreSQL connection: checked before each request without a round trip.

config/postgresql/base.py asks the socket instead of sending `SELECT 1`; these tests watch
what really goes over the wire (libpq's protocol trace) and end the server side of the
connection as a database restart would.
"""

from __future__ import annotations

import time

import psycopg
import pytest
from django.conf import settings
from django.db import DatabaseError, connection, transaction

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL's connection"),
]


@pytest.fixture(autouse=True)
def new_connection():
    """Each test starts on a connection of its own, younger than CONN_MAX_AGE."""
    connection.close()


def _backend_pid() -> int:
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_backend_pid()")
        return cursor.fetchone()[0]


def _next_request() -> None:
    """What Django does when a request starts: the connection is checked again before use."""
    connection.close_if_unusable_or_obsolete()
    assert connection.connection is not None  # kept between requests (CONN_MAX_AGE)
    assert not connection.health_check_done


def _server_side_ends(pid: int) -> None:
    params = connection.get_connection_params()
    with psycopg.connect(**params, autocommit=True) as other:
        assert other.execute("SELECT pg_terminate_backend(%s)", [pid]).fetchone() == (True,)
    deadline = time.monotonic() + 5
    while connection.is_idle_and_open() and time.monotonic() < deadline:
        time.sleep(0.01)  # the server's goodbye reaches the socket


def test_the_portal_uses_the_backend_with_the_socket_check():
    assert settings.DATABASES["default"]["ENGINE"] == "config.postgresql"
    assert settings.DATABASES["default"]["CONN_HEALTH_CHECKS"]


def test_a_request_on_a_healthy_connection_sends_no_select_1(tmp_path):
    pid = _backend_pid()
    _next_request()
    trace = tmp_path / "wire.txt"
    with trace.open("w") as handle:
        connection.connection.pgconn.trace(handle.fileno())
        try:
            assert _backend_pid() == pid  # the same connection, used as it was
        finally:
            connection.connection.pgconn.untrace()
    sent = [line for line in trace.read_text().splitlines() if "\tF\t" in line]  # to the server
    assert len(sent) == 1
    assert "SELECT pg_backend_pid()" in sent[0]  # the request's own query, no health check
    assert connection.health_check_done


def test_a_connection_the_server_ended_is_replaced_before_the_next_query():
    pid = _backend_pid()
    _next_request()
    _server_side_ends(pid)

    assert _backend_pid() != pid  # a new connection, and the query did not fail


def test_a_connection_with_unread_data_from_the_server_counts_as_ended():
    _backend_pid()
    _next_request()
    assert connection.is_idle_and_open()
    connection.connection.pgconn.send_query(b"SELECT 1")  # an answer waits on the socket
    deadline = time.monotonic() + 5
    while connection.is_idle_and_open() and time.monotonic() < deadline:
        time.sleep(0.01)

    assert not connection.is_idle_and_open()
    with connection.cursor() as cursor:  # closed and opened again: no out-of-sync answer
        cursor.execute("SELECT 2")
        assert cursor.fetchone() == (2,)


def test_the_account_lookup_of_every_request_is_prepared_once_per_connection():
    """tenants.prepared: PostgreSQL parses and plans the lookup once, then only executes it."""
    from tenants.backends import user_with_tenant
    from tests.tenants.factories import TenantFactory

    user = TenantFactory().user
    for _ in range(3):
        found = user_with_tenant(user.pk)
        assert (found, found.tenant) == (user, user.tenant)

    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT generic_plans + custom_plans FROM pg_prepared_statements "
            "WHERE statement LIKE '%%tenants_user%%'"
        )
        assert cursor.fetchall() == [(3,)]  # one statement, executed three times


def test_a_lookup_a_migration_made_stale_still_answers_and_the_connection_is_renewed():
    """A deploy migrates while old workers hold prepared statements of the changed table."""
    from tenants.backends import user_with_tenant
    from tests.tenants.factories import TenantFactory

    user = TenantFactory().user
    assert user_with_tenant(user.pk) == user  # prepared on this connection
    params = connection.get_connection_params()

    def first_name_length(length: int) -> None:
        with psycopg.connect(**params, autocommit=True) as other:
            other.execute(
                f"ALTER TABLE tenants_user ALTER COLUMN first_name TYPE varchar({length})"
            )

    first_name_length(151)  # what the statement returns has changed
    try:
        assert user_with_tenant(user.pk) == user  # answered all the same
        assert connection.close_at == 0  # and the connection goes at the end of the request
        with pytest.raises(DatabaseError), transaction.atomic():
            user_with_tenant(user.pk)  # inside a transaction: the error, as any other
    finally:
        first_name_length(150)

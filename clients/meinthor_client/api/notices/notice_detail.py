from http import HTTPStatus
from typing import Any
from urllib.parse import quote

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...models.notice_detail import NoticeDetail
from ...models.problem import Problem
from ...types import Response


def _get_kwargs(
    notice_id: int,
) -> dict[str, Any]:

    _kwargs: dict[str, Any] = {
        "method": "get",
        "url": "/api/v1/notices/{notice_id}".format(
            notice_id=quote(str(notice_id), safe=""),
        ),
    }

    return _kwargs


def _parse_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> NoticeDetail | Problem | None:
    if response.status_code == 200:
        response_200 = NoticeDetail.from_dict(response.json())

        return response_200

    if response.status_code == 401:
        response_401 = Problem.from_dict(response.json())

        return response_401

    if response.status_code == 403:
        response_403 = Problem.from_dict(response.json())

        return response_403

    if response.status_code == 404:
        response_404 = Problem.from_dict(response.json())

        return response_404

    if response.status_code == 429:
        response_429 = Problem.from_dict(response.json())

        return response_429

    if client.raise_on_unexpected_status:
        raise errors.UnexpectedStatus(response.status_code, response.content)
    else:
        return None


def _build_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> Response[NoticeDetail | Problem]:
    return Response(
        status_code=HTTPStatus(response.status_code),
        content=response.content,
        headers=response.headers,
        parsed=_parse_response(client=client, response=response),
    )


def sync_detailed(
    notice_id: int,
    *,
    client: AuthenticatedClient,
) -> Response[NoticeDetail | Problem]:
    """One notice; opening it marks it read

     A notice outside the tenant's buildings, expired or unpublished answers 404. The first
    opening marks it read, as on the page.

    Args:
        notice_id (int):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[NoticeDetail | Problem]
    """

    kwargs = _get_kwargs(
        notice_id=notice_id,
    )

    response = client.get_httpx_client().request(
        **kwargs,
    )

    return _build_response(client=client, response=response)


def sync(
    notice_id: int,
    *,
    client: AuthenticatedClient,
) -> NoticeDetail | Problem | None:
    """One notice; opening it marks it read

     A notice outside the tenant's buildings, expired or unpublished answers 404. The first
    opening marks it read, as on the page.

    Args:
        notice_id (int):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        NoticeDetail | Problem
    """

    return sync_detailed(
        notice_id=notice_id,
        client=client,
    ).parsed


async def asyncio_detailed(
    notice_id: int,
    *,
    client: AuthenticatedClient,
) -> Response[NoticeDetail | Problem]:
    """One notice; opening it marks it read

     A notice outside the tenant's buildings, expired or unpublished answers 404. The first
    opening marks it read, as on the page.

    Args:
        notice_id (int):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[NoticeDetail | Problem]
    """

    kwargs = _get_kwargs(
        notice_id=notice_id,
    )

    response = await client.get_async_httpx_client().request(**kwargs)

    return _build_response(client=client, response=response)


async def asyncio(
    notice_id: int,
    *,
    client: AuthenticatedClient,
) -> NoticeDetail | Problem | None:
    """One notice; opening it marks it read

     A notice outside the tenant's buildings, expired or unpublished answers 404. The first
    opening marks it read, as on the page.

    Args:
        notice_id (int):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        NoticeDetail | Problem
    """

    return (
        await asyncio_detailed(
            notice_id=notice_id,
            client=client,
        )
    ).parsed

from http import HTTPStatus
from typing import Any

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...models.paged_notice_item import PagedNoticeItem
from ...models.problem import Problem
from ...types import UNSET, Response, Unset


def _get_kwargs(
    *,
    page_size: int | None | Unset = UNSET,
    cursor: None | str | Unset = UNSET,
) -> dict[str, Any]:

    params: dict[str, Any] = {}

    json_page_size: int | None | Unset
    if isinstance(page_size, Unset):
        json_page_size = UNSET
    else:
        json_page_size = page_size
    params["page_size"] = json_page_size

    json_cursor: None | str | Unset
    if isinstance(cursor, Unset):
        json_cursor = UNSET
    else:
        json_cursor = cursor
    params["cursor"] = json_cursor

    params = {k: v for k, v in params.items() if v is not UNSET and v is not None}

    _kwargs: dict[str, Any] = {
        "method": "get",
        "url": "/api/v1/notices",
        "params": params,
    }

    return _kwargs


def _parse_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> PagedNoticeItem | Problem | None:
    if response.status_code == 200:
        response_200 = PagedNoticeItem.from_dict(response.json())

        return response_200

    if response.status_code == 401:
        response_401 = Problem.from_dict(response.json())

        return response_401

    if response.status_code == 403:
        response_403 = Problem.from_dict(response.json())

        return response_403

    if response.status_code == 422:
        response_422 = Problem.from_dict(response.json())

        return response_422

    if response.status_code == 429:
        response_429 = Problem.from_dict(response.json())

        return response_429

    if client.raise_on_unexpected_status:
        raise errors.UnexpectedStatus(response.status_code, response.content)
    else:
        return None


def _build_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> Response[PagedNoticeItem | Problem]:
    return Response(
        status_code=HTTPStatus(response.status_code),
        content=response.content,
        headers=response.headers,
        parsed=_parse_response(client=client, response=response),
    )


def sync_detailed(
    *,
    client: AuthenticatedClient,
    page_size: int | None | Unset = UNSET,
    cursor: None | str | Unset = UNSET,
) -> Response[PagedNoticeItem | Problem]:
    """Current notices for the tenant's buildings

     The notices the page "Aushänge" shows: for the tenant's property, their building or all
    properties, published and not expired, for current and upcoming tenancies only (a former
    tenant sees none). Newest first, with whether the account has opened each one.

    Args:
        page_size (int | None | Unset):
        cursor (None | str | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[PagedNoticeItem | Problem]
    """

    kwargs = _get_kwargs(
        page_size=page_size,
        cursor=cursor,
    )

    response = client.get_httpx_client().request(
        **kwargs,
    )

    return _build_response(client=client, response=response)


def sync(
    *,
    client: AuthenticatedClient,
    page_size: int | None | Unset = UNSET,
    cursor: None | str | Unset = UNSET,
) -> PagedNoticeItem | Problem | None:
    """Current notices for the tenant's buildings

     The notices the page "Aushänge" shows: for the tenant's property, their building or all
    properties, published and not expired, for current and upcoming tenancies only (a former
    tenant sees none). Newest first, with whether the account has opened each one.

    Args:
        page_size (int | None | Unset):
        cursor (None | str | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        PagedNoticeItem | Problem
    """

    return sync_detailed(
        client=client,
        page_size=page_size,
        cursor=cursor,
    ).parsed


async def asyncio_detailed(
    *,
    client: AuthenticatedClient,
    page_size: int | None | Unset = UNSET,
    cursor: None | str | Unset = UNSET,
) -> Response[PagedNoticeItem | Problem]:
    """Current notices for the tenant's buildings

     The notices the page "Aushänge" shows: for the tenant's property, their building or all
    properties, published and not expired, for current and upcoming tenancies only (a former
    tenant sees none). Newest first, with whether the account has opened each one.

    Args:
        page_size (int | None | Unset):
        cursor (None | str | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[PagedNoticeItem | Problem]
    """

    kwargs = _get_kwargs(
        page_size=page_size,
        cursor=cursor,
    )

    response = await client.get_async_httpx_client().request(**kwargs)

    return _build_response(client=client, response=response)


async def asyncio(
    *,
    client: AuthenticatedClient,
    page_size: int | None | Unset = UNSET,
    cursor: None | str | Unset = UNSET,
) -> PagedNoticeItem | Problem | None:
    """Current notices for the tenant's buildings

     The notices the page "Aushänge" shows: for the tenant's property, their building or all
    properties, published and not expired, for current and upcoming tenancies only (a former
    tenant sees none). Newest first, with whether the account has opened each one.

    Args:
        page_size (int | None | Unset):
        cursor (None | str | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        PagedNoticeItem | Problem
    """

    return (
        await asyncio_detailed(
            client=client,
            page_size=page_size,
            cursor=cursor,
        )
    ).parsed

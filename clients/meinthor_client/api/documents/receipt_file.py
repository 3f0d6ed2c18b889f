from http import HTTPStatus
from io import BytesIO
from typing import Any, cast
from urllib.parse import quote

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...models.problem import Problem
from ...types import File, Response


def _get_kwargs(
    document_id: int,
    receipt_id: int,
) -> dict[str, Any]:

    _kwargs: dict[str, Any] = {
        "method": "get",
        "url": "/api/v1/documents/{document_id}/receipts/{receipt_id}/file".format(
            document_id=quote(str(document_id), safe=""),
            receipt_id=quote(str(receipt_id), safe=""),
        ),
    }

    return _kwargs


def _parse_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> Any | File | Problem | None:
    if response.status_code == 200:
        response_200 = File(payload=BytesIO(response.content))

        return response_200

    if response.status_code == 302:
        response_302 = cast(Any, None)
        return response_302

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
) -> Response[Any | File | Problem]:
    return Response(
        status_code=HTTPStatus(response.status_code),
        content=response.content,
        headers=response.headers,
        parsed=_parse_response(client=client, response=response),
    )


def sync_detailed(
    document_id: int,
    receipt_id: int,
    *,
    client: AuthenticatedClient,
) -> Response[Any | File | Problem]:
    """Download a receipt

     One receipt, recorded as viewed like on the page. After the inspection period: 403
    ``receipts_expired`` with the page's explanation.

    Args:
        document_id (int):
        receipt_id (int):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[Any | File | Problem]
    """

    kwargs = _get_kwargs(
        document_id=document_id,
        receipt_id=receipt_id,
    )

    response = client.get_httpx_client().request(
        **kwargs,
    )

    return _build_response(client=client, response=response)


def sync(
    document_id: int,
    receipt_id: int,
    *,
    client: AuthenticatedClient,
) -> Any | File | Problem | None:
    """Download a receipt

     One receipt, recorded as viewed like on the page. After the inspection period: 403
    ``receipts_expired`` with the page's explanation.

    Args:
        document_id (int):
        receipt_id (int):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Any | File | Problem
    """

    return sync_detailed(
        document_id=document_id,
        receipt_id=receipt_id,
        client=client,
    ).parsed


async def asyncio_detailed(
    document_id: int,
    receipt_id: int,
    *,
    client: AuthenticatedClient,
) -> Response[Any | File | Problem]:
    """Download a receipt

     One receipt, recorded as viewed like on the page. After the inspection period: 403
    ``receipts_expired`` with the page's explanation.

    Args:
        document_id (int):
        receipt_id (int):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[Any | File | Problem]
    """

    kwargs = _get_kwargs(
        document_id=document_id,
        receipt_id=receipt_id,
    )

    response = await client.get_async_httpx_client().request(**kwargs)

    return _build_response(client=client, response=response)


async def asyncio(
    document_id: int,
    receipt_id: int,
    *,
    client: AuthenticatedClient,
) -> Any | File | Problem | None:
    """Download a receipt

     One receipt, recorded as viewed like on the page. After the inspection period: 403
    ``receipts_expired`` with the page's explanation.

    Args:
        document_id (int):
        receipt_id (int):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Any | File | Problem
    """

    return (
        await asyncio_detailed(
            document_id=document_id,
            receipt_id=receipt_id,
            client=client,
        )
    ).parsed

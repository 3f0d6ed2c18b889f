from http import HTTPStatus
from typing import Any

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...models.document_list_kind_type_0 import DocumentListKindType0
from ...models.paged_document_out import PagedDocumentOut
from ...models.problem import Problem
from ...types import UNSET, Response, Unset


def _get_kwargs(
    *,
    kind: DocumentListKindType0 | None | Unset = UNSET,
    page_size: int | None | Unset = UNSET,
    cursor: None | str | Unset = UNSET,
) -> dict[str, Any]:

    params: dict[str, Any] = {}

    json_kind: None | str | Unset
    if isinstance(kind, Unset):
        json_kind = UNSET
    elif isinstance(kind, DocumentListKindType0):
        json_kind = kind.value
    else:
        json_kind = kind
    params["kind"] = json_kind

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
        "url": "/api/v1/documents",
        "params": params,
    }

    return _kwargs


def _parse_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> PagedDocumentOut | Problem | None:
    if response.status_code == 200:
        response_200 = PagedDocumentOut.from_dict(response.json())

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
) -> Response[PagedDocumentOut | Problem]:
    return Response(
        status_code=HTTPStatus(response.status_code),
        content=response.content,
        headers=response.headers,
        parsed=_parse_response(client=client, response=response),
    )


def sync_detailed(
    *,
    client: AuthenticatedClient,
    kind: DocumentListKindType0 | None | Unset = UNSET,
    page_size: int | None | Unset = UNSET,
    cursor: None | str | Unset = UNSET,
) -> Response[PagedDocumentOut | Problem]:
    """My documents

     The documents provided to the tenant, newest first, like the page "Meine Dokumente".

    ``new`` is true until the document was opened once (in the portal or the app). Stable
    cursors: a document provided while paging appears on a fresh first page, never twice.

    Args:
        kind (DocumentListKindType0 | None | Unset): Only documents of this kind
        page_size (int | None | Unset):
        cursor (None | str | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[PagedDocumentOut | Problem]
    """

    kwargs = _get_kwargs(
        kind=kind,
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
    kind: DocumentListKindType0 | None | Unset = UNSET,
    page_size: int | None | Unset = UNSET,
    cursor: None | str | Unset = UNSET,
) -> PagedDocumentOut | Problem | None:
    """My documents

     The documents provided to the tenant, newest first, like the page "Meine Dokumente".

    ``new`` is true until the document was opened once (in the portal or the app). Stable
    cursors: a document provided while paging appears on a fresh first page, never twice.

    Args:
        kind (DocumentListKindType0 | None | Unset): Only documents of this kind
        page_size (int | None | Unset):
        cursor (None | str | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        PagedDocumentOut | Problem
    """

    return sync_detailed(
        client=client,
        kind=kind,
        page_size=page_size,
        cursor=cursor,
    ).parsed


async def asyncio_detailed(
    *,
    client: AuthenticatedClient,
    kind: DocumentListKindType0 | None | Unset = UNSET,
    page_size: int | None | Unset = UNSET,
    cursor: None | str | Unset = UNSET,
) -> Response[PagedDocumentOut | Problem]:
    """My documents

     The documents provided to the tenant, newest first, like the page "Meine Dokumente".

    ``new`` is true until the document was opened once (in the portal or the app). Stable
    cursors: a document provided while paging appears on a fresh first page, never twice.

    Args:
        kind (DocumentListKindType0 | None | Unset): Only documents of this kind
        page_size (int | None | Unset):
        cursor (None | str | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[PagedDocumentOut | Problem]
    """

    kwargs = _get_kwargs(
        kind=kind,
        page_size=page_size,
        cursor=cursor,
    )

    response = await client.get_async_httpx_client().request(**kwargs)

    return _build_response(client=client, response=response)


async def asyncio(
    *,
    client: AuthenticatedClient,
    kind: DocumentListKindType0 | None | Unset = UNSET,
    page_size: int | None | Unset = UNSET,
    cursor: None | str | Unset = UNSET,
) -> PagedDocumentOut | Problem | None:
    """My documents

     The documents provided to the tenant, newest first, like the page "Meine Dokumente".

    ``new`` is true until the document was opened once (in the portal or the app). Stable
    cursors: a document provided while paging appears on a fresh first page, never twice.

    Args:
        kind (DocumentListKindType0 | None | Unset): Only documents of this kind
        page_size (int | None | Unset):
        cursor (None | str | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        PagedDocumentOut | Problem
    """

    return (
        await asyncio_detailed(
            client=client,
            kind=kind,
            page_size=page_size,
            cursor=cursor,
        )
    ).parsed

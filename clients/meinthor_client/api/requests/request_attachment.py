from http import HTTPStatus
from io import BytesIO
from typing import Any
from urllib.parse import quote

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...models.problem import Problem
from ...types import UNSET, File, Response, Unset


def _get_kwargs(
    reference: str,
    attachment_id: int,
    *,
    thumbnail: bool | Unset = False,
) -> dict[str, Any]:

    params: dict[str, Any] = {}

    params["thumbnail"] = thumbnail

    params = {k: v for k, v in params.items() if v is not UNSET and v is not None}

    _kwargs: dict[str, Any] = {
        "method": "get",
        "url": "/api/v1/requests/{reference}/attachments/{attachment_id}".format(
            reference=quote(str(reference), safe=""),
            attachment_id=quote(str(attachment_id), safe=""),
        ),
        "params": params,
    }

    return _kwargs


def _parse_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> File | Problem | None:
    if response.status_code == 200:
        response_200 = File(payload=BytesIO(response.content))

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
) -> Response[File | Problem]:
    return Response(
        status_code=HTTPStatus(response.status_code),
        content=response.content,
        headers=response.headers,
        parsed=_parse_response(client=client, response=response),
    )


def sync_detailed(
    reference: str,
    attachment_id: int,
    *,
    client: AuthenticatedClient,
    thumbnail: bool | Unset = False,
) -> Response[File | Problem]:
    """A file of a request

     A photo or document of the request, through the page's access check; photos also as a
    small JPEG preview.

    Args:
        reference (str):
        attachment_id (int):
        thumbnail (bool | Unset):  Default: False.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[File | Problem]
    """

    kwargs = _get_kwargs(
        reference=reference,
        attachment_id=attachment_id,
        thumbnail=thumbnail,
    )

    response = client.get_httpx_client().request(
        **kwargs,
    )

    return _build_response(client=client, response=response)


def sync(
    reference: str,
    attachment_id: int,
    *,
    client: AuthenticatedClient,
    thumbnail: bool | Unset = False,
) -> File | Problem | None:
    """A file of a request

     A photo or document of the request, through the page's access check; photos also as a
    small JPEG preview.

    Args:
        reference (str):
        attachment_id (int):
        thumbnail (bool | Unset):  Default: False.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        File | Problem
    """

    return sync_detailed(
        reference=reference,
        attachment_id=attachment_id,
        client=client,
        thumbnail=thumbnail,
    ).parsed


async def asyncio_detailed(
    reference: str,
    attachment_id: int,
    *,
    client: AuthenticatedClient,
    thumbnail: bool | Unset = False,
) -> Response[File | Problem]:
    """A file of a request

     A photo or document of the request, through the page's access check; photos also as a
    small JPEG preview.

    Args:
        reference (str):
        attachment_id (int):
        thumbnail (bool | Unset):  Default: False.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[File | Problem]
    """

    kwargs = _get_kwargs(
        reference=reference,
        attachment_id=attachment_id,
        thumbnail=thumbnail,
    )

    response = await client.get_async_httpx_client().request(**kwargs)

    return _build_response(client=client, response=response)


async def asyncio(
    reference: str,
    attachment_id: int,
    *,
    client: AuthenticatedClient,
    thumbnail: bool | Unset = False,
) -> File | Problem | None:
    """A file of a request

     A photo or document of the request, through the page's access check; photos also as a
    small JPEG preview.

    Args:
        reference (str):
        attachment_id (int):
        thumbnail (bool | Unset):  Default: False.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        File | Problem
    """

    return (
        await asyncio_detailed(
            reference=reference,
            attachment_id=attachment_id,
            client=client,
            thumbnail=thumbnail,
        )
    ).parsed

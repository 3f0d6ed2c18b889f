from http import HTTPStatus
from typing import Any

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...models.problem import Problem
from ...models.request_create_multi_part_body_params import RequestCreateMultiPartBodyParams
from ...models.request_detail import RequestDetail
from ...types import Response


def _get_kwargs(
    *,
    body: RequestCreateMultiPartBodyParams,
) -> dict[str, Any]:
    headers: dict[str, Any] = {}

    _kwargs: dict[str, Any] = {
        "method": "post",
        "url": "/api/v1/requests",
    }

    _kwargs["files"] = body.to_multipart()

    headers["Content-Type"] = "multipart/form-data; boundary=+++"

    _kwargs["headers"] = headers
    return _kwargs


def _parse_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> Problem | RequestDetail | None:
    if response.status_code == 201:
        response_201 = RequestDetail.from_dict(response.json())

        return response_201

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
) -> Response[Problem | RequestDetail]:
    return Response(
        status_code=HTTPStatus(response.status_code),
        content=response.content,
        headers=response.headers,
        parsed=_parse_response(client=client, response=response),
    )


def sync_detailed(
    *,
    client: AuthenticatedClient,
    body: RequestCreateMultiPartBodyParams,
) -> Response[Problem | RequestDetail]:
    """Send a request or damage report (with photos)

     A new request as on the page: validated by its form (up to 5 photos or PDFs of at most
    10 MB each, checked by their content; nothing is saved on an error), saved with a
    reference, routed to the responsible clerk and confirmed by e-mail.

    Args:
        body (RequestCreateMultiPartBodyParams):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[Problem | RequestDetail]
    """

    kwargs = _get_kwargs(
        body=body,
    )

    response = client.get_httpx_client().request(
        **kwargs,
    )

    return _build_response(client=client, response=response)


def sync(
    *,
    client: AuthenticatedClient,
    body: RequestCreateMultiPartBodyParams,
) -> Problem | RequestDetail | None:
    """Send a request or damage report (with photos)

     A new request as on the page: validated by its form (up to 5 photos or PDFs of at most
    10 MB each, checked by their content; nothing is saved on an error), saved with a
    reference, routed to the responsible clerk and confirmed by e-mail.

    Args:
        body (RequestCreateMultiPartBodyParams):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Problem | RequestDetail
    """

    return sync_detailed(
        client=client,
        body=body,
    ).parsed


async def asyncio_detailed(
    *,
    client: AuthenticatedClient,
    body: RequestCreateMultiPartBodyParams,
) -> Response[Problem | RequestDetail]:
    """Send a request or damage report (with photos)

     A new request as on the page: validated by its form (up to 5 photos or PDFs of at most
    10 MB each, checked by their content; nothing is saved on an error), saved with a
    reference, routed to the responsible clerk and confirmed by e-mail.

    Args:
        body (RequestCreateMultiPartBodyParams):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[Problem | RequestDetail]
    """

    kwargs = _get_kwargs(
        body=body,
    )

    response = await client.get_async_httpx_client().request(**kwargs)

    return _build_response(client=client, response=response)


async def asyncio(
    *,
    client: AuthenticatedClient,
    body: RequestCreateMultiPartBodyParams,
) -> Problem | RequestDetail | None:
    """Send a request or damage report (with photos)

     A new request as on the page: validated by its form (up to 5 photos or PDFs of at most
    10 MB each, checked by their content; nothing is saved on an error), saved with a
    reference, routed to the responsible clerk and confirmed by e-mail.

    Args:
        body (RequestCreateMultiPartBodyParams):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Problem | RequestDetail
    """

    return (
        await asyncio_detailed(
            client=client,
            body=body,
        )
    ).parsed

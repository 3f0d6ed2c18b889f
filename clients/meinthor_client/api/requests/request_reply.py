from http import HTTPStatus
from typing import Any
from urllib.parse import quote

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...models.problem import Problem
from ...models.request_detail import RequestDetail
from ...models.request_reply_multi_part_body_params import RequestReplyMultiPartBodyParams
from ...types import Response


def _get_kwargs(
    reference: str,
    *,
    body: RequestReplyMultiPartBodyParams,
) -> dict[str, Any]:
    headers: dict[str, Any] = {}

    _kwargs: dict[str, Any] = {
        "method": "post",
        "url": "/api/v1/requests/{reference}/messages".format(
            reference=quote(str(reference), safe=""),
        ),
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

    if response.status_code == 404:
        response_404 = Problem.from_dict(response.json())

        return response_404

    if response.status_code == 409:
        response_409 = Problem.from_dict(response.json())

        return response_409

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
    reference: str,
    *,
    client: AuthenticatedClient,
    body: RequestReplyMultiPartBodyParams,
) -> Response[Problem | RequestDetail]:
    """Answer a request (with photos)

     The tenant's answer, as on the request's page: refused once the request is done (409
    ``closed``); files count towards the request's limit.

    Args:
        reference (str):
        body (RequestReplyMultiPartBodyParams):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[Problem | RequestDetail]
    """

    kwargs = _get_kwargs(
        reference=reference,
        body=body,
    )

    response = client.get_httpx_client().request(
        **kwargs,
    )

    return _build_response(client=client, response=response)


def sync(
    reference: str,
    *,
    client: AuthenticatedClient,
    body: RequestReplyMultiPartBodyParams,
) -> Problem | RequestDetail | None:
    """Answer a request (with photos)

     The tenant's answer, as on the request's page: refused once the request is done (409
    ``closed``); files count towards the request's limit.

    Args:
        reference (str):
        body (RequestReplyMultiPartBodyParams):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Problem | RequestDetail
    """

    return sync_detailed(
        reference=reference,
        client=client,
        body=body,
    ).parsed


async def asyncio_detailed(
    reference: str,
    *,
    client: AuthenticatedClient,
    body: RequestReplyMultiPartBodyParams,
) -> Response[Problem | RequestDetail]:
    """Answer a request (with photos)

     The tenant's answer, as on the request's page: refused once the request is done (409
    ``closed``); files count towards the request's limit.

    Args:
        reference (str):
        body (RequestReplyMultiPartBodyParams):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[Problem | RequestDetail]
    """

    kwargs = _get_kwargs(
        reference=reference,
        body=body,
    )

    response = await client.get_async_httpx_client().request(**kwargs)

    return _build_response(client=client, response=response)


async def asyncio(
    reference: str,
    *,
    client: AuthenticatedClient,
    body: RequestReplyMultiPartBodyParams,
) -> Problem | RequestDetail | None:
    """Answer a request (with photos)

     The tenant's answer, as on the request's page: refused once the request is done (409
    ``closed``); files count towards the request's limit.

    Args:
        reference (str):
        body (RequestReplyMultiPartBodyParams):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Problem | RequestDetail
    """

    return (
        await asyncio_detailed(
            reference=reference,
            client=client,
            body=body,
        )
    ).parsed

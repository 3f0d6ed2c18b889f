from http import HTTPStatus
from typing import Any

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...models.code_checked import CodeChecked
from ...models.code_in import CodeIn
from ...models.problem import Problem
from ...types import Response


def _get_kwargs(
    *,
    body: CodeIn,
) -> dict[str, Any]:
    headers: dict[str, Any] = {}

    _kwargs: dict[str, Any] = {
        "method": "post",
        "url": "/api/v1/registration/check",
    }

    _kwargs["json"] = body.to_dict()

    headers["Content-Type"] = "application/json"

    _kwargs["headers"] = headers
    return _kwargs


def _parse_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> CodeChecked | Problem | None:
    if response.status_code == 200:
        response_200 = CodeChecked.from_dict(response.json())

        return response_200

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
) -> Response[CodeChecked | Problem]:
    return Response(
        status_code=HTTPStatus(response.status_code),
        content=response.content,
        headers=response.headers,
        parsed=_parse_response(client=client, response=response),
    )


def sync_detailed(
    *,
    client: AuthenticatedClient | Client,
    body: CodeIn,
) -> Response[CodeChecked | Problem]:
    """Step 1: check the letter's code and the last name

     As on the page: the code as typed (case, hyphens, O/0 and I/1 do not matter), the last
    name or the whole name as in the letter's address field. A wrong code and a wrong name give
    the same 422 ``code_invalid``; only when both match does the answer say that the code is
    used, revoked, locked or expired (409). Every answer takes the same minimum time; too many
    attempts per address or code give 429. On success: the registration token for the next steps.

    Args:
        body (CodeIn):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[CodeChecked | Problem]
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
    client: AuthenticatedClient | Client,
    body: CodeIn,
) -> CodeChecked | Problem | None:
    """Step 1: check the letter's code and the last name

     As on the page: the code as typed (case, hyphens, O/0 and I/1 do not matter), the last
    name or the whole name as in the letter's address field. A wrong code and a wrong name give
    the same 422 ``code_invalid``; only when both match does the answer say that the code is
    used, revoked, locked or expired (409). Every answer takes the same minimum time; too many
    attempts per address or code give 429. On success: the registration token for the next steps.

    Args:
        body (CodeIn):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        CodeChecked | Problem
    """

    return sync_detailed(
        client=client,
        body=body,
    ).parsed


async def asyncio_detailed(
    *,
    client: AuthenticatedClient | Client,
    body: CodeIn,
) -> Response[CodeChecked | Problem]:
    """Step 1: check the letter's code and the last name

     As on the page: the code as typed (case, hyphens, O/0 and I/1 do not matter), the last
    name or the whole name as in the letter's address field. A wrong code and a wrong name give
    the same 422 ``code_invalid``; only when both match does the answer say that the code is
    used, revoked, locked or expired (409). Every answer takes the same minimum time; too many
    attempts per address or code give 429. On success: the registration token for the next steps.

    Args:
        body (CodeIn):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[CodeChecked | Problem]
    """

    kwargs = _get_kwargs(
        body=body,
    )

    response = await client.get_async_httpx_client().request(**kwargs)

    return _build_response(client=client, response=response)


async def asyncio(
    *,
    client: AuthenticatedClient | Client,
    body: CodeIn,
) -> CodeChecked | Problem | None:
    """Step 1: check the letter's code and the last name

     As on the page: the code as typed (case, hyphens, O/0 and I/1 do not matter), the last
    name or the whole name as in the letter's address field. A wrong code and a wrong name give
    the same 422 ``code_invalid``; only when both match does the answer say that the code is
    used, revoked, locked or expired (409). Every answer takes the same minimum time; too many
    attempts per address or code give 429. On success: the registration token for the next steps.

    Args:
        body (CodeIn):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        CodeChecked | Problem
    """

    return (
        await asyncio_detailed(
            client=client,
            body=body,
        )
    ).parsed

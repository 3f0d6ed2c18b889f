from http import HTTPStatus
from typing import Any

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...models.confirm_in import ConfirmIn
from ...models.problem import Problem
from ...models.welcome import Welcome
from ...types import Response


def _get_kwargs(
    *,
    body: ConfirmIn,
) -> dict[str, Any]:
    headers: dict[str, Any] = {}

    _kwargs: dict[str, Any] = {
        "method": "post",
        "url": "/api/v1/registration/confirm",
    }

    _kwargs["json"] = body.to_dict()

    headers["Content-Type"] = "application/json"

    _kwargs["headers"] = headers
    return _kwargs


def _parse_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> Problem | Welcome | None:
    if response.status_code == 200:
        response_200 = Welcome.from_dict(response.json())

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
) -> Response[Problem | Welcome]:
    return Response(
        status_code=HTTPStatus(response.status_code),
        content=response.content,
        headers=response.headers,
        parsed=_parse_response(client=client, response=response),
    )


def sync_detailed(
    *,
    client: AuthenticatedClient | Client,
    body: ConfirmIn,
) -> Response[Problem | Welcome]:
    """Step 3: the six-digit code from the e-mail; signs the app in

     The code from the e-mail (spaces do not matter). A wrong code is 422 on
    ``confirmation_code``; after too many, or once the code has expired, 409 (the link in the
    e-mail still works). On success the account is linked to the tenancy and the app is signed
    in: ``session_token`` goes into the ``X-Session-Token`` header from now on.

    Args:
        body (ConfirmIn):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[Problem | Welcome]
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
    body: ConfirmIn,
) -> Problem | Welcome | None:
    """Step 3: the six-digit code from the e-mail; signs the app in

     The code from the e-mail (spaces do not matter). A wrong code is 422 on
    ``confirmation_code``; after too many, or once the code has expired, 409 (the link in the
    e-mail still works). On success the account is linked to the tenancy and the app is signed
    in: ``session_token`` goes into the ``X-Session-Token`` header from now on.

    Args:
        body (ConfirmIn):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Problem | Welcome
    """

    return sync_detailed(
        client=client,
        body=body,
    ).parsed


async def asyncio_detailed(
    *,
    client: AuthenticatedClient | Client,
    body: ConfirmIn,
) -> Response[Problem | Welcome]:
    """Step 3: the six-digit code from the e-mail; signs the app in

     The code from the e-mail (spaces do not matter). A wrong code is 422 on
    ``confirmation_code``; after too many, or once the code has expired, 409 (the link in the
    e-mail still works). On success the account is linked to the tenancy and the app is signed
    in: ``session_token`` goes into the ``X-Session-Token`` header from now on.

    Args:
        body (ConfirmIn):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[Problem | Welcome]
    """

    kwargs = _get_kwargs(
        body=body,
    )

    response = await client.get_async_httpx_client().request(**kwargs)

    return _build_response(client=client, response=response)


async def asyncio(
    *,
    client: AuthenticatedClient | Client,
    body: ConfirmIn,
) -> Problem | Welcome | None:
    """Step 3: the six-digit code from the e-mail; signs the app in

     The code from the e-mail (spaces do not matter). A wrong code is 422 on
    ``confirmation_code``; after too many, or once the code has expired, 409 (the link in the
    e-mail still works). On success the account is linked to the tenancy and the app is signed
    in: ``session_token`` goes into the ``X-Session-Token`` header from now on.

    Args:
        body (ConfirmIn):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Problem | Welcome
    """

    return (
        await asyncio_detailed(
            client=client,
            body=body,
        )
    ).parsed

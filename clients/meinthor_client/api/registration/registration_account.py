from http import HTTPStatus
from typing import Any

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...models.account_created import AccountCreated
from ...models.account_in import AccountIn
from ...models.problem import Problem
from ...types import Response


def _get_kwargs(
    *,
    body: AccountIn,
) -> dict[str, Any]:
    headers: dict[str, Any] = {}

    _kwargs: dict[str, Any] = {
        "method": "post",
        "url": "/api/v1/registration/account",
    }

    _kwargs["json"] = body.to_dict()

    headers["Content-Type"] = "application/json"

    _kwargs["headers"] = headers
    return _kwargs


def _parse_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> AccountCreated | Problem | None:
    if response.status_code == 200:
        response_200 = AccountCreated.from_dict(response.json())

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
) -> Response[AccountCreated | Problem]:
    return Response(
        status_code=HTTPStatus(response.status_code),
        content=response.content,
        headers=response.headers,
        parsed=_parse_response(client=client, response=response),
    )


def sync_detailed(
    *,
    client: AuthenticatedClient | Client,
    body: AccountIn,
) -> Response[AccountCreated | Problem]:
    """Step 2: e-mail address, password, terms, paperless, language

     Creates the account, not yet usable, and sends the e-mail with the six-digit code and
    the link. The answer is the same whether or not the address was free (the owner of a taken
    address gets a notice instead). ``language`` is the account's (default: the app's).

    Args:
        body (AccountIn):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[AccountCreated | Problem]
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
    body: AccountIn,
) -> AccountCreated | Problem | None:
    """Step 2: e-mail address, password, terms, paperless, language

     Creates the account, not yet usable, and sends the e-mail with the six-digit code and
    the link. The answer is the same whether or not the address was free (the owner of a taken
    address gets a notice instead). ``language`` is the account's (default: the app's).

    Args:
        body (AccountIn):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        AccountCreated | Problem
    """

    return sync_detailed(
        client=client,
        body=body,
    ).parsed


async def asyncio_detailed(
    *,
    client: AuthenticatedClient | Client,
    body: AccountIn,
) -> Response[AccountCreated | Problem]:
    """Step 2: e-mail address, password, terms, paperless, language

     Creates the account, not yet usable, and sends the e-mail with the six-digit code and
    the link. The answer is the same whether or not the address was free (the owner of a taken
    address gets a notice instead). ``language`` is the account's (default: the app's).

    Args:
        body (AccountIn):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[AccountCreated | Problem]
    """

    kwargs = _get_kwargs(
        body=body,
    )

    response = await client.get_async_httpx_client().request(**kwargs)

    return _build_response(client=client, response=response)


async def asyncio(
    *,
    client: AuthenticatedClient | Client,
    body: AccountIn,
) -> AccountCreated | Problem | None:
    """Step 2: e-mail address, password, terms, paperless, language

     Creates the account, not yet usable, and sends the e-mail with the six-digit code and
    the link. The answer is the same whether or not the address was free (the owner of a taken
    address gets a notice instead). ``language`` is the account's (default: the app's).

    Args:
        body (AccountIn):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        AccountCreated | Problem
    """

    return (
        await asyncio_detailed(
            client=client,
            body=body,
        )
    ).parsed

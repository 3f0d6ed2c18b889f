from http import HTTPStatus
from typing import Any

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...models.confirm_link_in import ConfirmLinkIn
from ...models.problem import Problem
from ...models.welcome import Welcome
from ...types import Response


def _get_kwargs(
    *,
    body: ConfirmLinkIn,
) -> dict[str, Any]:
    headers: dict[str, Any] = {}

    _kwargs: dict[str, Any] = {
        "method": "post",
        "url": "/api/v1/registration/confirm-link",
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
    body: ConfirmLinkIn,
) -> Response[Problem | Welcome]:
    """Step 3 by the e-mail's link (opened in the app); signs the app in

     The key of the link ``/registrieren/bestaetigen/<key>/`` from the e-mail, for an app
    that opens the link itself. No registration token: the key is the proof. An unknown, used
    or outdated key gives 409 ``invalid_link``.

    Args:
        body (ConfirmLinkIn):

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
    body: ConfirmLinkIn,
) -> Problem | Welcome | None:
    """Step 3 by the e-mail's link (opened in the app); signs the app in

     The key of the link ``/registrieren/bestaetigen/<key>/`` from the e-mail, for an app
    that opens the link itself. No registration token: the key is the proof. An unknown, used
    or outdated key gives 409 ``invalid_link``.

    Args:
        body (ConfirmLinkIn):

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
    body: ConfirmLinkIn,
) -> Response[Problem | Welcome]:
    """Step 3 by the e-mail's link (opened in the app); signs the app in

     The key of the link ``/registrieren/bestaetigen/<key>/`` from the e-mail, for an app
    that opens the link itself. No registration token: the key is the proof. An unknown, used
    or outdated key gives 409 ``invalid_link``.

    Args:
        body (ConfirmLinkIn):

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
    body: ConfirmLinkIn,
) -> Problem | Welcome | None:
    """Step 3 by the e-mail's link (opened in the app); signs the app in

     The key of the link ``/registrieren/bestaetigen/<key>/`` from the e-mail, for an app
    that opens the link itself. No registration token: the key is the proof. An unknown, used
    or outdated key gives 409 ``invalid_link``.

    Args:
        body (ConfirmLinkIn):

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

from http import HTTPStatus
from typing import Any
from urllib.parse import quote

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...models.bank_change_out import BankChangeOut
from ...models.problem import Problem
from ...types import Response


def _get_kwargs(
    contract_number: str,
    bank_change_id: int,
) -> dict[str, Any]:

    _kwargs: dict[str, Any] = {
        "method": "post",
        "url": "/api/v1/contracts/{contract_number}/bank-changes/{bank_change_id}/withdraw".format(
            contract_number=quote(str(contract_number), safe=""),
            bank_change_id=quote(str(bank_change_id), safe=""),
        ),
    }

    return _kwargs


def _parse_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> BankChangeOut | Problem | None:
    if response.status_code == 200:
        response_200 = BankChangeOut.from_dict(response.json())

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

    if response.status_code == 409:
        response_409 = Problem.from_dict(response.json())

        return response_409

    if response.status_code == 429:
        response_429 = Problem.from_dict(response.json())

        return response_429

    if client.raise_on_unexpected_status:
        raise errors.UnexpectedStatus(response.status_code, response.content)
    else:
        return None


def _build_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> Response[BankChangeOut | Problem]:
    return Response(
        status_code=HTTPStatus(response.status_code),
        content=response.content,
        headers=response.headers,
        parsed=_parse_response(client=client, response=response),
    )


def sync_detailed(
    contract_number: str,
    bank_change_id: int,
    *,
    client: AuthenticatedClient,
) -> Response[BankChangeOut | Problem]:
    """Withdraw a change of bank details

     Until it is processed, as on the page; nothing changes then. 409 ``not_open`` once it
    has been processed.

    Args:
        contract_number (str):
        bank_change_id (int):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[BankChangeOut | Problem]
    """

    kwargs = _get_kwargs(
        contract_number=contract_number,
        bank_change_id=bank_change_id,
    )

    response = client.get_httpx_client().request(
        **kwargs,
    )

    return _build_response(client=client, response=response)


def sync(
    contract_number: str,
    bank_change_id: int,
    *,
    client: AuthenticatedClient,
) -> BankChangeOut | Problem | None:
    """Withdraw a change of bank details

     Until it is processed, as on the page; nothing changes then. 409 ``not_open`` once it
    has been processed.

    Args:
        contract_number (str):
        bank_change_id (int):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        BankChangeOut | Problem
    """

    return sync_detailed(
        contract_number=contract_number,
        bank_change_id=bank_change_id,
        client=client,
    ).parsed


async def asyncio_detailed(
    contract_number: str,
    bank_change_id: int,
    *,
    client: AuthenticatedClient,
) -> Response[BankChangeOut | Problem]:
    """Withdraw a change of bank details

     Until it is processed, as on the page; nothing changes then. 409 ``not_open`` once it
    has been processed.

    Args:
        contract_number (str):
        bank_change_id (int):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[BankChangeOut | Problem]
    """

    kwargs = _get_kwargs(
        contract_number=contract_number,
        bank_change_id=bank_change_id,
    )

    response = await client.get_async_httpx_client().request(**kwargs)

    return _build_response(client=client, response=response)


async def asyncio(
    contract_number: str,
    bank_change_id: int,
    *,
    client: AuthenticatedClient,
) -> BankChangeOut | Problem | None:
    """Withdraw a change of bank details

     Until it is processed, as on the page; nothing changes then. 409 ``not_open`` once it
    has been processed.

    Args:
        contract_number (str):
        bank_change_id (int):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        BankChangeOut | Problem
    """

    return (
        await asyncio_detailed(
            contract_number=contract_number,
            bank_change_id=bank_change_id,
            client=client,
        )
    ).parsed

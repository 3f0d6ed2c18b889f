from http import HTTPStatus
from typing import Any
from urllib.parse import quote

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...models.contract_detail import ContractDetail
from ...models.problem import Problem
from ...types import Response


def _get_kwargs(
    contract_number: str,
) -> dict[str, Any]:

    _kwargs: dict[str, Any] = {
        "method": "get",
        "url": "/api/v1/contracts/{contract_number}".format(
            contract_number=quote(str(contract_number), safe=""),
        ),
    }

    return _kwargs


def _parse_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> ContractDetail | Problem | None:
    if response.status_code == 200:
        response_200 = ContractDetail.from_dict(response.json())

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
) -> Response[ContractDetail | Problem]:
    return Response(
        status_code=HTTPStatus(response.status_code),
        content=response.content,
        headers=response.headers,
        parsed=_parse_response(client=client, response=response),
    )


def sync_detailed(
    contract_number: str,
    *,
    client: AuthenticatedClient,
) -> Response[ContractDetail | Problem]:
    """One contract

     The contract page: rent, contract partners, bank details (IBAN masked) with an approved
    or pending change, the rent account's balance and the contact persons of the property.

    Args:
        contract_number (str):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[ContractDetail | Problem]
    """

    kwargs = _get_kwargs(
        contract_number=contract_number,
    )

    response = client.get_httpx_client().request(
        **kwargs,
    )

    return _build_response(client=client, response=response)


def sync(
    contract_number: str,
    *,
    client: AuthenticatedClient,
) -> ContractDetail | Problem | None:
    """One contract

     The contract page: rent, contract partners, bank details (IBAN masked) with an approved
    or pending change, the rent account's balance and the contact persons of the property.

    Args:
        contract_number (str):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        ContractDetail | Problem
    """

    return sync_detailed(
        contract_number=contract_number,
        client=client,
    ).parsed


async def asyncio_detailed(
    contract_number: str,
    *,
    client: AuthenticatedClient,
) -> Response[ContractDetail | Problem]:
    """One contract

     The contract page: rent, contract partners, bank details (IBAN masked) with an approved
    or pending change, the rent account's balance and the contact persons of the property.

    Args:
        contract_number (str):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[ContractDetail | Problem]
    """

    kwargs = _get_kwargs(
        contract_number=contract_number,
    )

    response = await client.get_async_httpx_client().request(**kwargs)

    return _build_response(client=client, response=response)


async def asyncio(
    contract_number: str,
    *,
    client: AuthenticatedClient,
) -> ContractDetail | Problem | None:
    """One contract

     The contract page: rent, contract partners, bank details (IBAN masked) with an approved
    or pending change, the rent account's balance and the contact persons of the property.

    Args:
        contract_number (str):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        ContractDetail | Problem
    """

    return (
        await asyncio_detailed(
            contract_number=contract_number,
            client=client,
        )
    ).parsed

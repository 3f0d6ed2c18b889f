from http import HTTPStatus
from typing import Any
from urllib.parse import quote

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...models.bank_change_in import BankChangeIn
from ...models.bank_change_out import BankChangeOut
from ...models.problem import Problem
from ...types import Response


def _get_kwargs(
    contract_number: str,
    *,
    body: BankChangeIn,
) -> dict[str, Any]:
    headers: dict[str, Any] = {}

    _kwargs: dict[str, Any] = {
        "method": "post",
        "url": "/api/v1/contracts/{contract_number}/bank-changes".format(
            contract_number=quote(str(contract_number), safe=""),
        ),
    }

    _kwargs["json"] = body.to_dict()

    headers["Content-Type"] = "application/json"

    _kwargs["headers"] = headers
    return _kwargs


def _parse_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> BankChangeOut | Problem | None:
    if response.status_code == 201:
        response_201 = BankChangeOut.from_dict(response.json())

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
) -> Response[BankChangeOut | Problem]:
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
    body: BankChangeIn,
) -> Response[BankChangeOut | Problem]:
    """Change the bank details (new SEPA mandate)

     Send new bank details with the consent to the SEPA mandate, as the page's form does.

    A change still open is replaced by the new one (as on the page). Refused after the
    tenancy (403 ``read_only``) and for an ended contract (409 ``contract_ended``); 409
    ``reference_changed`` when a contract partner sent a change since the check (check again,
    consent again). The mandate copy goes into "Meine Dokumente" and a confirmation e-mail is
    sent. The answer names the month the new account takes effect.

    Args:
        contract_number (str):
        body (BankChangeIn): The fields of the page's form "Bankverbindung ändern".

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[BankChangeOut | Problem]
    """

    kwargs = _get_kwargs(
        contract_number=contract_number,
        body=body,
    )

    response = client.get_httpx_client().request(
        **kwargs,
    )

    return _build_response(client=client, response=response)


def sync(
    contract_number: str,
    *,
    client: AuthenticatedClient,
    body: BankChangeIn,
) -> BankChangeOut | Problem | None:
    """Change the bank details (new SEPA mandate)

     Send new bank details with the consent to the SEPA mandate, as the page's form does.

    A change still open is replaced by the new one (as on the page). Refused after the
    tenancy (403 ``read_only``) and for an ended contract (409 ``contract_ended``); 409
    ``reference_changed`` when a contract partner sent a change since the check (check again,
    consent again). The mandate copy goes into "Meine Dokumente" and a confirmation e-mail is
    sent. The answer names the month the new account takes effect.

    Args:
        contract_number (str):
        body (BankChangeIn): The fields of the page's form "Bankverbindung ändern".

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        BankChangeOut | Problem
    """

    return sync_detailed(
        contract_number=contract_number,
        client=client,
        body=body,
    ).parsed


async def asyncio_detailed(
    contract_number: str,
    *,
    client: AuthenticatedClient,
    body: BankChangeIn,
) -> Response[BankChangeOut | Problem]:
    """Change the bank details (new SEPA mandate)

     Send new bank details with the consent to the SEPA mandate, as the page's form does.

    A change still open is replaced by the new one (as on the page). Refused after the
    tenancy (403 ``read_only``) and for an ended contract (409 ``contract_ended``); 409
    ``reference_changed`` when a contract partner sent a change since the check (check again,
    consent again). The mandate copy goes into "Meine Dokumente" and a confirmation e-mail is
    sent. The answer names the month the new account takes effect.

    Args:
        contract_number (str):
        body (BankChangeIn): The fields of the page's form "Bankverbindung ändern".

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[BankChangeOut | Problem]
    """

    kwargs = _get_kwargs(
        contract_number=contract_number,
        body=body,
    )

    response = await client.get_async_httpx_client().request(**kwargs)

    return _build_response(client=client, response=response)


async def asyncio(
    contract_number: str,
    *,
    client: AuthenticatedClient,
    body: BankChangeIn,
) -> BankChangeOut | Problem | None:
    """Change the bank details (new SEPA mandate)

     Send new bank details with the consent to the SEPA mandate, as the page's form does.

    A change still open is replaced by the new one (as on the page). Refused after the
    tenancy (403 ``read_only``) and for an ended contract (409 ``contract_ended``); 409
    ``reference_changed`` when a contract partner sent a change since the check (check again,
    consent again). The mandate copy goes into "Meine Dokumente" and a confirmation e-mail is
    sent. The answer names the month the new account takes effect.

    Args:
        contract_number (str):
        body (BankChangeIn): The fields of the page's form "Bankverbindung ändern".

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        BankChangeOut | Problem
    """

    return (
        await asyncio_detailed(
            contract_number=contract_number,
            client=client,
            body=body,
        )
    ).parsed

from http import HTTPStatus
from typing import Any
from urllib.parse import quote

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...models.iban_checked import IbanChecked
from ...models.iban_in import IbanIn
from ...models.problem import Problem
from ...types import Response


def _get_kwargs(
    contract_number: str,
    *,
    body: IbanIn,
) -> dict[str, Any]:
    headers: dict[str, Any] = {}

    _kwargs: dict[str, Any] = {
        "method": "post",
        "url": "/api/v1/contracts/{contract_number}/bank-change/check".format(
            contract_number=quote(str(contract_number), safe=""),
        ),
    }

    _kwargs["json"] = body.to_dict()

    headers["Content-Type"] = "application/json"

    _kwargs["headers"] = headers
    return _kwargs


def _parse_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> IbanChecked | Problem | None:
    if response.status_code == 200:
        response_200 = IbanChecked.from_dict(response.json())

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
) -> Response[IbanChecked | Problem]:
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
    body: IbanIn,
) -> Response[IbanChecked | Problem]:
    """Check an IBAN before changing the bank details

     The page's "Check IBAN" button: the IBAN in groups of four with BIC and bank, and the
    SEPA mandate (creditor, mandate reference) the change will grant. A wrong IBAN is 422 with
    the page's message for the field ``iban``. Nothing is stored.

    Args:
        contract_number (str):
        body (IbanIn):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[IbanChecked | Problem]
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
    body: IbanIn,
) -> IbanChecked | Problem | None:
    """Check an IBAN before changing the bank details

     The page's "Check IBAN" button: the IBAN in groups of four with BIC and bank, and the
    SEPA mandate (creditor, mandate reference) the change will grant. A wrong IBAN is 422 with
    the page's message for the field ``iban``. Nothing is stored.

    Args:
        contract_number (str):
        body (IbanIn):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        IbanChecked | Problem
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
    body: IbanIn,
) -> Response[IbanChecked | Problem]:
    """Check an IBAN before changing the bank details

     The page's "Check IBAN" button: the IBAN in groups of four with BIC and bank, and the
    SEPA mandate (creditor, mandate reference) the change will grant. A wrong IBAN is 422 with
    the page's message for the field ``iban``. Nothing is stored.

    Args:
        contract_number (str):
        body (IbanIn):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[IbanChecked | Problem]
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
    body: IbanIn,
) -> IbanChecked | Problem | None:
    """Check an IBAN before changing the bank details

     The page's "Check IBAN" button: the IBAN in groups of four with BIC and bank, and the
    SEPA mandate (creditor, mandate reference) the change will grant. A wrong IBAN is 422 with
    the page's message for the field ``iban``. Nothing is stored.

    Args:
        contract_number (str):
        body (IbanIn):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        IbanChecked | Problem
    """

    return (
        await asyncio_detailed(
            contract_number=contract_number,
            client=client,
            body=body,
        )
    ).parsed

from http import HTTPStatus
from io import BytesIO
from typing import Any
from urllib.parse import quote

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...models.problem import Problem
from ...types import UNSET, File, Response, Unset


def _get_kwargs(
    key: str,
    *,
    contract_number: None | str | Unset = UNSET,
) -> dict[str, Any]:

    params: dict[str, Any] = {}

    json_contract_number: None | str | Unset
    if isinstance(contract_number, Unset):
        json_contract_number = UNSET
    else:
        json_contract_number = contract_number
    params["contract_number"] = json_contract_number

    params = {k: v for k, v in params.items() if v is not UNSET and v is not None}

    _kwargs: dict[str, Any] = {
        "method": "get",
        "url": "/api/v1/forms/personal/{key}/file".format(
            key=quote(str(key), safe=""),
        ),
        "params": params,
    }

    return _kwargs


def _parse_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> File | Problem | None:
    if response.status_code == 200:
        response_200 = File(payload=BytesIO(response.content))

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
) -> Response[File | Problem]:
    return Response(
        status_code=HTTPStatus(response.status_code),
        content=response.content,
        headers=response.headers,
        parsed=_parse_response(client=client, response=response),
    )


def sync_detailed(
    key: str,
    *,
    client: AuthenticatedClient,
    contract_number: None | str | Unset = UNSET,
) -> Response[File | Problem]:
    """Download a form filled in with my data

     The same PDF the page renders. A form that is not a file (e.g. the rent certificate,
    which is requested under "Kontakt") or that needs a contract the tenant has not got
    answers 409 ``form_not_a_file``.

    Args:
        key (str):
        contract_number (None | str | Unset): Which of the tenant's contracts the form is for
            (default: the flat's); a number that is not the tenant's is ignored, as on the page

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[File | Problem]
    """

    kwargs = _get_kwargs(
        key=key,
        contract_number=contract_number,
    )

    response = client.get_httpx_client().request(
        **kwargs,
    )

    return _build_response(client=client, response=response)


def sync(
    key: str,
    *,
    client: AuthenticatedClient,
    contract_number: None | str | Unset = UNSET,
) -> File | Problem | None:
    """Download a form filled in with my data

     The same PDF the page renders. A form that is not a file (e.g. the rent certificate,
    which is requested under "Kontakt") or that needs a contract the tenant has not got
    answers 409 ``form_not_a_file``.

    Args:
        key (str):
        contract_number (None | str | Unset): Which of the tenant's contracts the form is for
            (default: the flat's); a number that is not the tenant's is ignored, as on the page

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        File | Problem
    """

    return sync_detailed(
        key=key,
        client=client,
        contract_number=contract_number,
    ).parsed


async def asyncio_detailed(
    key: str,
    *,
    client: AuthenticatedClient,
    contract_number: None | str | Unset = UNSET,
) -> Response[File | Problem]:
    """Download a form filled in with my data

     The same PDF the page renders. A form that is not a file (e.g. the rent certificate,
    which is requested under "Kontakt") or that needs a contract the tenant has not got
    answers 409 ``form_not_a_file``.

    Args:
        key (str):
        contract_number (None | str | Unset): Which of the tenant's contracts the form is for
            (default: the flat's); a number that is not the tenant's is ignored, as on the page

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[File | Problem]
    """

    kwargs = _get_kwargs(
        key=key,
        contract_number=contract_number,
    )

    response = await client.get_async_httpx_client().request(**kwargs)

    return _build_response(client=client, response=response)


async def asyncio(
    key: str,
    *,
    client: AuthenticatedClient,
    contract_number: None | str | Unset = UNSET,
) -> File | Problem | None:
    """Download a form filled in with my data

     The same PDF the page renders. A form that is not a file (e.g. the rent certificate,
    which is requested under "Kontakt") or that needs a contract the tenant has not got
    answers 409 ``form_not_a_file``.

    Args:
        key (str):
        contract_number (None | str | Unset): Which of the tenant's contracts the form is for
            (default: the flat's); a number that is not the tenant's is ignored, as on the page

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        File | Problem
    """

    return (
        await asyncio_detailed(
            key=key,
            client=client,
            contract_number=contract_number,
        )
    ).parsed

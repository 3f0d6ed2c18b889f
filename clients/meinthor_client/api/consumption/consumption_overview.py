from http import HTTPStatus
from typing import Any

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...models.consumption_out import ConsumptionOut
from ...models.consumption_overview_kind_type_0 import ConsumptionOverviewKindType0
from ...models.problem import Problem
from ...types import UNSET, Response, Unset


def _get_kwargs(
    *,
    unit: int | None | Unset = UNSET,
    kind: ConsumptionOverviewKindType0 | None | Unset = UNSET,
) -> dict[str, Any]:

    params: dict[str, Any] = {}

    json_unit: int | None | Unset
    if isinstance(unit, Unset):
        json_unit = UNSET
    else:
        json_unit = unit
    params["unit"] = json_unit

    json_kind: None | str | Unset
    if isinstance(kind, Unset):
        json_kind = UNSET
    elif isinstance(kind, ConsumptionOverviewKindType0):
        json_kind = kind.value
    else:
        json_kind = kind
    params["kind"] = json_kind

    params = {k: v for k, v in params.items() if v is not UNSET and v is not None}

    _kwargs: dict[str, Any] = {
        "method": "get",
        "url": "/api/v1/consumption",
        "params": params,
    }

    return _kwargs


def _parse_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> ConsumptionOut | Problem | None:
    if response.status_code == 200:
        response_200 = ConsumptionOut.from_dict(response.json())

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
) -> Response[ConsumptionOut | Problem]:
    return Response(
        status_code=HTTPStatus(response.status_code),
        content=response.content,
        headers=response.headers,
        parsed=_parse_response(client=client, response=response),
    )


def sync_detailed(
    *,
    client: AuthenticatedClient,
    unit: int | None | Unset = UNSET,
    kind: ConsumptionOverviewKindType0 | None | Unset = UNSET,
) -> Response[ConsumptionOut | Problem]:
    """Monthly consumption per unit and kind

     What "Meine Verbräuche" shows, for every unit the tenant rents or rented (or one:
    ``unit``) and every kind of meter (or one: ``kind``): the newest month, its comparisons with
    the month before, the same month a year before and the average comparable household, the
    plain sentence, and the last 24 months. Only months of the tenant's own time in the unit;
    another unit answers 404. Amounts are strings with three decimals, in kWh or m³.

    Args:
        unit (int | None | Unset):
        kind (ConsumptionOverviewKindType0 | None | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[ConsumptionOut | Problem]
    """

    kwargs = _get_kwargs(
        unit=unit,
        kind=kind,
    )

    response = client.get_httpx_client().request(
        **kwargs,
    )

    return _build_response(client=client, response=response)


def sync(
    *,
    client: AuthenticatedClient,
    unit: int | None | Unset = UNSET,
    kind: ConsumptionOverviewKindType0 | None | Unset = UNSET,
) -> ConsumptionOut | Problem | None:
    """Monthly consumption per unit and kind

     What "Meine Verbräuche" shows, for every unit the tenant rents or rented (or one:
    ``unit``) and every kind of meter (or one: ``kind``): the newest month, its comparisons with
    the month before, the same month a year before and the average comparable household, the
    plain sentence, and the last 24 months. Only months of the tenant's own time in the unit;
    another unit answers 404. Amounts are strings with three decimals, in kWh or m³.

    Args:
        unit (int | None | Unset):
        kind (ConsumptionOverviewKindType0 | None | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        ConsumptionOut | Problem
    """

    return sync_detailed(
        client=client,
        unit=unit,
        kind=kind,
    ).parsed


async def asyncio_detailed(
    *,
    client: AuthenticatedClient,
    unit: int | None | Unset = UNSET,
    kind: ConsumptionOverviewKindType0 | None | Unset = UNSET,
) -> Response[ConsumptionOut | Problem]:
    """Monthly consumption per unit and kind

     What "Meine Verbräuche" shows, for every unit the tenant rents or rented (or one:
    ``unit``) and every kind of meter (or one: ``kind``): the newest month, its comparisons with
    the month before, the same month a year before and the average comparable household, the
    plain sentence, and the last 24 months. Only months of the tenant's own time in the unit;
    another unit answers 404. Amounts are strings with three decimals, in kWh or m³.

    Args:
        unit (int | None | Unset):
        kind (ConsumptionOverviewKindType0 | None | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[ConsumptionOut | Problem]
    """

    kwargs = _get_kwargs(
        unit=unit,
        kind=kind,
    )

    response = await client.get_async_httpx_client().request(**kwargs)

    return _build_response(client=client, response=response)


async def asyncio(
    *,
    client: AuthenticatedClient,
    unit: int | None | Unset = UNSET,
    kind: ConsumptionOverviewKindType0 | None | Unset = UNSET,
) -> ConsumptionOut | Problem | None:
    """Monthly consumption per unit and kind

     What "Meine Verbräuche" shows, for every unit the tenant rents or rented (or one:
    ``unit``) and every kind of meter (or one: ``kind``): the newest month, its comparisons with
    the month before, the same month a year before and the average comparable household, the
    plain sentence, and the last 24 months. Only months of the tenant's own time in the unit;
    another unit answers 404. Amounts are strings with three decimals, in kWh or m³.

    Args:
        unit (int | None | Unset):
        kind (ConsumptionOverviewKindType0 | None | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        ConsumptionOut | Problem
    """

    return (
        await asyncio_detailed(
            client=client,
            unit=unit,
            kind=kind,
        )
    ).parsed

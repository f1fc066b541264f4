"""Serial, process-pool and Dask runs give identical results for a seed."""

from __future__ import annotations

from collections.abc import Iterator
from concurrent.futures import ProcessPoolExecutor
from typing import Any

import pytest

import negotiate as ng
from negotiate.results import Robustness

FLAGSHIP = "examples/ukraine-2025/talks-2025-12-02.yaml"
RANGED = """
format: 1
id: ranged
issues:
  - {id: a, options: [x, y, z], ordered: true}
  - {id: b, options: [u, v]}
parties:
  - id: p
    reservation: [0.2, 0.6]
    preferences: {a: {importance: [1, 2], ranking: [x, y, z]}, b: {importance: 1, values: {u: [0, 1], v: 0.5}}}
    red_lines: [{id: p1, rule: "a != z", stance: inferred}]
  - id: q
    reservation: 0.3
    preferences: {a: {importance: 1, ranking: [z, y, x]}, b: {importance: 2, ranking: [v, u]}}
    red_lines: [{id: q1, rule: "a >= y", stance: reported}, {id: q2, rule: "b == v -> a == z", stance: inferred}]
proposals:
  - {id: deal, terms: {a: y, b: u}}
  - {id: half, terms: {a: y}}
"""


def _plain(r: Robustness) -> dict[str, Any]:
    d = r.to_dict()
    d.pop("elapsed")
    return d


def _cases() -> list[tuple[ng.Scenario, dict[str, Any]]]:
    return [
        (ng.load(FLAGSHIP), {"samples": 120, "spread": 0.2, "seed": 11}),
        (ng.loads(RANGED), {"samples": 130, "seed": 4}),
    ]


@pytest.fixture(scope="module")
def serial() -> list[dict[str, Any]]:
    return [_plain(ng.robustness(s, **kw)) for s, kw in _cases()]


def test_process_pool_gives_the_serial_result(serial: list[dict[str, Any]]) -> None:
    with ProcessPoolExecutor(2) as pool:
        pooled = [_plain(ng.robustness(s, executor=pool, **kw)) for s, kw in _cases()]
    assert pooled == serial
    assert serial[0]["method"] == "monte_carlo" and serial[0]["samples"] == 120


@pytest.fixture(scope="module")
def dask_client() -> Iterator[Any]:
    distributed = pytest.importorskip("distributed", reason="the dask extra is not installed")
    cluster = distributed.LocalCluster(n_workers=2, threads_per_worker=1, processes=True,
                                       dashboard_address=None)
    client = distributed.Client(cluster)
    try:
        yield client
    finally:
        client.close()
        cluster.close()


def test_dask_local_cluster_gives_the_serial_result(
    serial: list[dict[str, Any]], dask_client: Any
) -> None:
    clustered = [_plain(ng.robustness(s, executor=dask_client, **kw)) for s, kw in _cases()]
    assert clustered == serial

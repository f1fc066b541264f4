"""Benchmark ng.robustness (run on demand, not part of the test suite).

Usage: python tests/benchmarks/bench_robustness.py [--samples N]

Prints one table row per case:
- exact mode on both flagship snapshots (after OR-Tools is imported once; target < 2 s each);
- Monte Carlo on the December flagship, 1,000 samples, spread=0.2, serial (target < 30 s);
- throughput (samples/s) on the December flagship with spread=0.2 for a process pool of
  1 and 2 workers and a 2-worker Dask LocalCluster (processes). Pools are started and
  warmed up (400 samples per worker: each worker builds its sampler and fills its cache of
  red-line subsets) before the clock starts; the results of
  every run are checked to be identical to the serial run.
"""

from __future__ import annotations

import argparse
import sys
import time
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))  # run from a checkout

import negotiate as ng  # noqa: E402
from negotiate.results import Robustness  # noqa: E402

DECEMBER = ROOT / "examples/ukraine-2025/talks-2025-12-02.yaml"
JANUARY = ROOT / "examples/ukraine-2025/talks-2026-01-late.yaml"


def _plain(r: Robustness) -> dict[str, Any]:
    d = r.to_dict()
    d.pop("elapsed")
    return d


def _timed(**kwargs: Any) -> tuple[float, Robustness]:
    start = time.perf_counter()
    result = ng.robustness(**kwargs)
    return time.perf_counter() - start, result


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--samples", type=int, default=4000,
                        help="samples of the throughput runs (default 4000)")
    args = parser.parse_args()
    import ortools.sat.python.cp_model  # noqa: F401  (load once, outside the timings)

    december, january = ng.load(DECEMBER), ng.load(JANUARY)
    rows: list[tuple[str, str, str, str]] = []
    for name, s in (("December", december), ("January", january)):
        seconds, r = _timed(s=s)
        rows.append((f"exact, {name} flagship", f"{seconds:.2f} s", "< 2 s",
                     f"method={r.method}, P={r.p_agreement:g}, "
                     f"{len(r.conflicts or ())} conflicts"))
    seconds, r = _timed(s=december, samples=1000, spread=0.2, seed=0)
    rows.append(("Monte Carlo, December, 1,000 samples, spread 0.2, serial",
                 f"{seconds:.2f} s", "< 30 s",
                 f"P={r.p_agreement:g} [{r.interval[0]:.3f}, {r.interval[1]:.3f}]"))

    n = args.samples
    kwargs = {"s": december, "samples": n, "spread": 0.2, "seed": 1}
    seconds, serial = _timed(**kwargs)
    rates = {"serial (in process)": n / seconds}
    for workers in (1, 2):
        with ProcessPoolExecutor(workers) as pool:
            ng.robustness(december, samples=400 * workers, spread=0.2, executor=pool)  # warm-up
            seconds, pooled = _timed(executor=pool, **kwargs)
        assert _plain(pooled) == _plain(serial), "process pool result differs from serial"
        rates[f"process pool, {workers} worker(s)"] = n / seconds
    try:
        import distributed
    except ImportError:
        distributed = None
    if distributed is not None:
        with distributed.LocalCluster(n_workers=2, threads_per_worker=1, processes=True,
                                      dashboard_address=None) as cluster, \
                distributed.Client(cluster) as client:
            ng.robustness(december, samples=800, spread=0.2, executor=client)  # warm-up
            seconds, clustered = _timed(executor=client, **kwargs)
        assert _plain(clustered) == _plain(serial), "Dask result differs from serial"
        rates["Dask LocalCluster, 2 workers"] = n / seconds
    one = rates["process pool, 1 worker(s)"]
    for label, rate in rates.items():
        speedup = f"{rate / one:.2f}x vs 1 worker" if "serial" not in label else ""
        rows.append((f"throughput, {label}, {n:,} samples", f"{rate:,.0f} samples/s",
                     ">= 1.6x from 1 to 2" if "2 worker" in label else "", speedup))

    width = max(len(r[0]) for r in rows)
    print(f"{'case':{width}}  {'measured':>16}  {'target':>20}  result")
    for case, measured, target, result in rows:
        print(f"{case:{width}}  {measured:>16}  {target:>20}  {result}")


if __name__ == "__main__":
    main()

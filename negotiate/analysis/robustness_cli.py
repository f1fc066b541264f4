"""The ``negotiate robustness`` command (wired into :mod:`negotiate.cli`)."""

from __future__ import annotations

import argparse
import importlib
import json
import signal
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

from negotiate.errors import InvalidArgumentError
from negotiate.model import DEFAULT_CONFIDENCE

__all__ = ["add_robustness_command", "parse_confidence", "positive_int", "seconds"]


def parse_confidence(items: list[str] | None) -> dict[str, float] | None:
    """``["inferred=0.3", "reported=0.6"]`` -> ``{"inferred": 0.3, "reported": 0.6}``.

    Examples
    --------
    >>> from negotiate.analysis.robustness_cli import parse_confidence
    >>> parse_confidence(["inferred=0.3"])
    {'inferred': 0.3}
    """
    if not items:
        return None
    out = {}
    for item in items:
        stance, sep, value = item.partition("=")
        try:
            out[stance.strip()] = float(value)
        except ValueError:
            sep = ""
        if not sep:
            raise InvalidArgumentError(
                f"--confidence {item!r} must be STANCE=PROBABILITY, e.g. inferred=0.3"
            )
        if stance.strip() not in DEFAULT_CONFIDENCE:
            raise InvalidArgumentError(
                f"--confidence {item}: unknown stance {stance.strip()!r}; stances are "
                f"{', '.join(DEFAULT_CONFIDENCE)}"
            )
        if not 0 < out[stance.strip()] <= 1:
            raise InvalidArgumentError(
                f"--confidence {item}: the probability must be in (0, 1], e.g. inferred=0.3"
            )
    return out


def positive_int(text: str) -> int:
    """An argparse type: a whole number of at least 1.

    Examples
    --------
    >>> from negotiate.analysis.robustness_cli import positive_int
    >>> positive_int("1000")
    1000
    """
    try:
        value = int(text)
    except ValueError:
        value = 0
    if value < 1:
        raise argparse.ArgumentTypeError(f"{text!r} is not a whole number of at least 1")
    return value


def seconds(text: str) -> float:
    """An argparse type: a positive, finite number of seconds.

    Examples
    --------
    >>> from negotiate.analysis.robustness_cli import seconds
    >>> seconds("2.5")
    2.5
    """
    try:
        value = float(text)
    except ValueError:
        value = 0.0
    if not 0 < value < float("inf"):
        raise argparse.ArgumentTypeError(
            f"{text!r} is not a positive number of seconds, e.g. 30"
        )
    return value


def add_robustness_command(sub: Any) -> None:
    """Add ``robustness`` to the subcommands of ``negotiate``."""
    p = sub.add_parser(
        "robustness",
        help="how sure is the verdict: probabilities under uncertain red lines and numbers",
        description=(
            "Probability of an agreement zone, the red lines the answer hangs on, and each "
            "plan's acceptance probability per party, with red lines present with their "
            "confidence (by stance: stated 1, reported 0.75, inferred 0.5) and ranges "
            "uniform. Exact when only red lines are uncertain, sampled otherwise."
        ),
    )
    p.add_argument("file", help="scenario file (.yaml, .yml or .json)")
    p.add_argument("--samples", type=positive_int, default=1000, metavar="N",
                   help="scenarios drawn when sampling (default 1000)")
    p.add_argument("--seed", type=int, default=0, metavar="S", help="random seed (default 0)")
    p.add_argument("--spread", type=float, default=None, metavar="X",
                   help="perturb every importance and value by +/-X relative (e.g. 0.2)")
    p.add_argument("--confidence", action="append", metavar="STANCE=P",
                   help="probability for a stance, e.g. --confidence inferred=0.3 (repeatable)")
    p.add_argument("--method", choices=["auto", "exact", "monte_carlo"], default="auto",
                   help="exact, sampled, or exact when possible (default)")
    p.add_argument("--tolerance", type=float, default=None, metavar="H",
                   help="stop sampling once the 95%% interval half-width is at most H")
    where = p.add_mutually_exclusive_group()
    where.add_argument("--workers", type=positive_int, default=None, metavar="N",
                       help="run the samples on N local processes")
    where.add_argument("--scheduler", default=None, metavar="ADDRESS",
                       help="run on a Dask cluster, e.g. tcp://host:8786 (needs negotiate[dask])")
    p.add_argument("--json", action="store_true", help="print one JSON document")
    p.add_argument("--time-limit", type=seconds, default=None, metavar="SECONDS",
                   help="seconds for the whole analysis (default: none)")
    p.set_defaults(func=run)


def _ignore_sigint() -> None:
    # Worker processes leave Ctrl-C to the parent, which cancels their work.
    signal.signal(signal.SIGINT, signal.SIG_IGN)


@contextmanager
def _executor(args: argparse.Namespace) -> Iterator[Any]:
    if args.workers is not None:
        if args.workers < 1:
            raise InvalidArgumentError(f"--workers {args.workers} must be at least 1")
        from concurrent.futures import ProcessPoolExecutor

        pool = ProcessPoolExecutor(args.workers, initializer=_ignore_sigint)
        try:
            yield pool
        finally:
            pool.shutdown(wait=False, cancel_futures=True)
    elif args.scheduler is not None:
        try:
            distributed: Any = importlib.import_module("distributed")
        except ImportError:
            raise InvalidArgumentError(
                "--scheduler needs Dask: pip install 'negotiate[dask]'"
            ) from None
        try:
            client = distributed.Client(args.scheduler, timeout="10s")
        except (OSError, TimeoutError, ValueError) as exc:
            raise InvalidArgumentError(
                f"--scheduler {args.scheduler}: cannot connect to a Dask scheduler there ({exc})"
            ) from None
        try:
            yield client
        finally:
            client.close()
    else:
        yield None


@contextmanager
def _progress_bar(enabled: bool) -> Iterator[Callable[[int, int], None] | None]:
    if not enabled:
        yield None
        return
    try:
        tqdm: Any = importlib.import_module("tqdm").tqdm
    except ImportError:  # the progress extra is not installed: no bar
        yield None
        return
    bar: Any = None

    def update(done: int, total: int) -> None:
        nonlocal bar
        if bar is None:
            bar = tqdm(total=total, unit="sample", file=sys.stderr, leave=False)
        bar.update(done - bar.n)

    try:
        yield update
    finally:
        if bar is not None:
            bar.close()


def run(args: argparse.Namespace) -> int:
    """Run ``negotiate robustness`` (exit 0; errors go through ``main``)."""
    from negotiate.analysis.robustness import robustness
    from negotiate.io import load

    s = load(args.file)
    confidence = parse_confidence(args.confidence)
    with _executor(args) as executor, _progress_bar(sys.stderr.isatty()) as progress:
        result = robustness(
            s, samples=args.samples, seed=args.seed, method=args.method, executor=executor,
            confidence=confidence, spread=args.spread, tolerance=args.tolerance,
            time_limit=args.time_limit, progress=progress,
        )
    if args.json:
        print(json.dumps(result.to_dict(), indent=2, ensure_ascii=False))
    else:
        print(result)
    return 0

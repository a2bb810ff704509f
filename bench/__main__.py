"""`python -m bench [--quick] [--only NAME...]`: run every bench/bench_*.py module's `run(quick)` and report.

Each module returns a list of `bench.common.Result`. Figures are printed as a table and merged into
bench/results.json with a description of the machine.
"""

from __future__ import annotations

import argparse
import importlib
import os
import platform
from pathlib import Path

from bench.common import Result, print_table, write_results


def main() -> None:
    parser = argparse.ArgumentParser(description="Scrutineer benchmarks")
    parser.add_argument("--quick", action="store_true", help="small inputs, to check the benchmarks run")
    parser.add_argument("--only", nargs="*", help="module names without bench_ (e.g. import checklist)")
    options = parser.parse_args()
    modules = sorted(p.stem for p in Path(__file__).parent.glob("bench_*.py"))
    if options.only:
        modules = [m for m in modules if m.removeprefix("bench_") in options.only]
    results: list[Result] = []
    for name in modules:
        module = importlib.import_module(f"bench.{name}")
        print(f"Running {name} …", flush=True)
        results.extend(module.run(quick=options.quick))
    print_table(results)
    machine = {
        "python": platform.python_version(),
        "cpus": os.cpu_count(),
        "system": platform.platform(),
        "quick": options.quick,
    }
    if not options.quick:
        write_results(results, machine)
        print("\nWritten to bench/results.json")


if __name__ == "__main__":
    main()

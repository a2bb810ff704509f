"""Shared benchmark plumbing: run a workload in its own process (so peak memory is that workload's alone), and
collect figures into a table and bench/results.json.

A workload is a function `name(**params) -> dict[str, float | str]` in a bench module. `measure` runs it in a child
Python process and adds `peak_rss_mb` (the child's maximum resident set size) and `seconds` (wall time of the call).
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
DATA = Path(__file__).resolve().parent / "data"  # generated inputs, ignored by git
RESULTS = Path(__file__).resolve().parent / "results.json"


@dataclass
class Result:
    """One workload's figures, and the target the issue sets (met or not)."""

    workload: str
    figures: dict[str, Any]
    target: str = ""
    met: bool | None = None
    notes: list[str] = field(default_factory=list)


def measure(function: str, **params: Any) -> dict[str, Any]:
    """Run `module:function` with `params` in a child process; return its figures plus peak RSS and seconds."""
    command = [sys.executable, "-m", "bench.child", function, json.dumps(params)]
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    completed = subprocess.run(command, cwd=ROOT, env=env, capture_output=True, text=True, check=False)
    if completed.returncode != 0:
        raise RuntimeError(f"{function} failed:\n{completed.stderr[-4000:]}")
    return json.loads(completed.stdout.strip().splitlines()[-1])


def print_table(results: list[Result]) -> None:
    width = max((len(r.workload) for r in results), default=10)
    for result in results:
        state = "" if result.met is None else ("  ✔ target met" if result.met else "  ✘ target missed")
        print(f"\n{result.workload:<{width}}{state}")
        if result.target:
            print(f"  target: {result.target}")
        for key, value in result.figures.items():
            shown = f"{value:,.2f}" if isinstance(value, float) else f"{value:,}" if isinstance(value, int) else value
            print(f"  {key:<38} {shown}")
        for note in result.notes:
            print(f"  note: {note}")


def write_results(results: list[Result], machine: dict[str, Any]) -> None:
    existing: dict[str, Any] = {}
    if RESULTS.exists():
        existing = json.loads(RESULTS.read_text())
    workloads = existing.get("workloads", {})
    for result in results:
        workloads[result.workload] = asdict(result)
    RESULTS.write_text(json.dumps({"machine": machine, "workloads": workloads}, indent=2, sort_keys=True) + "\n")

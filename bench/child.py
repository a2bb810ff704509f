"""Run one workload in this process and print its figures as JSON (used by bench.common.measure)."""

from __future__ import annotations

import importlib
import json
import resource
import sys
import time


def main() -> None:
    target, raw = sys.argv[1], sys.argv[2]
    module_name, function_name = target.split(":")
    function = getattr(importlib.import_module(module_name), function_name)
    started = time.perf_counter()
    figures = function(**json.loads(raw)) or {}
    figures.setdefault("seconds", round(time.perf_counter() - started, 3))
    figures["peak_rss_mb"] = round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1)
    # the largest process this one started and waited for (an import's reader process), if any
    children = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    if children:
        figures["child_peak_rss_mb"] = round(children / 1024, 1)
    print(json.dumps(figures))


if __name__ == "__main__":
    main()

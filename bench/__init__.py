"""Scrutineer's benchmarks: `make bench` prints figures for the workloads the issues name and writes
bench/results.json. Timings live here, never in tests."""

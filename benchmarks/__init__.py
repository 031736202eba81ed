"""Benchmarks: `make bench` prints every figure side by side with its peers."""

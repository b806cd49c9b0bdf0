"""Benchmarks: a generator that scales the shipped plans to a large knowledge base, and the
harness that measures search latency (beside a plain FTS5 baseline), end-to-end throughput,
cold start and memory. Not run by CI; see benchmarks/README.md."""

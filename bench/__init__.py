"""Benchmarks: ``python -m storeops bench --order-lines N`` (or ``make bench``).

- ``bench.run``: the orchestration. Generates the demo data at N order lines
  (kept in the work folder for reruns), then runs each measure in a child
  process of its own (``bench.child``), so peak memory belongs to one job.
- ``bench.child``: the measured jobs: our ingest, DuckDB's bare
  ``CREATE TABLE … AS SELECT * FROM read_csv(…)`` of the same files (the
  floor), one more week's orders, every page's queries cold and warm, the
  AppTest render of every page, and the pandas baseline.
- ``bench.baseline``: a straightforward pandas implementation of the pages'
  numbers, timed, and cross-checked against ours.

Results go to ``bench/RESULTS.md`` and ``bench/results.json``. Ratios against
a baseline measured in the same run are what we track; absolute times vary
between machines.
"""

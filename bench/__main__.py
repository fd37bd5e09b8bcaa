"""``uv run python -m bench``: run every benchmark and write docs/benchmarks.md."""

from bench.run import main

raise SystemExit(main())

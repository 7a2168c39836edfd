"""`make bench-load`: the pages under load on the production stack (run.py; docs/performance.md)."""

"""The long-running scheduler: crawl each source on its interval, in isolated children.

Kept import-light on purpose: ``python -m dvcrawl.scheduler.isolation`` runs before every crawl.
"""

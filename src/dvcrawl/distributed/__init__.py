"""Distributed crawling: Scrapy workers sharing one frontier in Redis (scrapy-redis).

The scheduler (or an operator) calls :func:`dvcrawl.distributed.enqueue.enqueue_source`; any
number of ``dvcrawl worker`` processes take the job, share its requests through a Redis
priority queue with a Redis duplicate filter, and store into one database (PostgreSQL).
scrapy-redis is the engine; the modules here are thin adapters that add what it lacks:
expiry of the seen-requests set (``dupefilter``), acknowledged pops (``queue``, ``tracker``,
``liveness``) and the ``async def start()`` era of Scrapy (``spider``).
"""

"""Distribution by source on RQ: the scheduler queues whole-source crawls, `dvcrawl worker`s
run each one as the same ``dvcrawl crawl`` child the scheduler would, one portal per worker at
a time and one worker per portal at a time (a Redis lock per source). See docs/deployment.md.
"""

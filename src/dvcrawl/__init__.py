"""dvcrawl: crawl Vietnamese party portals for công tác dân vận news, extract, dedupe, publish."""

__version__ = "0.1.0"

"""A network of realistic Vietnamese party/e-portal sites on loopback, for tests and demos.

``SampleNetwork`` starts one HTTP server per site (127.0.0.11, .12, ...); ``expected_articles()``
is the ground truth a crawl of them should reproduce.
"""

from dvcrawl.sampleportals.model import ExpectedArticle, RequestLogEntry
from dvcrawl.sampleportals.server import SampleNetwork

__all__ = ["ExpectedArticle", "RequestLogEntry", "SampleNetwork"]

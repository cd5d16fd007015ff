"""Pure extraction: HTML in, a clean normalised article out. No Scrapy imports here."""

from dvcrawl.extract.article import ExtractedArticle, extract_article

__all__ = ["ExtractedArticle", "extract_article"]

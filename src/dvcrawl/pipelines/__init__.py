"""Thin Scrapy adapters around the pure core: validate → relevance → store (with dedupe)."""

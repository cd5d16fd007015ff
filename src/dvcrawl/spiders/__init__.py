"""Scrapy spiders: one generic portal spider serves every source."""

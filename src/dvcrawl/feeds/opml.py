"""OPML 2.0 subscription list: one outline per feed, grouped: site-wide, source, province, topic.

Each feed is listed once, by its RSS file: importing the list into a reader should subscribe to
every feed once, not to the same news in three formats (the /feeds/ page links every format).
"""

from __future__ import annotations

from lxml import etree

from dvcrawl.feeds.entries import FeedSpec

GROUP_TITLES = {
    "all": "Tất cả nguồn",
    "source": "Theo cổng thông tin",
    "province": "Theo tỉnh, thành phố",
    "topic": "Theo chủ đề",
}


def opml_bytes(specs: list[FeedSpec], urls: dict[str, str], title: str) -> bytes:
    """The OPML document listing ``specs``; ``urls`` maps a feed name to its RSS URL."""
    root = etree.Element("opml", version="2.0")
    head = etree.SubElement(root, "head")
    etree.SubElement(head, "title").text = title
    body = etree.SubElement(root, "body")
    for kind, group_title in GROUP_TITLES.items():
        members = [s for s in specs if s.kind == kind]
        if not members:
            continue
        # A folder outline carries only "text": the validator wants a "type" on any outline
        # with more attributes, and readers take a typeless text-only outline as a folder.
        group = etree.SubElement(body, "outline", text=group_title)
        for spec in members:
            etree.SubElement(
                group,
                "outline",
                type="rss",
                text=spec.title,
                title=spec.title,
                xmlUrl=urls[spec.name],
                htmlUrl=spec.home,
                language="vi",
            )
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8", pretty_print=True)

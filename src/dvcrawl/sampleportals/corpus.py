"""The articles every site publishes: topic mix, dates, bylines, syndicated copies.

Deterministic for a (seed, scale): the same network every run, so tests and benchmarks can
compare a crawl against ``expected_articles()``.
"""

from __future__ import annotations

import random
import re
import unicodedata
from dataclasses import dataclass
from datetime import datetime, timedelta

from dvcrawl.constants import VN_TZ
from dvcrawl.sampleportals.model import Article, Block
from dvcrawl.sampleportals.writer import (
    HIDDEN_RELEVANT,
    OTHER_TOPICS,
    RELEVANT_TOPICS,
    bank,
    person_name,
    write_story,
)

ARTICLES_PER_SITE = 32  # at scale=1; the brief asks for 30+ per site
RELEVANT_SHARE = 0.6  # 35-45 % of articles are not about dân vận
# Newest article date of the deterministic corpus; publish() adds articles dated "now".
ANCHOR = datetime(2026, 11, 20, 16, 30, tzinfo=VN_TZ)
# Credits the magazine prints on stories it republishes from outside the network.
OUTSIDE_CREDITS = ("dukcqtw.dcs.vn", "mattran.org.vn", "baodantoc.vn", "dangcongsan.vn")
# Units that sign stories not written by the Ban Dân vận.
OTHER_UNITS = ("Trung tâm Văn hóa - Truyền thông", "Văn phòng UBND tỉnh", "Sở Y tế", "Báo Nhân dân")
# (original site, copying site): syndicated stories, original first.
SYNDICATION = (
    ("hatinh", "danvan"),
    ("bentre", "danvan"),
    ("binhphuoc", "danvan"),
    ("danvan", "hatinh"),
)
# (site, article index) pairs whose different stories open with the same template lead.
TEMPLATE_LEAD_PAIRS = ((("hanam", 5), ("bentre", 9)), (("hatinh", 7), ("binhphuoc", 4)))

# Anything but a-z0-9 in a folded title: replaced by "-" in slugs.
_NON_SLUG = re.compile(r"[^a-z0-9]+")


@dataclass(frozen=True)
class SiteSpec:
    """What the corpus needs to know about a site: names and print habits."""

    id: str
    name: str
    province: str
    host: str  # the real-world host name printed in "Theo: ..." credits
    first_num: int  # numeric ids start here
    byline: str  # style key, see byline()
    time_share: float = 1.0  # share of pages that print a time of day
    nfd_every: int = 0  # every n-th article typed in decomposed Unicode


def slugify(text: str) -> str:
    """ASCII slug as Vietnamese CMSs make them: "Dân vận khéo" -> "dan-van-kheo"."""
    folded = unicodedata.normalize("NFD", text.replace("đ", "d").replace("Đ", "D"))
    ascii_text = "".join(c for c in folded if not unicodedata.combining(c)).lower()
    return _NON_SLUG.sub("-", ascii_text).strip("-")[:90].rstrip("-")


def byline(style: str, rng: random.Random, province: str, relevant: bool) -> str | None:
    """A byline in the site's habit (docs/domain.md: "Name (Unit)", "Name - Name", ...)."""
    unit = "Ban Dân vận Tỉnh ủy" if relevant else rng.choice(OTHER_UNITS)
    if style == "unit":
        return f"{person_name(rng)} ({unit})"
    if style == "pair":
        return f"{person_name(rng).split(' ', 1)[1]} - {person_name(rng).split(' ', 1)[1]}"
    if style == "comma":
        return f"{person_name(rng)}, {unit} {province}"
    if style == "maybe":
        return person_name(rng) if rng.random() < 0.6 else None
    return f"{person_name(rng)} - Huyện ủy" if rng.random() < 0.5 else None


def _topic_plan(rng: random.Random, count: int) -> list[str]:
    relevant = round(count * RELEVANT_SHARE)
    topics = [RELEVANT_TOPICS[i % len(RELEVANT_TOPICS)] for i in range(relevant)]
    topics += [OTHER_TOPICS[i % len(OTHER_TOPICS)] for i in range(count - relevant)]
    rng.shuffle(topics)
    return topics


def _dates(rng: random.Random, count: int) -> list[datetime]:
    """Newest first, 10 to 60 hours apart, at office-ish hours."""
    out, current = [], ANCHOR
    for _ in range(count):
        out.append(current)
        current -= timedelta(hours=rng.randint(10, 60), minutes=rng.randint(0, 59))
        current = current.replace(hour=rng.randint(6, 21))
    return out


def make_article(
    spec: SiteSpec,
    rng: random.Random,
    topic: str,
    when: datetime,
    num: int,
    lead: str | None = None,
) -> Article:
    """One article of ``topic`` for ``spec``; the caller makes titles unique."""
    story = write_story(rng, topic, spec.id, when, lead_override=lead)
    relevant = topic in RELEVANT_TOPICS
    # One in three "hidden" dân vận stories is filed under general news, not the dân vận column.
    category = "danvan" if relevant and not (topic in HIDDEN_RELEVANT and num % 3 == 0) else "news"
    has_time = rng.random() < spec.time_share
    credit = None
    if spec.id == "danvan" and rng.random() < 0.3:
        credit = rng.choice(OUTSIDE_CREDITS)
    return Article(
        site_id=spec.id,
        num=num,
        slug=slugify(story.title),
        title=story.title,
        published=when if has_time else when.replace(hour=0, minute=0),
        has_time=has_time,
        blocks=story.blocks,
        relevant=relevant,
        category=category,
        topic=topic,
        author=byline(spec.byline, rng, spec.province, relevant),
        credit=credit,
        teaser=story.teaser,
        nfd=bool(spec.nfd_every) and num % spec.nfd_every == 0,
        story=f"{spec.id}:{num}",
    )


def build_site(spec: SiteSpec, seed: int, scale: int) -> list[Article]:
    """Newest first."""
    rng = random.Random(f"{seed}:{spec.id}")
    count = ARTICLES_PER_SITE * scale
    topics, dates = _topic_plan(rng, count), _dates(rng, count)
    leads = {
        idx: bank()["shared"]["template_leads"][i]
        for i, pair in enumerate(TEMPLATE_LEAD_PAIRS)
        for sid, idx in pair
        if sid == spec.id
    }
    articles: list[Article] = []
    titles: set[str] = set()
    slugs: set[str] = set()
    for i, (topic, when) in enumerate(zip(topics, dates, strict=True)):
        num = spec.first_num + count - i
        topic = topic if i not in leads else "hoinghi"
        art = make_article(spec, rng, topic, when, num, leads.get(i))
        while art.title in titles:  # same title template + fills: write another story
            art = make_article(spec, rng, topic, when, num, leads.get(i))
        titles.add(art.title)
        if art.slug in slugs:  # slug-only URL forms (SharePoint, WordPress) need unique slugs
            art.slug = f"{art.slug}-{num}"
        slugs.add(art.slug)
        articles.append(art)
    return articles


def syndicate(
    original: Article, target: SiteSpec, host: str, num: int, rng: random.Random
) -> Article:
    """The copy a second site runs: later date, reworded title, added lead, "Theo:" credit."""
    province = bank()["places"]["provinces"][original.site_id]["province"]
    leads = bank()["shared"]["syndication_leads"]
    if target.id != "danvan":  # only the magazine introduces a story in its own name
        leads = [t for t in leads if "Tạp chí" not in t]
    added = rng.choice(leads).format(province=province)
    if original.site_id == "danvan":  # the magazine reports from many provinces
        title = f"Kinh nghiệm từ cơ sở: {original.title}"
    elif rng.random() < 0.5:
        title = f"{province}: {original.title}"
    else:
        title = f"{original.title} ở {province}"
    blocks = [Block("p", added), *[Block(b.kind, b.text, b.file) for b in original.blocks]]
    when = original.published + timedelta(days=rng.randint(1, 3))
    when = when.replace(hour=rng.randint(7, 20), minute=rng.randint(0, 59))
    has_time = rng.random() < target.time_share  # printed the copying site's way
    return copy_article(
        original, target, num, title, blocks, when, has_time,
        author=original.author, credit=host, teaser=added,
    )  # fmt: skip


def copy_article(
    original: Article,
    target: SiteSpec,
    num: int,
    title: str,
    blocks: list[Block],
    when: datetime,
    has_time: bool,
    **fields,
) -> Article:
    """A copy of ``original`` on ``target``: its story, topic and column, its own page."""
    return Article(
        site_id=target.id,
        num=num,
        slug=slugify(title),
        title=title,
        published=when if has_time else when.replace(hour=0, minute=0),
        has_time=has_time,
        blocks=blocks,
        relevant=original.relevant,
        category=original.category,
        topic=original.topic,
        story=original.story,
        original=original,
        **fields,
    )


def build_corpus(
    specs: list[SiteSpec], seed: int, scale: int, varied: bool = False
) -> dict[str, list[Article]]:
    """Every site's articles, newest first, syndicated copies included.

    ``varied`` adds edited copies and periodic-report look-alikes drawn from the seed
    (copies.py); the default world leaves it off so its counts stay as tests know them.
    """
    corpus = {spec.id: build_site(spec, seed, scale) for spec in specs}
    by_id = {spec.id: spec for spec in specs}
    rng = random.Random(f"{seed}:syndication")
    for k, (src, dst) in enumerate(SYNDICATION):
        if src not in corpus or dst not in corpus:
            continue
        pool = [
            a
            for a in corpus[src]
            if a.relevant and a.original is None and a.published < ANCHOR - timedelta(days=4)
        ]
        original = pool[(3 * k + 2) % len(pool)]
        num = by_id[dst].first_num + ARTICLES_PER_SITE * scale + 1 + k
        corpus[dst].append(syndicate(original, by_id[dst], by_id[src].host, num, rng))
        corpus[dst].sort(key=lambda a: a.published, reverse=True)
    if varied:
        from dvcrawl.sampleportals.copies import add_variety  # copies.py imports this module

        add_variety(corpus, specs, seed, scale)
    return corpus

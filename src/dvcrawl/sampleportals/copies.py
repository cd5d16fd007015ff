"""What a seed-varied network adds to the corpus: edited syndicated copies and look-alikes.

Two kinds of pairs test a syndication decision from both sides. True copies carry the
original's sentences with the edits republishing portals make: another title, a cut ending, a
re-wrapped body, their own byline, a "Theo: Báo ..." credit, decomposed Unicode. Look-alikes
are different stories that share a periodic-report formula: the title pattern ("Kinh tế tỉnh
tăng trưởng khá" / "Kinh tế huyện Lý Nhân tăng trưởng khá"), the template lead and a stock
paragraph, but none of their reporting.
"""

from __future__ import annotations

import random
import tomllib
from datetime import datetime, timedelta
from functools import cache
from importlib import resources

from dvcrawl.sampleportals.corpus import SiteSpec, copy_article, make_article, slugify
from dvcrawl.sampleportals.model import Article, Block
from dvcrawl.sampleportals.writer import Fill, bank, person_name, render

# Copy edits a republishing portal makes; every copy gets a new title and two or three more.
EDITS = ("cut", "rewrap", "byline", "credit", "nfd", "lead")
# Sites whose article template prints a "Theo: ..." credit line (others drop the credit).
CREDIT_PRINTERS = ("hatinh", "danvan")
# A report's own words per word of its formula parts: two reports share about 55 % of their
# words, which shingle Jaccard (>= 0.35) took for one story and sentence containment does not.
OWN_SHARE = 0.8


@cache
def reports() -> list[dict]:
    data = resources.files("dvcrawl.sampleportals") / "data" / "reports.toml"
    return tomllib.loads(data.read_text(encoding="utf-8"))["reports"]


def _province(site_id: str) -> str:
    return bank()["places"]["provinces"][site_id]["province"]


def _copy_title(original: Article, rng: random.Random) -> str:
    forms = [f"Kinh nghiệm từ cơ sở: {original.title}", f"{original.title} (kỳ 1)"]
    if original.site_id != "danvan":  # the magazine's stories come from many provinces
        province = _province(original.site_id)
        forms += [f"{province}: {original.title}", f"{original.title} ở {province}"]
    return rng.choice(forms)


def _rewrap(blocks: list[Block], rng: random.Random) -> list[Block]:
    """Join neighbouring paragraphs (another CMS, another editor's line breaks)."""
    out: list[Block] = []
    for b in blocks:
        if out and b.kind == "p" and out[-1].kind == "p" and rng.random() < 0.5:
            out[-1] = Block("p", f"{out[-1].text} {b.text}")
        else:
            out.append(Block(b.kind, b.text, b.file))
    return out


def _cut(blocks: list[Block]) -> list[Block]:
    """Drop the closing paragraph(s), up to a quarter of the text: the story stays whole."""
    total = sum(len(b.text) for b in blocks if b.kind in ("p", "h"))
    out = list(blocks)
    while out and out[-1].kind == "img":
        out.pop()
    dropped = 0
    while out and out[-1].kind in ("p", "h") and dropped + len(out[-1].text) <= total / 4:
        dropped += len(out.pop().text)
    return out if dropped else blocks


def edited_copy(
    original: Article, target: SiteSpec, num: int, rng: random.Random, edits: set[str]
) -> Article:
    """A copy of ``original`` on ``target`` with a new title and ``edits`` (names in EDITS)."""
    blocks = [Block(b.kind, b.text, b.file) for b in original.blocks]
    if "cut" in edits:
        blocks = _cut(blocks)
    if "rewrap" in edits:
        blocks = _rewrap(blocks, rng)
    if "lead" in edits:
        lead = rng.choice(bank()["shared"]["syndication_leads"])
        fill = Fill(rng, {"province": _province(original.site_id)})
        blocks.insert(0, Block("p", render(lead, fill)))
    title = _copy_title(original, rng)
    when = original.published + timedelta(days=rng.randint(1, 3), hours=rng.randint(0, 5))
    has_time = rng.random() < target.time_share
    credit = None
    if target.id in CREDIT_PRINTERS:
        credit = f"Báo {_province(original.site_id)}" if "credit" in edits else "dcs.vn"
        if original.site_id == "danvan":
            credit = "Tạp chí Dân vận"
    return copy_article(
        original, target, num, title, blocks, when, has_time,
        author=person_name(rng) if "byline" in edits else original.author,
        credit=credit, teaser=blocks[0].text, nfd="nfd" in edits,
    )  # fmt: skip


def report(
    spec: SiteSpec, rng: random.Random, formula: dict, unit: str, when: datetime, num: int
) -> Article:
    """One periodic report: formula title, template lead and stock paragraph, own body."""
    fill = {"unit": unit, "month": str(when.month), "year": str(when.year)}
    lead = formula["lead"].format_map(fill)
    art = make_article(spec, rng, formula["topic"], when, num, lead)
    art.title = formula["title"].format_map(fill)
    art.title = art.title[0].upper() + art.title[1:]
    art.slug = f"{slugify(art.title)}-{num}"
    # A report is short: its own facts, about as many words as the formula parts around them
    # (lead, stock paragraph, closing), so two reports share about half of their text.
    shared = len(f"{lead} {formula['stock']} {formula['closing']}".split())
    own: list[Block] = []
    for block in (b for b in art.blocks[1:] if b.kind == "p"):
        if sum(len(o.text.split()) for o in own) >= OWN_SHARE * shared:
            break
        own.append(block)
    art.blocks = [art.blocks[0], Block("p", formula["stock"]), *own, Block("p", formula["closing"])]
    art.teaser = lead
    return art


def report_units(site_id: str, rng: random.Random, same_site: bool) -> tuple[str, str]:
    """Two units for one formula: two districts of a site, or "tỉnh" on two portals."""
    if not same_site:
        return "tỉnh", "tỉnh"
    districts = rng.sample(bank()["places"]["provinces"][site_id]["districts"], 2)
    first = "tỉnh" if rng.random() < 0.5 else f"huyện {districts[1]}"
    return first, f"huyện {districts[0]}"


def _pick_original(arts: list[Article], rng: random.Random, taken: set[str]) -> Article | None:
    pool = [a for a in arts if a.original is None and a.story not in taken and len(a.blocks) > 4]
    return rng.choice(pool[3:]) if len(pool) > 3 else None


def add_variety(corpus: dict[str, list[Article]], specs: list[SiteSpec], seed: int, scale: int):
    """Edited copies and periodic-report look-alikes, drawn from the seed (in place)."""
    rng = random.Random(f"{seed}:variety")
    by_id = {s.id: s for s in specs}
    next_num = {s.id: max(a.num for a in corpus[s.id]) + 1 for s in specs}
    taken = {a.original.story for arts in corpus.values() for a in arts if a.original}
    for k in range(3 + scale):
        # The k-th copy makes edits k and k+1 of EDITS, so every world has each edit.
        edits = {EDITS[k % len(EDITS)], EDITS[(k + 1) % len(EDITS)], rng.choice(EDITS)}
        src = rng.choice(sorted(corpus))
        targets = [t for t in sorted(corpus) if t != src]
        if "credit" in edits:  # only sites whose template prints "Theo: ..." show a credit
            targets = [t for t in targets if t in CREDIT_PRINTERS]
        dst = rng.choice(targets)
        original = _pick_original(corpus[src], rng, taken)
        if original is None:
            continue
        taken.add(original.story)
        copy = edited_copy(original, by_id[dst], next_num[dst], rng, edits)
        next_num[dst] += 1
        corpus[dst].append(copy)
    for formula in rng.sample(reports(), min(len(reports()), 2 + scale)):
        same_site = rng.random() < 0.5
        sites = [rng.choice(sorted(corpus))] * 2 if same_site else rng.sample(sorted(corpus), 2)
        units = report_units(sites[0], rng, same_site)
        when = corpus[sites[0]][len(corpus[sites[0]]) // 3].published
        for sid, unit in zip(sites, units, strict=True):
            at = when - timedelta(hours=rng.randint(1, 30))
            corpus[sid].append(report(by_id[sid], rng, formula, unit, at, next_num[sid]))
            next_num[sid] += 1
    for arts in corpus.values():
        arts.sort(key=lambda a: a.published, reverse=True)

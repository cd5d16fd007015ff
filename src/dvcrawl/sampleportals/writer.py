"""Write one story (title, body blocks, teaser) from the sentence bank, deterministically.

Every story draws its own people, places and numbers and a random subset of its topic's
sentences, so two distinct stories share few 5-word shingles (tests check Jaccard < 0.2),
while a syndicated copy (corpus.py) shares nearly all of them with its original.
"""

from __future__ import annotations

import random
import tomllib
from dataclasses import dataclass
from datetime import datetime, timedelta
from functools import cache
from importlib import resources

from dvcrawl.sampleportals.model import Block

RELEVANT_TOPICS = ("hoinghi", "dvkheo", "doithoai", "mttq", "danchu", "tongiao", "doanthe")
OTHER_TOPICS = ("kinhte", "yte", "thethao", "nongnghiep", "danso", "dansinh", "attendees")
# Topics whose titles never say "dân vận" although the story is about it (hard cases).
HIDDEN_RELEVANT = ("mttq", "danchu", "tongiao")


@cache
def bank() -> dict:
    """All sentence data: topics from both banks, the shared pools and the place names."""
    data_dir = resources.files("dvcrawl.sampleportals") / "data"
    topics: dict = {}
    shared: dict = {}
    for name in ("bank_danvan.toml", "bank_other.toml"):
        doc = tomllib.loads((data_dir / name).read_text(encoding="utf-8"))
        topics.update(doc.get("topics", {}))
        shared.update(doc.get("shared", {}))
    places = tomllib.loads((data_dir / "places.toml").read_text(encoding="utf-8"))
    return {"topics": topics, "shared": shared, "places": places}


@dataclass
class Story:
    """A written story before a site dresses it: title, body blocks, lead sentence."""

    topic: str
    title: str
    blocks: list[Block]
    teaser: str
    person: str  # a name from the story, handy for bylines


def _num(value: int) -> str:
    """Vietnamese thousands separator: 2.150."""
    return f"{value:,}".replace(",", ".")


def person_name(rng: random.Random) -> str:
    p = bank()["places"]
    return f"{rng.choice(p['surnames'])} {rng.choice(p['middles'])} {rng.choice(p['givens'])}"


class Fill(dict):
    """A story's slot values; number slots draw a fresh number at every use."""

    def __init__(self, rng: random.Random, fixed: dict[str, str]) -> None:
        super().__init__(fixed)
        self.rng = rng

    def __missing__(self, key: str) -> str:
        r = self.rng
        fresh = {
            "n": lambda: str(r.randint(12, 98)),
            "n1": lambda: str(r.randint(1, 4)),
            "n2": lambda: str(r.randint(2, 11)),
            "n3": lambda: _num(r.randint(105, 4800)),
            "pct": lambda: f"{r.randint(55, 99)},{r.randint(1, 9)}",
            "money": lambda: f"{r.randint(1, 95)},{r.randint(1, 9)} tỷ đồng",
        }
        if key not in fresh:
            raise KeyError(key)
        return fresh[key]()


def _slots(rng: random.Random, site_key: str, published: datetime) -> Fill:
    """One story's fills: the same person/place is used throughout the story."""
    places = bank()["places"]
    geo = places["provinces"][site_key]
    event = published - timedelta(days=rng.randint(0, 3))
    districts = rng.sample(geo["districts"], 2)
    year = published.year
    fixed = {
        "place": districts[0],
        "place2": districts[1],
        "commune": rng.choice(geo["communes"]),
        "village": rng.choice(places["villages"]),
        "province": geo["province"],
        "person": person_name(rng),
        "person2": person_name(rng),
        "model": rng.choice(places["models"]),
        "org": rng.choice(places["orgs"]),
        "ethnic": rng.choice(places["ethnics"]),
        "religion": rng.choice(places["religions"]),
        "daypart": rng.choice(bank()["shared"]["daypart"]),
        "date": f"{event.day}/{event.month}/{event.year}",
        "month": str(rng.randint(1, 12)),
        "year": str(year),
        "year0": str(year - rng.randint(3, 10)),
        "year1": str(year + 1),
    }
    return Fill(rng, fixed)


def _paragraphs(rng: random.Random, sentences: list[str]) -> list[str]:
    """Group sentences into paragraphs of one to three, as reporters do."""
    paras: list[str] = []
    i = 0
    while i < len(sentences):
        size = rng.choice((1, 2, 2, 3))
        paras.append(" ".join(sentences[i : i + size]))
        i += size
    return paras


def _task_list(rng: random.Random, fill: dict[str, str]) -> list[Block]:
    shared = bank()["shared"]
    tasks = rng.sample(shared["tasks"], rng.randint(3, 4))
    intro = (
        f"Để thực hiện tốt nhiệm vụ thời gian tới, đồng chí {fill['person2']} "
        "đề nghị tập trung vào một số nội dung sau:"
    )
    items = [f"{shared['ordinals'][i]}, {t.format_map(fill)}" for i, t in enumerate(tasks)]
    return [Block("p", intro), *(Block("p", item) for item in items)]


def _images(rng: random.Random, topic: dict, fill: dict[str, str]) -> list[Block]:
    captions = rng.sample(topic["captions"], min(len(topic["captions"]), rng.randint(1, 2)))
    out = []
    for cap in captions:
        text = cap.format_map(fill)
        out.append(Block("img", text, file=f"{text}.png" if rng.random() < 0.5 else ""))
    return out


def write_story(
    rng: random.Random,
    topic_key: str,
    site_key: str,
    published: datetime,
    lead_override: str | None = None,
) -> Story:
    """A full story of one topic for one province, published at ``published``."""
    topic = bank()["topics"][topic_key]
    fill = _slots(rng, site_key, published)
    pick = rng.randrange(len(topic["titles"]))
    title = topic["titles"][pick].format_map(fill)
    # Leads are written to match titles of the same index (modulo), so a story hangs together.
    lead = lead_override or topic["leads"][pick % len(topic["leads"])].format_map(fill)
    picked = rng.sample(topic["body"], min(len(topic["body"]), rng.randint(5, 7)))
    sentences = [s.format_map(fill) for s in picked]
    if "attendees" in topic:
        sentences.insert(0, rng.choice(topic["attendees"]))
    paras = _paragraphs(rng, sentences)
    blocks = [Block("p", lead)]
    images = _images(rng, topic, fill)
    blocks.append(images.pop(0))
    for i, para in enumerate(paras):
        if i == 2 and rng.random() < 0.7:
            blocks.append(Block("h", rng.choice(topic["subheads"]).format_map(fill)))
        blocks.append(Block("p", para))
        if i == 3 and images:
            blocks.append(images.pop(0))
    if topic_key in RELEVANT_TOPICS:
        if rng.random() < 0.45:
            blocks.extend(_task_list(rng, fill))
        blocks.append(Block("p", rng.choice(bank()["shared"]["closings"]).format_map(fill)))
    elif rng.random() < 0.5:
        blocks[-1] = Block("p", blocks[-1].text.rstrip(".") + "./.")
    return Story(topic_key, title, blocks, lead, fill["person"])

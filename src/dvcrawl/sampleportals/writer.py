"""Write one story (title, body blocks, teaser) from the sentence bank, deterministically.

Every story draws its own people, places and numbers and a random subset of its topic's
sentences, so two distinct stories share few 5-word shingles (tests check Jaccard < 0.2),
while a syndicated copy (corpus.py) shares nearly all of them with its original.
"""

from __future__ import annotations

import random
import re
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


# Safe word swaps applied to every bank sentence at load (each use picks one side), so two
# stories drawing the same sentence still word it differently; tuned on the Jaccard test.
SWAPS = (
    (re.compile(r"\btăng cường\b"), "<tăng cường|đẩy mạnh>"),
    (re.compile(r"\bkịp thời\b"), "<kịp thời|nhanh chóng>"),
    (re.compile(r"\btiếp tục\b"), "<tiếp tục|không ngừng>"),
    (re.compile(r"\bthời gian tới\b"), "<thời gian tới|những năm tới>"),
    (re.compile(r"\bngười dân\b"), "<người dân|bà con>"),
    (re.compile(r"\btrên địa bàn\b"), "<trên địa bàn|tại địa phương>"),
    (re.compile(r" đã "), "< đã | >"),
    (re.compile(r" được "), "< được | đã được >"),
    (re.compile(r" các "), "< các | những >"),
)


def _swappable(text: str) -> str:
    for pattern, alternatives in SWAPS:
        text = pattern.sub(alternatives, text)
    return text


def _prepare(doc: dict) -> dict:
    """Mark swaps in every sentence list except titles (slugs must stay stable)."""
    for topic in doc.get("topics", {}).values():
        for key in ("leads", "body"):
            topic[key] = [_swappable(t) for t in topic.get(key, [])]
    for key in ("tasks", "closings"):
        if key in doc.get("shared", {}):
            doc["shared"][key] = [_swappable(t) for t in doc["shared"][key]]
    for grammar in doc.get("grammar", {}).values():
        for key, items in grammar.items():
            grammar[key] = [_swappable(t) for t in items]
    return doc


@cache
def bank() -> dict:
    """All sentence data: topics from both banks, the shared pools and the place names."""
    data_dir = resources.files("dvcrawl.sampleportals") / "data"
    topics: dict = {}
    shared: dict = {}
    grammar: dict = {}
    for name in ("bank_danvan.toml", "bank_other.toml"):
        doc = _prepare(tomllib.loads((data_dir / name).read_text(encoding="utf-8")))
        topics.update(doc.get("topics", {}))
        shared.update(doc.get("shared", {}))
        grammar.update(doc.get("grammar", {}))
    places = tomllib.loads((data_dir / "places.toml").read_text(encoding="utf-8"))
    return {"topics": topics, "shared": shared, "places": places, "grammar": grammar}


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


# <a|b|c> in a bank sentence: one alternative is picked at each use.
_ALTERNATIVES = re.compile(r"<([^<>]*\|[^<>]*)>")


def render(template: str, fill: Fill) -> str:
    """Pick the <a|b> alternatives, then fill the {slots}."""
    text, found = template, 1
    while found:  # innermost first: swaps may sit inside a written <a|b>
        text, found = _ALTERNATIVES.subn(lambda m: fill.rng.choice(m.group(1).split("|")), text)
    return text.format_map(fill)


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


def _composed(rng: random.Random, grammar: dict, fill: Fill, count: int) -> list[str]:
    """Sentences built from subject + action + result pieces, each piece used once a story."""
    parts = [rng.sample(grammar[k], count) for k in ("subjects", "actions", "results")]
    return [render(f"{s} {a}, {r}.", fill) for s, a, r in zip(*parts, strict=True)]


def _attendees(rng: random.Random, topic: dict, fill: Fill) -> str:
    """ "Dự hội nghị có ..., Ban Dân vận Tỉnh ủy, ...": the Ban Dân vận only attends."""
    names = rng.sample(topic["agencies"], rng.randint(3, 5))
    names.insert(rng.randint(0, len(names)), rng.choice(topic["dan_van_units"]))
    people = f"đồng chí {fill['person2']}, Phó Chủ tịch UBND tỉnh"
    text = f"{rng.choice(topic['attendee_openers'])} {people}; đại diện lãnh đạo {', '.join(names)}"
    return render(text + " cùng lãnh đạo các xã, thị trấn.", fill)


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
    tasks = rng.sample(shared["tasks"], 3)
    intro = render(rng.choice(shared["task_intros"]), fill)
    items = [f"{shared['ordinals'][i]}, {render(t, fill)}" for i, t in enumerate(tasks)]
    return [Block("p", intro), *(Block("p", item) for item in items)]


def _images(rng: random.Random, topic: dict, fill: dict[str, str]) -> list[Block]:
    captions = rng.sample(topic["captions"], min(len(topic["captions"]), rng.randint(1, 2)))
    out = []
    for cap in captions:
        text = render(cap, fill)
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
    title = render(topic["titles"][pick], fill)
    # Leads are written to match titles of the same index (modulo), so a story hangs together.
    lead = lead_override or render(topic["leads"][pick % len(topic["leads"])], fill)
    picked = rng.sample(topic["body"], min(len(topic["body"]), rng.randint(2, 3)))
    sentences = [render(s, fill) for s in picked]
    family = "relevant" if topic_key in RELEVANT_TOPICS else "other"
    sentences += _composed(rng, bank()["grammar"][family], fill, rng.randint(6, 7))
    rng.shuffle(sentences)
    if "agencies" in topic:
        sentences.insert(0, _attendees(rng, topic, fill))
    paras = _paragraphs(rng, sentences)
    blocks = [Block("p", lead)]
    images = _images(rng, topic, fill)
    blocks.append(images.pop(0))
    for i, para in enumerate(paras):
        if i == 2 and rng.random() < 0.7:
            blocks.append(Block("h", render(rng.choice(topic["subheads"]), fill)))
        blocks.append(Block("p", para))
        if i == 3 and images:
            blocks.append(images.pop(0))
    if topic_key in RELEVANT_TOPICS:
        if rng.random() < 0.45:
            blocks.extend(_task_list(rng, fill))
        blocks.append(Block("p", render(rng.choice(bank()["shared"]["closings"]), fill)))
    elif rng.random() < 0.5:
        blocks[-1] = Block("p", blocks[-1].text.rstrip(".") + "./.")
    return Story(topic_key, title, blocks, lead, fill["person"])

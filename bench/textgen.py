"""Deterministic journal prose for the benchmark journals.

Sentences are put together from small pools of phrases written for this bench, so the
text has the rhythm of a real therapy journal (intentions before a session, imagery and
insights after it, ordinary days in between) and a realistic spread of word frequencies:
common words in most entries, some words in a few percent of them, a few in a handful.
Names of people and places are made from syllables, which gives the long tail of words
any real journal has. Everything depends only on the ``random.Random`` passed in.
"""

from __future__ import annotations

import random

FEELINGS = [
    "calm", "anxious", "tired", "hopeful", "restless", "tender", "heavy", "light",
    "grateful", "irritable", "sad", "curious", "numb", "open", "scared", "relieved",
    "lonely", "steady", "overwhelmed", "peaceful", "raw", "flat", "content", "uneasy",
]
PEOPLE = [
    "my mother", "my father", "my sister", "my brother", "my partner", "my therapist",
    "the nurse", "an old friend", "my daughter", "my son", "my grandmother", "a colleague",
    "my neighbour", "the guide", "my younger self",
]
PLACES = [
    "the kitchen", "the park", "the clinic", "the garden", "the office", "the car",
    "the beach", "the forest path", "the balcony", "my bedroom", "the train",
    "the river bank", "the waiting room", "the supermarket", "the hill behind the house",
]
IMAGES = [
    "a wide ocean", "a dark forest", "a staircase going down", "a field of tall grass",
    "an empty house", "a warm light", "a river of colours", "a night sky full of stars",
    "a desert", "a mountain ridge", "a small boat", "a room with no walls", "falling snow",
    "a spiral", "a door left open", "the ocean floor", "geometric patterns", "a cathedral",
    "a child on a swing", "waves on the shore",
]
RARE_IMAGES = ["a lighthouse", "a glass whale", "a burning orchard", "an origami crane"]
BODY = [
    "my chest", "my shoulders", "my hands", "my stomach", "my jaw", "my throat",
    "the back of my neck", "my legs", "my forehead",
]
SENSATIONS = [
    "tight", "heavy", "warm", "tingling", "loose", "buzzing", "cold", "numb", "soft",
    "hollow", "electric",
]
ACTIVITIES = [
    "walked for an hour", "cooked dinner", "called a friend", "slept badly", "slept well",
    "went running", "stayed in bed too long", "cleaned the flat", "read a novel",
    "did the breathing exercise", "worked late", "played the piano", "sat in the sun",
    "went swimming", "painted for a while", "did yoga", "listened to the session playlist",
    "wrote a letter I will not send", "meditated for twenty minutes", "skipped lunch",
]
WEATHER = [
    "It rained all day.", "The sun was out.", "Grey sky, cold wind.", "A warm evening.",
    "Fog in the morning.", "Snow on the roofs.", "Hot and humid.", "A clear, bright day.",
]
INSIGHTS = [
    "I do not have to carry all of it alone",
    "the fear is older than the situation",
    "I can let go of the need to control everything",
    "rest is not the same as giving up",
    "I have been hard on myself for years",
    "grief and love are tangled together",
    "my body remembers what my mind tries to forget",
    "I can be kind to the part of me that is scared",
    "I keep waiting for permission that nobody is going to give",
    "the anger was protecting something softer",
    "I am allowed to take up space",
    "change happens in small steps, not in one night",
]
INTENTIONS = [
    "stay curious about whatever comes up",
    "let go instead of holding on",
    "meet the sadness without running from it",
    "notice my breath when things get intense",
    "ask what my anxiety is trying to tell me",
    "be gentle with myself",
    "look at the relationship with my mother",
    "trust the process and the people around me",
    "find some space between me and the depression",
    "remember that it passes",
]
TIMES = [
    "this morning", "tonight", "at lunch", "after work", "in the afternoon",
    "before bed", "at dawn", "late at night",
]
OPENERS = ["Today", "Honestly,", "Again", "Somehow", "For once", "Later", "Mostly"]

_SYLLABLES = ["ka", "lo", "mi", "ren", "sa", "tor", "vel", "ni", "dra", "ber", "ul",
              "fen", "qui", "zo", "hal", "mar", "te", "ris", "an", "po"]


def _pick(rng: random.Random, pool: list[str]) -> str:
    return pool[rng.randrange(len(pool))]


def _zipf_index(rng: random.Random, n: int) -> int:
    """An index in [0, n) with a 1/rank-like skew: a few favourites, a long tail."""
    return min(n - 1, int(n ** rng.random()) - 1)


class Names:
    """A fixed cast of friends and places, mentioned with a skew (a few often, most rarely)."""

    def __init__(self, rng: random.Random, people: int = 400, places: int = 300) -> None:
        self.people = [self._word(rng).capitalize() for _ in range(people)]
        self.places = [self._word(rng).capitalize() + rng.choice(["ton", "berg", "ville",
                                                                  " Street", " Lake"])
                       for _ in range(places)]

    @staticmethod
    def _word(rng: random.Random) -> str:
        return "".join(rng.choice(_SYLLABLES) for _ in range(rng.randint(2, 3)))

    def person(self, rng: random.Random) -> str:
        return self.people[_zipf_index(rng, len(self.people))]

    def place(self, rng: random.Random) -> str:
        return self.places[_zipf_index(rng, len(self.places))]


def _image(rng: random.Random) -> str:
    if rng.random() < 0.01:
        return _pick(rng, RARE_IMAGES)
    return _pick(rng, IMAGES)


def _daily_sentence(rng: random.Random, names: Names) -> str:
    choice = rng.randrange(10)
    if choice == 0:
        return _pick(rng, WEATHER)
    if choice == 1:
        return f"{_pick(rng, OPENERS)} I {_pick(rng, ACTIVITIES)} and felt {_pick(rng, FEELINGS)}."
    if choice == 2:
        return (f"Met {names.person(rng)} near {names.place(rng)}; "
                f"we talked about {_pick(rng, PEOPLE)}.")
    if choice == 3:
        return f"I felt {_pick(rng, FEELINGS)} {_pick(rng, TIMES)}, mostly in {_pick(rng, BODY)}."
    if choice == 4:
        return f"Grateful for {_pick(rng, PEOPLE)} and for {_pick(rng, PLACES)}."
    if choice == 5:
        return (f"The low mood came back {_pick(rng, TIMES)} and I {_pick(rng, ACTIVITIES)} "
                "to get through it.")
    if choice == 6:
        pace = _pick(rng, ["busy", "quiet", "stressful", "fine", "long"])
        return f"Work was {pace}; I {_pick(rng, ACTIVITIES)}."
    if choice == 7:
        return f"I had a dream about {_pick(rng, PEOPLE)} in {_image(rng)}."
    if choice == 8:
        return f"Small win: I {_pick(rng, ACTIVITIES)} even though I felt {_pick(rng, FEELINGS)}."
    return f"{_pick(rng, PEOPLE).capitalize()} sent a message and I felt {_pick(rng, FEELINGS)}."


def _preparation_sentence(rng: random.Random, names: Names) -> str:
    choice = rng.randrange(7)
    if choice == 0:
        return f"My intention is to {_pick(rng, INTENTIONS)}."
    if choice == 1:
        return (f"I am {_pick(rng, FEELINGS)} about the session, and {_pick(rng, BODY)} "
                f"feels {_pick(rng, SENSATIONS)}.")
    if choice == 2:
        return f"I want to bring up {_pick(rng, PEOPLE)} with my therapist."
    if choice == 3:
        return f"Last time I saw {_image(rng)}; I wonder if it will come back."
    if choice == 4:
        return f"To prepare I {_pick(rng, ACTIVITIES)} and kept the evening quiet."
    if choice == 5:
        return (f"A question to hold: why do I still feel {_pick(rng, FEELINGS)} "
                f"around {_pick(rng, PEOPLE)}?")
    return _daily_sentence(rng, names)


def _integration_sentence(rng: random.Random, names: Names) -> str:
    choice = rng.randrange(8)
    if choice == 0:
        return f"During the infusion I saw {_image(rng)} and felt {_pick(rng, FEELINGS)}."
    if choice == 1:
        return f"Afterwards {_pick(rng, BODY)} was {_pick(rng, SENSATIONS)} for hours."
    if choice == 2:
        return f"What stays with me: {_pick(rng, INSIGHTS)}."
    if choice == 3:
        first = _pick(rng, FEELINGS)
        return f"I felt dissociated at first, then {first}, then {_pick(rng, FEELINGS)}."
    if choice == 4:
        who = _pick(rng, PEOPLE).capitalize()
        return f"{who} appeared and I could finally let go of something."
    if choice == 5:
        return f"The music carried me through {_image(rng)}."
    if choice == 6:
        return f"Practice for this week: I will {_pick(rng, INTENTIONS)}."
    return _daily_sentence(rng, names)


SENTENCES = {
    "preparation": _preparation_sentence,
    "integration": _integration_sentence,
    "free": _daily_sentence,
}


def paragraphs(rng: random.Random, names: Names, kind: str, words: int) -> str:
    """Roughly ``words`` words of Markdown prose in a few paragraphs."""
    make = SENTENCES[kind]
    out: list[str] = []
    para: list[str] = []
    count = 0
    while count < words:
        sentence = make(rng, names)
        para.append(sentence)
        count += sentence.count(" ") + 1
        if len(para) >= rng.randint(3, 7):
            out.append(" ".join(para))
            para = []
    if para:
        out.append(" ".join(para))
    return "\n\n".join(out)


TAGS = {
    "preparation": ["preparation", "intention", "fear", "hope", "set and setting"],
    "integration": ["integration", "insight", "imagery", "body", "grief", "family",
                    "letting go", "music"],
    "free": ["work", "sleep", "family", "friends", "gratitude", "anxiety", "low mood",
             "nature", "exercise", "dreams", "food", "small wins", "relationships"],
}


def tags_for(rng: random.Random, kind: str) -> tuple[str, ...]:
    pool = TAGS[kind]
    k = rng.randint(1, 3) if kind != "free" else rng.choice([0, 0, 1, 1, 2, 3])
    return tuple(rng.sample(pool, min(k, len(pool))))


FREE_TITLES = ["", "", "", "Evening", "A hard day", "Walk", "Notes", "Sunday", "Morning pages",
               "Dream", "Check-in with myself", "After the call"]

"""The common words of "what keeps coming up" (domain/themes.py): never a theme on their
own, and the few a phrase may start with."""

from __future__ import annotations

# Common English words: never a theme on their own, nor at the end of a phrase.
_STOP_TEXT = """
a about above after again against all also am an and any are aren't as at be because been
before being below between both but by can can't cannot could couldn't did didn't do does
doesn't doing don't down during each even ever every few for from further get gets getting
got had hadn't has hasn't have haven't having he he'd he's her here here's hers herself him
himself his how how's i i'd i'll i'm i've if in into is isn't it it's its itself just let
let's lot lots maybe me more most much must mustn't my myself no nor not now of off on once
one only or other ought our ours ourselves out over own really same she she'd she's should
shouldn't so some such than that that's the their theirs them themselves then there
there's these they they'd they'll they're they've this those though through to too under
until up upon us very was wasn't we we'd we'll we're we've were weren't what what's when
when's where where's which while who who's whom why why's will with won't would wouldn't
yet you you'd you'll you're you've your yours yourself yourselves yes okay ok oh
again already always another anyway around away back bit came come comes day days done
feel feeling feelings feels felt go going gone good know like little made make makes many
quite say said see seem seemed seems somehow something still thing things think thought
today told took want wanted way well went will
"""
STOP_WORDS = frozenset(_STOP_TEXT.split())
#: Words a phrase may start with although they are common words.
LEADING_WORDS = frozenset({"my", "the", "a", "an", "our", "his", "her", "their"})

"""The values the parser offers as choices, written out so that building the parser
imports no domain module (entities, attachments, search and what they pull in: prompts,
practices, tomllib cost ~60 ms, a quarter of a whole ``search``).

Each tuple is the domain's own list, in its order: tests/unit/cli/test_choices.py checks
them against the enums, so a kind added to the domain can't be forgotten here.
"""

from __future__ import annotations

#: domain.entities.EntryKind
ENTRY_KINDS = ("preparation", "integration", "free", "check-in", "quick-capture")
#: domain.search.PRACTICE_KIND: a search result kind beside the entry kinds
PRACTICE_KIND = "practice"
#: domain.entities.Modality, Setting (the first is the default, as in TreatmentSession)
MODALITIES = ("iv-infusion", "im-injection", "oral", "sublingual", "nasal-esketamine",
              "other")
SETTINGS = ("clinic", "home")
#: domain.attachments.AttachmentKind and MAX_ATTACHMENT_BYTES
ATTACHMENT_KINDS = ("voice", "image", "drawing")
MAX_ATTACHMENT_BYTES = 50 * 1024 * 1024

"""A toy Tamil -> English parallel corpus: verb-final, postpositional source; SVO English with the modal first.

The source language is the code-mixed office Tamil of the blog's example (English nouns carry Tamil case suffixes:
report-ஐ "report, as object", manager-க்கு "to the manager"), with colleagues named in Tamil script and their case
endings fused on as Tamil writes them (குமாருக்கு "to Kumar", பிரியாவுடன் "with Priya"). A clause is built from
slots, most of them optional:

    Tamil   [subject] [time] [hour] [place] [companion] [recipient] [object] [manner] verb [modal]
    English (subject | modal + you | should + subject) [manner] verb [object] [to recipient] [with companion]
            [place] [at hour] [time]

so the English order differs from the Tamil one in almost every slot. Subjects, recipients and companions come from
24 names, places from 16 cities (and office, home, meeting), hours from twelve, objects from 26 nouns: a long
sentence carries a dozen such words, each of which must reach the English unchanged. Up to four clauses join with
a connector ("and then", "but", "so"), so sources run to 50 tokens; a question may only close a sentence. Every
source sentence has exactly one English translation, which is what makes exact match and BLEU meaningful.

    lexicon    the words: Tamil forms, English, glosses, both vocabularies
    grammar    slots, their options and `build`
    sampler    random sentences, the held-out set and the training corpus
    files      the held-out set on disk
    parsing    typed tokens back to slots and a reference translation
    tokenizer  a typed sentence split into tokens, or why it cannot be translated

Public API: `Sentence`, `Corpus`, `make_corpus`, `held_out_set`, `sample_sentence`, `builder_slots`,
`slot_options`, `Slot`, `Option`, `build`, `parse`, `BLOG_SLOTS`, `tokenize`, `Tokenized`,
`gloss`, `source_vocabulary`, `target_vocabulary`, `bucket_of`, `LENGTH_BUCKETS`, `MIN_SOURCE_LEN`,
`MAX_SOURCE_LEN`, `BLOG_SOURCE`, `BLOG_ENGLISH`, and the open classes `NAMES`, `CITIES`, `HOURS`, `OBJECTS`.
"""

from .files import HELD_OUT_FILE, read_held_out, write_held_out
from .grammar import (
    BLOG_ENGLISH,
    BLOG_SLOTS,
    BLOG_SOURCE,
    MAX_CLAUSES,
    NONE,
    SLOT_ORDER,
    Option,
    Sentence,
    Slot,
    build,
    builder_slots,
    slot_options,
)
from .lexicon import CITIES, HOURS, NAMES, OBJECTS, gloss, source_vocabulary, target_vocabulary
from .parsing import parse
from .sampler import (
    DEFAULT_SEED,
    LENGTH_BUCKETS,
    MAX_SOURCE_LEN,
    MIN_SOURCE_LEN,
    N_TEST_PER_BUCKET,
    Corpus,
    bucket_of,
    held_out_set,
    make_corpus,
    sample_held_out,
    sample_sentence,
)
from .tokenizer import Tokenized, tokenize

__all__ = [
    "BLOG_SOURCE", "BLOG_ENGLISH", "BLOG_SLOTS", "MAX_CLAUSES", "NONE", "SLOT_ORDER", "Sentence", "Option",
    "Slot", "slot_options", "builder_slots", "build", "MIN_SOURCE_LEN", "MAX_SOURCE_LEN", "LENGTH_BUCKETS",
    "DEFAULT_SEED", "N_TEST_PER_BUCKET", "Corpus", "sample_sentence", "sample_held_out", "held_out_set", "make_corpus", "bucket_of",
    "HELD_OUT_FILE", "read_held_out", "write_held_out", "parse", "Tokenized", "tokenize", "NAMES", "CITIES",
    "HOURS", "OBJECTS", "gloss", "source_vocabulary", "target_vocabulary",
]

"""`dedupe eval events`: event grouping on ECB+ (or any story file, see
`dedupe.evaluate.stories`) against its gold events, beside baselines.

The documents run through the real pipeline (ingest rules, spaCy claims, MiniLM vectors,
`group_events`) with no gold information; the scores compare the events with the gold
subtopics (or stories), and, on ECB+, the claims with the gold event-mention clusters of
their sentences.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Hashable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from dedupe.checks.wording import happening
from dedupe.claims.extract import Progress, no_progress
from dedupe.errors import InputError
from dedupe.evaluate import baselines
from dedupe.evaluate.corpus import Analysed, analyse
from dedupe.evaluate.ecbplus import (
    MENTIONS_FILE,
    EcbArticle,
    GoldMention,
    read_articles,
    read_documents,
    read_mentions,
)
from dedupe.evaluate.metrics import (
    Clustering,
    adjusted_rand,
    b_cubed,
    ceaf_e,
    muc,
    pairwise,
    sibling_merge,
)
from dedupe.evaluate.stories import read_stories, reads_stories, story_topics
from dedupe.events.embed import Embedder, embedder_for
from dedupe.events.grouping import group_events
from dedupe.records import Article, Claim, Event
from dedupe.settings import Settings

_MIN_STEM = 2  # "die" -> "di", which "died" and "dies" start with
# past forms that do not start with their lemma, for aligning claims with gold mentions
_IRREGULAR = {
    form: lemma
    for lemma, forms in {
        "be": "was were been is are", "beat": "beaten", "become": "became",
        "begin": "began begun", "bring": "brought", "buy": "bought", "catch": "caught",
        "choose": "chose chosen", "come": "came", "do": "did done", "draw": "drew drawn",
        "drive": "drove driven", "fall": "fell fallen", "feel": "felt", "fight": "fought",
        "find": "found", "flee": "fled", "fly": "flew flown", "get": "got gotten",
        "give": "gave given", "go": "went gone", "have": "had has", "hold": "held",
        "keep": "kept", "know": "knew known", "lead": "led", "leave": "left", "lose": "lost",
        "make": "made", "meet": "met", "pay": "paid", "run": "ran", "say": "said",
        "see": "saw seen", "seek": "sought", "sell": "sold", "send": "sent", "shoot": "shot",
        "sink": "sank sunk", "speak": "spoke spoken", "stand": "stood", "steal": "stole stolen",
        "strike": "struck", "take": "took taken", "tell": "told", "think": "thought",
        "throw": "threw thrown", "win": "won", "write": "wrote written",
    }.items()
    for form in forms.split()
}  # fmt: skip


@dataclass(frozen=True)
class GroupingScores:
    """How a clustering of documents matches the gold subtopics."""

    b3_precision: float
    b3_recall: float
    b3_f1: float
    pairwise_f1: float
    ari: float
    sibling_merge: float | None  # None without topics (no sibling events known)
    n_pred: int
    n_gold: int


@dataclass(frozen=True)
class ClaimScores:
    """How claims grouped by event and near-duplicate match gold event-mention clusters."""

    aligned: int  # claims whose predicate is an annotated mention in a checked sentence
    claims: int
    b3_f1: float
    muc_f1: float
    ceaf_e_f1: float
    conll_f1: float


@dataclass(frozen=True)
class EventsEvaluation:
    split: str | None
    documents: int
    dedupe: GroupingScores
    claims: ClaimScores | None  # None without gold event mentions (story files)
    baselines: dict[str, GroupingScores]

    def to_json(self) -> dict[str, Any]:
        """`{"dedupe": {...}, "baselines": {"tfidf": {...}, "minilm_doc": {...}}}`."""
        ours = dataclasses.asdict(self.dedupe)
        if self.claims is not None:
            ours |= {"claims_b3_f1": self.claims.b3_f1, "claims_conll_f1": self.claims.conll_f1}
        return {
            "dedupe": _rounded(ours),
            "baselines": {k: _rounded(dataclasses.asdict(v)) for k, v in self.baselines.items()},
        }


@dataclass(frozen=True)
class Corpus:
    """Evaluation documents read as articles, analysed by the pipeline, with gold labels:
    article id -> gold event (`gold`) and -> topic (`topics`, None when the file names none).
    `ecb` and `mentions` (for the claim-level scores) are empty for a story file."""

    articles: list[Article]
    gold: dict[str, Hashable]
    topics: dict[str, Hashable] | None
    analysed: Analysed
    ecb: list[EcbArticle]
    mentions: list[GoldMention]


def load_corpus(
    docs_path: str | Path,
    split: str | None,
    settings: Settings,
    store_path: str | Path | None = None,
    progress: Progress = no_progress,
    embedder: Callable[[], Embedder] | None = None,
    file_format: str = "auto",
) -> Corpus:
    """Read ECB+ documents (and the gold mentions beside them) or a story file, and run
    claims and vectors. `auto` tells them apart by the first line (a story has `story`)."""
    if reads_stories(docs_path, file_format):
        items = read_stories(docs_path, split)
        articles = [i.article for i in items]
        analysed = analyse(articles, settings, store_path, progress=progress, embedder=embedder)
        gold: dict[str, Hashable] = {i.article.id: i.story for i in items}
        return Corpus(articles, gold, story_topics(items), analysed, [], [])
    docs = read_documents(docs_path, split)
    ecb = read_articles(docs)
    mentions_path = Path(docs_path).with_name(MENTIONS_FILE)
    if not mentions_path.is_file():
        raise InputError(str(mentions_path), "gold event mentions not found beside the documents")
    mentions = read_mentions(mentions_path, {d.doc_id for d in docs})
    articles = [a.article for a in ecb]
    analysed = analyse(articles, settings, store_path, progress=progress, embedder=embedder)
    gold = {a.article.id: a.doc.subtopic for a in ecb}
    topics: dict[str, Hashable] = {a.article.id: a.doc.topic for a in ecb}
    return Corpus(articles, gold, topics, analysed, ecb, mentions)


def evaluate_events(
    corpus: Corpus,
    settings: Settings,
    embedder: Callable[[], Embedder] | None = None,
    split: str | None = None,
) -> EventsEvaluation:
    """Group the corpus with dedupe and with both baselines, and score all three."""
    get_embedder = embedder or (lambda: embedder_for(settings))
    articles = corpus.articles
    claims, X = corpus.analysed.claims, corpus.analysed.X
    events = group_events(articles, claims, X, settings)
    predicted = {a: e.id for e in events for a in e.article_ids}
    tfidf = baselines.average_link_labels(
        baselines.tfidf_vectors(articles), baselines.TFIDF_THRESHOLD
    )
    minilm = baselines.average_link_labels(
        baselines.minilm_vectors(articles, get_embedder()), baselines.MINILM_THRESHOLD
    )
    return EventsEvaluation(
        split=split,
        documents=len(articles),
        dedupe=grouping_scores(predicted, corpus.gold, corpus.topics),
        claims=claim_scores(corpus, events) if corpus.ecb else None,
        baselines={
            "tfidf": grouping_scores(_labels(articles, tfidf), corpus.gold, corpus.topics),
            "minilm_doc": grouping_scores(_labels(articles, minilm), corpus.gold, corpus.topics),
        },
    )


def _labels(articles: Sequence[Any], labels: Any) -> dict[str, Hashable]:
    return {a.id: int(label) for a, label in zip(articles, labels, strict=True)}


def grouping_scores(
    pred: Clustering,
    gold: Clustering,
    topics: Clustering | None,
) -> GroupingScores:
    b3 = b_cubed(pred, gold)
    return GroupingScores(
        b3_precision=b3.precision,
        b3_recall=b3.recall,
        b3_f1=b3.f1,
        pairwise_f1=pairwise(pred, gold).f1,
        ari=adjusted_rand(pred, gold),
        sibling_merge=None if topics is None else sibling_merge(pred, gold, topics),
        n_pred=len(set(pred.values())),
        n_gold=len(set(gold.values())),
    )


def claim_scores(corpus: Corpus, events: Sequence[Event]) -> ClaimScores:
    """Claims labelled by (event, happening: `checks.wording.happening`) against the gold
    cluster of the event mention their predicate is, for the claims that align with one."""
    claims = corpus.analysed.claims
    gold = gold_claim_clusters(corpus.ecb, claims, corpus.mentions)
    event_of = {c: e.id for e in events for c in e.claim_ids}
    predicate = {c.id: c.predicate for c in claims}
    pred: dict[str, Hashable] = {c: (event_of.get(c, c), happening(predicate[c])) for c in gold}
    b3, m, ce = b_cubed(pred, gold), muc(pred, gold), ceaf_e(pred, gold)
    return ClaimScores(
        aligned=len(gold),
        claims=len(claims),
        b3_f1=b3.f1,
        muc_f1=m.f1,
        ceaf_e_f1=ce.f1,
        conll_f1=(b3.f1 + m.f1 + ce.f1) / 3,
    )


def gold_claim_clusters(
    articles: Sequence[EcbArticle], claims: Sequence[Claim], mentions: Sequence[GoldMention]
) -> dict[str, Hashable]:
    """Claim id -> gold cluster of the annotated mention that is the claim's predicate (in a
    checked sentence, within the claim's sentence span)."""
    by_sentence: dict[tuple[str, int], list[GoldMention]] = {}
    for m in mentions:
        if m.validated:
            by_sentence.setdefault((m.doc_id, m.sent_id), []).append(m)
    by_article = {a.article.id: a for a in articles}
    offsets = {a.article.id: _paragraph_offsets(a.article.text) for a in articles}
    found: dict[str, Hashable] = {}
    for claim in claims:
        ecb = by_article.get(claim.article_id)
        if ecb is None or not claim.predicate:
            continue
        para_start, para = _paragraph_at(offsets[claim.article_id], claim.sentence.start)
        sentence = ecb.sentences.get(para)
        if sentence is None:
            continue
        lo, hi = claim.sentence.start - para_start, claim.sentence.end - para_start
        inside = {
            sentence.first_token + n for n, s in enumerate(sentence.token_starts) if lo <= s < hi
        }
        head = claim.predicate.split()[0]
        for m in by_sentence.get((ecb.doc.doc_id, sentence.sent_id), []):
            if m.token_ids[0] in inside and any(_inflects(head, w) for w in m.text.split()):
                found[claim.id] = m.cluster_id
                break
    return found


def _paragraph_offsets(text: str) -> list[tuple[int, str]]:
    out, offset = [], 0
    for para in text.split("\n\n"):
        out.append((offset, para))
        offset += len(para) + 2
    return out


def _paragraph_at(paragraphs: list[tuple[int, str]], position: int) -> tuple[int, str]:
    current = paragraphs[0]
    for start, para in paragraphs:
        if start > position:
            break
        current = (start, para)
    return current


def _inflects(lemma: str, word: str) -> bool:
    """Whether `word` may be a form of `lemma` ("died" of "die", "fired" of "fire")."""
    word = word.lower()
    if word == lemma or _IRREGULAR.get(word) == lemma:
        return True
    stem = lemma[:-1] if lemma.endswith(("e", "y")) else lemma
    return len(stem) >= _MIN_STEM and word.startswith(stem)


def _rounded(values: dict[str, Any]) -> dict[str, Any]:
    return {k: round(v, 4) if isinstance(v, float) else v for k, v in values.items()}


_ROWS = (
    ("B³ precision", "b3_precision"),
    ("B³ recall", "b3_recall"),
    ("B³ F1", "b3_f1"),
    ("pairwise F1", "pairwise_f1"),
    ("ARI", "ari"),
    ("sibling-merge", "sibling_merge"),
    ("events (pred)", "n_pred"),
    ("events (gold)", "n_gold"),
)


def format_evaluation(result: EventsEvaluation) -> str:
    """The printed table: dedupe and both baselines side by side, then the claim scores."""
    columns = {"dedupe": result.dedupe} | {f"{k} baseline": v for k, v in result.baselines.items()}
    width = max(len(n) for n, _ in _ROWS) + 2
    lines = [
        f"events on {result.documents} documents"
        + (f" ({result.split})" if result.split else "")
        + ":",
        " " * width + "".join(f"{name:>22}" for name in columns),
    ]
    for label, key in _ROWS:
        cells = []
        for scores in columns.values():
            value = getattr(scores, key)
            if value is None:
                cells.append(f"{'-':>22}")
            else:
                cells.append(f"{value:>22}" if isinstance(value, int) else f"{value:>22.3f}")
        lines.append(f"{label:<{width}}" + "".join(cells))
    c = result.claims
    if c is None:
        return "\n".join(lines)
    lines.append(
        f"claims: {c.aligned} of {c.claims} align with gold event mentions; "
        f"B³ F1 {c.b3_f1:.3f}, CoNLL F1 {c.conll_f1:.3f} "
        f"(MUC {c.muc_f1:.3f}, CEAF-e {c.ceaf_e_f1:.3f})"
    )
    return "\n".join(lines)

"""Corpus-wide stages: claims.jsonl, reconciliation, briefing and HTML report.

They re-run only when the set of documents or the code of these stages changed; the
key that decides it is derived from per-document stamps (which the runner keeps in one
state file), so an unchanged corpus costs a few small reads.

What these stages need of each document (its claims, a compact digest of dates,
entities, sentence spans and summary, and its text for the few documents the report
shows in full) is kept in ``OUT/state/digests.sqlite``, keyed by the document's stamps
and the report code: adding one document reads that document's files only, never the
other 10,000.
"""

from __future__ import annotations

import functools
import gc
import hashlib
import json
import sqlite3
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from contextlib import closing, contextmanager
from pathlib import Path
from typing import Any

from pipeline import io
from pipeline.fingerprint import PER_DOC, own_code_fingerprint, stage_fingerprint
from pipeline.report.common import DateRowCache

OUTPUTS = ("claims.jsonl", "reconciled.json", "reconciled.md", "briefing.md", "report.html")
DIGEST_DB = Path("state") / "digests.sqlite"
DIGEST_SCHEMA = "digest/1"


def read_stamps(out: Path, doc_ids: Iterable[str]) -> dict[str, dict[str, str]]:
    """Each document's stamp.json (the slow path, used when the runner has no cache)."""
    stamps: dict[str, dict[str, str]] = {}
    for d in doc_ids:
        try:
            stamps[d] = io.read_json(out / "docs" / d / "stamp.json")
        except (OSError, ValueError):
            stamps[d] = {}
    return stamps


def _corpus_key(doc_ids: list[str], stamps: Mapping[str, Mapping[str, str]]) -> str:
    """Hash of what the corpus stages read: document ids, their stamps, stage code."""
    h = hashlib.sha256()
    h.update(stage_fingerprint("reconcile").encode())
    h.update(stage_fingerprint("report").encode())
    for d in doc_ids:
        stamp = stamps.get(d) or {}
        h.update(f"{d}:{stamp.get('claims')}:{stamp.get('summarize')}\n".encode())
    return h.hexdigest()[:16]


def digest_key(stamp: Mapping[str, str], code: str) -> str:
    """Validity key of a stored digest: the document's stage stamps and the report code.

    ``code`` is ``own_code_fingerprint("report")``: the stamps already pin the upstream
    code, so an edit to, say, the claims lexicon does not invalidate every digest.
    """
    return ":".join([DIGEST_SCHEMA, code, *(str(stamp.get(s)) for s in PER_DOC)])


DIGEST_VERSION = 8  # PRAGMA user_version of the layout below; another value is rebuilt
_REST = ("spans", "mentions", "mentions_plain", "summary")  # loaded only when asked for


class DigestStore:
    """Per-document digests in one SQLite file (transactions keep it whole after a crash).

    It is a cache: a row whose key does not match the document's stamps is rebuilt from
    the document's files, and a lost or corrupt file is simply rebuilt. Each row keeps
    the claims as JSON Lines (copied, never parsed, into claims.jsonl), a compact part
    every run reads (one index row per claim, metadata, entity counts, lead sentence,
    dates mentioned) and the rest (sentence spans, dated mentions, summary, text), read
    only for the documents a run needs them of.
    """

    def __init__(self, out: Path) -> None:
        self.path = out / DIGEST_DB
        self.path.parent.mkdir(parents=True, exist_ok=True)
        try:
            self.db = self._open()
        except sqlite3.DatabaseError:
            # with its log: a log left beside a new file would be replayed into it
            for suffix in ("", "-wal", "-shm"):
                Path(f"{self.path}{suffix}").unlink(missing_ok=True)
            self.db = self._open()

    def _open(self) -> sqlite3.Connection:
        """Connect; create the tables (dropping those of another layout)."""
        db = sqlite3.connect(self.path)
        # A cache: write-ahead logging with syncs at checkpoints keeps it whole after a crash
        # (a lost last transaction is rebuilt), without a sync per commit.
        db.execute("PRAGMA journal_mode = WAL")
        db.execute("PRAGMA synchronous = NORMAL")
        if db.execute("PRAGMA user_version").fetchone()[0] != DIGEST_VERSION:
            with db:
                for table in ("digests", "compact", "entities", "timeline", "memo"):
                    db.execute(f"DROP TABLE IF EXISTS {table}")
            db.execute(f"PRAGMA user_version = {DIGEST_VERSION}")
        # What every run reads in full (the compact parts, the timeline heads) is kept
        # apart from, or ahead of, large columns: SQLite walks a row's overflow pages to
        # reach a column stored after a long one.
        db.execute(
            "CREATE TABLE IF NOT EXISTS digests (doc_id TEXT PRIMARY KEY, key TEXT NOT NULL, "
            "claims TEXT NOT NULL, rest TEXT NOT NULL, body TEXT NOT NULL)"
        )
        db.execute(
            "CREATE TABLE IF NOT EXISTS compact (doc_id TEXT PRIMARY KEY, compact TEXT NOT NULL)"
        )
        # One row per (document, entity): ranking is a GROUP BY over an index, and an
        # entity's latest documents an index range, so no run parses 250,000 entity counts.
        db.execute(
            "CREATE TABLE IF NOT EXISTS entities (doc_id TEXT NOT NULL, eid TEXT NOT NULL, "
            "name TEXT NOT NULL, type TEXT NOT NULL, mentions INTEGER NOT NULL, "
            "published TEXT NOT NULL, PRIMARY KEY (doc_id, eid)) WITHOUT ROWID"
        )
        db.execute("CREATE INDEX IF NOT EXISTS entities_rank ON entities (eid, doc_id, mentions)")
        db.execute(
            "CREATE INDEX IF NOT EXISTS entities_recent ON entities (eid, published, doc_id)"
        )
        db.execute(
            "CREATE TABLE IF NOT EXISTS timeline (key TEXT PRIMARY KEY, date TEXT NOT NULL, "
            "heads TEXT NOT NULL, members TEXT NOT NULL, checkpoint TEXT NOT NULL, "
            "rows TEXT NOT NULL)"
        )
        db.execute("CREATE INDEX IF NOT EXISTS timeline_date ON timeline (date)")
        db.execute(
            "CREATE TABLE IF NOT EXISTS memo (kind TEXT NOT NULL, fp TEXT NOT NULL, "
            "value TEXT NOT NULL, PRIMARY KEY (kind, fp))"
        )
        return db

    def memo(self, kind: str, *, preload: bool = False, raw: bool = False) -> Memo:
        """Values of one kind (reconciled groups, their markdown, their facts) by fingerprint."""
        return Memo(self.db, kind, preload=preload, raw=raw)

    def timeline_cache(self) -> RowCache:
        """The timeline rows of each date computed by earlier runs."""
        return RowCache(
            dict(self.db.execute("SELECT key, heads FROM timeline")),
            self._timeline_rows,
            lambda date: list(
                self.db.execute(
                    "SELECT key, members, checkpoint FROM timeline WHERE date = ?", (date,)
                )
            ),
        )

    def _timeline_rows(self, key: str) -> str:
        """The stored rows of one timeline entry (read only when a row is shown or continued)."""
        row = self.db.execute("SELECT rows FROM timeline WHERE key = ?", (key,)).fetchone()
        return "" if row is None else str(row[0])

    def save_timeline(self, cache: RowCache) -> None:
        """Keep the rows this run used or made; drop the rest (the table stays small)."""
        from pipeline.report.briefing import row_head

        with self.db:
            stale = [(k,) for k in cache.stored if k not in cache.used]
            self.db.executemany("DELETE FROM timeline WHERE key = ?", stale)
            self.db.executemany(
                "INSERT OR REPLACE INTO timeline (key, rows, heads, date, members, checkpoint) "
                "VALUES (?, ?, ?, ?, ?, ?)",
                [
                    (
                        k,
                        dump_rows(v),
                        io.dumps([row_head(r) for r in v]),
                        *(
                            (cache.notes[k][0], io.dumps(cache.notes[k][1]), cache.notes[k][2])
                            if k in cache.notes
                            else ("", "{}", "")
                        ),
                    )
                    for k, v in sorted(cache.new.items())
                ],
            )

    def close(self) -> None:
        """Close the connection."""
        self.db.close()

    def sync(self, out: Path, keys: Mapping[str, str]) -> list[str]:
        """Rebuild the rows of new or changed documents, drop the others; return rebuilt ids."""
        # a document whose compact row is missing (the file was tampered with) is rebuilt
        have = dict(self.db.execute("SELECT doc_id, key FROM digests JOIN compact USING (doc_id)"))
        todo = [d for d in sorted(keys) if have.get(d) != keys[d]]
        gone = sorted(set(have) - set(keys))
        with self.db:  # one transaction
            for table in ("digests", "compact", "entities"):
                self.db.executemany(
                    f"DELETE FROM {table} WHERE doc_id = ?", [(d,) for d in (*gone, *todo)]
                )
            for d in todo:
                claims, compact, rest, body, entities = build_row(out / "docs" / d, d)
                self.db.execute(
                    "INSERT INTO digests VALUES (?, ?, ?, ?, ?)", (d, keys[d], claims, rest, body)
                )
                self.db.execute("INSERT INTO compact VALUES (?, ?)", (d, compact))
                self.db.executemany(
                    "INSERT INTO entities VALUES (?, ?, ?, ?, ?, ?)",
                    [(d, *e) for e in entities],
                )
        return todo

    def claims_text(self, doc_ids: Sequence[str]) -> list[bytes]:
        """claims.jsonl in pieces: every document's claims, in document order, as stored
        (UTF-8 bytes: copied to the file without being decoded and encoded again)."""
        claims = dict(self.db.execute("SELECT doc_id, CAST(claims AS BLOB) FROM digests"))
        return [claims[d] for d in doc_ids]

    def compact(self, doc_ids: Sequence[str]) -> dict[str, dict[str, Any]]:
        """The compact part of each document (index, meta, entities, lead, dates)."""
        rows = {d: json.loads(c) for d, c in self.db.execute("SELECT doc_id, compact FROM compact")}
        return {d: rows[d] for d in doc_ids}

    def _select(self, column: str, doc_ids: Sequence[str]) -> dict[str, str]:
        """One column of some documents' rows."""
        out: dict[str, str] = {}
        for i in range(0, len(doc_ids), 500):
            chunk = list(doc_ids[i : i + 500])
            marks = ",".join("?" * len(chunk))
            out.update(
                self.db.execute(
                    f"SELECT doc_id, {column} FROM digests WHERE doc_id IN ({marks})", chunk
                )
            )
        return out

    def claims_texts(self, doc_ids: Sequence[str]) -> dict[str, str]:
        """The claims of some documents, as JSON Lines."""
        return self._select("claims", doc_ids)

    def claims_of(self, doc_ids: Sequence[str]) -> list[dict[str, Any]]:
        """The full claims of some documents, in the order given."""
        text = self._select("claims", doc_ids)
        return _parse_jsonl(text[d] for d in doc_ids if d in text)

    def rest_of(self, doc_ids: Sequence[str]) -> dict[str, dict[str, Any]]:
        """Spans, mentions and summary of some documents."""
        return {d: json.loads(r) for d, r in self._select("rest", doc_ids).items()}

    def rank_entities(self, limit: int, links: int) -> list[dict[str, Any]]:
        """``briefing.rank_entities`` of every stored document, top ``limit``, except that
        ``doc_ids`` lists only an entity's ``links`` latest documents (by publication date,
        then id; sorted by id), as the report shows them; ``documents`` counts them all."""
        out: list[dict[str, Any]] = []
        top = self.db.execute(
            "SELECT eid, COUNT(*) AS n, SUM(mentions) AS m, MIN(doc_id) FROM entities "
            "GROUP BY eid ORDER BY n DESC, m DESC, eid LIMIT ?",
            (limit,),
        ).fetchall()
        for eid, n, m, first in top:
            # named as the first document (by id) naming it names it
            name, etype = self.db.execute(
                "SELECT name, type FROM entities WHERE doc_id = ? AND eid = ?", (first, eid)
            ).fetchone()
            latest = self.db.execute(
                "SELECT doc_id FROM entities WHERE eid = ? "
                "ORDER BY published DESC, doc_id DESC LIMIT ?",
                (eid, links),
            )
            out.append(
                {
                    "id": eid,
                    "name": name,
                    "type": etype,
                    "mentions": m,
                    "documents": n,
                    "doc_ids": sorted(d for (d,) in latest),
                }
            )
        return out

    def texts(self, doc_ids: list[str]) -> dict[str, str]:
        """The text of a few documents (those the report shows in full)."""
        return self._select("body", doc_ids)


class LazyDigest(Mapping[str, Any]):
    """A document's digest: the compact part at hand, the rest read when first asked for."""

    def __init__(self, compact: Mapping[str, Any], load: Callable[[], Mapping[str, Any]]) -> None:
        self.base = compact
        self.load = load
        self.rest: Mapping[str, Any] | None = None

    def __getitem__(self, key: str) -> Any:
        if key in self.base:
            return self.base[key]
        if key not in _REST:
            raise KeyError(key)
        if self.rest is None:
            self.rest = self.load()
        return self.rest[key]

    def __iter__(self) -> Iterator[str]:
        return iter([*self.base, *_REST])

    def __len__(self) -> int:
        return len(self.base) + len(_REST)


class Memo:
    """Values a corpus stage computed per group, by a fingerprint of all they were made from.

    A cache: a value is looked up only by the hash of its inputs, so a stale row can never
    be served; rows this run did not use are dropped when it saves. A ``raw`` memo reads
    its values as UTF-8 bytes (:meth:`get_raw`): values written to an output as they are
    (80 MB of group lines at 10,000 documents) are then never decoded and encoded again.
    """

    def __init__(
        self, db: sqlite3.Connection, kind: str, *, preload: bool = False, raw: bool = False
    ) -> None:
        self.db = db
        self.kind = kind
        self.used: set[str] = set()
        self.column = "CAST(value AS BLOB)" if raw else "value"
        # a kind every run reads nearly all of is read in one scan, not a query a group
        self.values: dict[str, str | bytes] | None = None
        if preload:
            self.values = dict(
                self.db.execute(f"SELECT fp, {self.column} FROM memo WHERE kind = ?", (kind,))
            )

    def get_raw(self, fp: str) -> str | bytes | None:
        """The stored value (UTF-8 bytes when the memo is raw), or None."""
        self.used.add(fp)
        if self.values is not None:
            return self.values.get(fp)
        row = self.db.execute(
            f"SELECT {self.column} FROM memo WHERE kind = ? AND fp = ?", (self.kind, fp)
        ).fetchone()
        return None if row is None else row[0]

    def get(self, fp: str) -> str | None:
        """The stored value, or None."""
        value = self.get_raw(fp)
        return value.decode() if isinstance(value, bytes) else value

    def put(self, fp: str, value: str) -> None:
        """Store a value made by this run (committed by :meth:`save`; kept out of memory)."""
        self.used.add(fp)
        self.db.execute("INSERT OR REPLACE INTO memo VALUES (?, ?, ?)", (self.kind, fp, value))

    def get_or_make(self, fp: str | None, make: Callable[[], str]) -> str:
        """The stored value, or ``make()``'s, stored (a None fingerprint: made, not stored)."""
        value = self.get_or_make_raw(fp, make)
        return value.decode() if isinstance(value, bytes) else value

    def get_or_make_raw(self, fp: str | None, make: Callable[[], str]) -> str | bytes:
        """``get_or_make``, a stored value as :meth:`get_raw` reads it."""
        value = self.get_raw(fp) if fp is not None else None
        if value is None:
            value = make()
            if fp is not None:
                self.put(fp, value)
        return value

    def keep(self, fp: str) -> None:
        """Keep a stored value this run did not need to read."""
        self.used.add(fp)

    def save(self) -> None:
        """Commit, dropping the values this run did not use (the table stays small)."""
        with self.db:
            have = [
                fp for (fp,) in self.db.execute("SELECT fp FROM memo WHERE kind = ?", (self.kind,))
            ]
            self.db.executemany(
                "DELETE FROM memo WHERE kind = ? AND fp = ?",
                [(self.kind, fp) for fp in have if fp not in self.used],
            )


class RawLines:
    """A raw :class:`Memo` as ``reconcile_index``'s line store: lines come back as bytes."""

    def __init__(self, memo: Memo) -> None:
        self.get = memo.get_raw
        self.put = memo.put
        self.keep = memo.keep


def dump_rows(rows: Sequence[Mapping[str, Any]]) -> str:
    """A date's timeline rows as stored: JSON Lines, so that a shown row alone is parsed."""
    return "\n".join([io.dumps(r) for r in rows])


class RowCache(DateRowCache):
    """Timeline rows by date key, read lazily; remembers what a run used and made.

    Stored rows come back as :class:`CachedRow` objects: their heads (what ordering and
    ranking read) are parsed, the rows themselves only when one is shown. ``bases`` finds
    the groupings earlier runs made of a date, so adding a document continues them.
    """

    def __init__(
        self,
        stored: dict[str, str],
        rows_of: Callable[[str], str],
        by_date: Callable[[str], list[tuple[str, str, str]]] | None = None,
    ) -> None:
        self.stored = stored  # key -> heads JSON
        self.rows_of = rows_of  # key -> its rows as stored (dump_rows), read when needed
        self.by_date = by_date  # date -> [(key, members JSON, checkpoint JSON)] stored
        self.new: dict[str, list[dict[str, Any]]] = {}
        self.notes: dict[str, tuple[str, dict[str, str], str]] = {}
        self.used: set[str] = set()

    def bases(self, date: str) -> list[tuple[dict[str, str], Callable[[], list[dict[str, Any]]]]]:
        """Stored groupings of a date: the documents (and keys) they were made from and a
        loader of their checkpoint rows."""
        if self.by_date is None:
            return []
        out: list[tuple[dict[str, str], Callable[[], list[dict[str, Any]]]]] = []
        for key, members, checkpoint in self.by_date(date):
            if key in self.stored:
                load: Callable[[], list[dict[str, Any]]]
                if checkpoint:
                    load = functools.partial(json.loads, checkpoint)
                else:  # "": the rows themselves
                    load = functools.partial(_parse_jsonl, [self.rows_of(key)])
                out.append((json.loads(members), load))
        return out

    def note(
        self,
        key: str,
        date: str,
        members: Mapping[str, str],
        checkpoint: list[dict[str, Any]],
        text: str | None = None,
    ) -> None:
        """Remember what a new entry was made from (its checkpoint as JSON, "" when it is
        the rows themselves)."""
        same = checkpoint is self.new.get(key)
        if not same and text is None:
            text = io.dumps(checkpoint)
        self.notes[key] = (date, dict(members), "" if same else str(text))

    def __getitem__(self, key: str) -> list[dict[str, Any]]:
        from pipeline.report.briefing import CachedRow

        if key in self.new:
            return self.new[key]
        heads = self.stored[key]
        self.used.add(key)
        lines: list[list[str]] = []

        def row(i: int) -> dict[str, Any]:
            """Row i of this date (a large date shows a few of its thousands of rows)."""
            if not lines:
                lines.append(self.rows_of(key).split("\n"))
            parsed: dict[str, Any] = json.loads(lines[0][i])
            return parsed

        return [CachedRow(h, functools.partial(row, i)) for i, h in enumerate(json.loads(heads))]

    def __setitem__(self, key: str, rows: list[dict[str, Any]]) -> None:
        self.new[key] = rows
        self.used.add(key)

    def __delitem__(self, key: str) -> None:
        self.new.pop(key, None)
        self.stored.pop(key, None)

    def __iter__(self) -> Iterator[str]:
        return iter(set(self.stored) | set(self.new))

    def __len__(self) -> int:
        return len(set(self.stored) | set(self.new))


def build_row(
    ddir: Path, doc_id: str
) -> tuple[str, str, str, str, list[tuple[str, str, str, int, str]]]:
    """(claims as JSON Lines, compact JSON, rest JSON, text, entity rows) of one document:
    an entity row is (id, name, type, mentions, publication date or "")."""
    from pipeline.reconcile.core import index_row
    from pipeline.report.common import figure_key
    from pipeline.report.html import doc_digest, doc_index_row, lead_sentence

    doc = io.read_json(ddir / "normalized.json")
    extracted = io.read_json(ddir / "extracted.json")
    claims = io.read_json(ddir / "claims.json")
    summary_path = ddir / "summary.json"
    # summary.json is absent only when summarizing this doc failed.
    summary = io.read_json(summary_path) if summary_path.exists() else None
    digest = doc_digest(doc_id, doc, extracted, claims, summary)
    lead = lead_sentence(digest)
    index = [index_row(c) for c in claims]
    dates = sorted(
        {str(m["date"]) for m in digest["mentions"]}
        | {str(m["date"]) for m in digest["mentions_plain"] or []}
    )
    compact = {
        "index": index,
        "meta": digest["meta"],
        "lead": lead,
        "index_html": doc_index_row(doc_id, digest["meta"], lead, len(claims)),
        "dates": dates,
        "figures": sorted({figure_key(r[2:7]) for r in index if r[2]}),
    }
    return (
        "".join(io.dumps(c) + "\n" for c in claims),
        io.dumps(compact),
        io.dumps({k: digest[k] for k in _REST}),
        str(doc.get("text") or ""),
        [
            (str(eid), str(name), str(etype), int(n), str(digest["meta"].get("published") or ""))
            for eid, name, etype, n in digest["entities"]
        ],
    )


class LazyFact(Mapping[str, Any]):
    """A briefing fact: its summary at hand, the full fact read when another key is asked for."""

    def __init__(self, summary: Mapping[str, Any], load: Callable[[], str | None]) -> None:
        self.summary = summary
        self.load = load
        self.full: Mapping[str, Any] | None = None

    def _full(self) -> Mapping[str, Any]:
        """The full fact (the memo keeps it next to its summary)."""
        if self.full is None:
            text = self.load()
            if text is None:
                raise KeyError("fact")  # pragma: no cover - the memo writes both at once
            self.full = json.loads(text)
        return self.full

    def __getitem__(self, key: str) -> Any:
        if key in self.summary:
            return self.summary[key]
        return self._full()[key]

    def __iter__(self) -> Iterator[str]:
        return iter({**dict.fromkeys(self._full()), **dict.fromkeys(self.summary)})

    def __len__(self) -> int:
        return len(list(iter(self)))


def _rest(store: DigestStore, doc_id: str) -> dict[str, Any]:
    """The rest of one document's digest."""
    return store.rest_of([doc_id])[doc_id]


def _parse_jsonl(blocks: Iterable[str]) -> list[dict[str, Any]]:
    """Blocks of JSON Lines to one list, a block per parse (a JSON line never holds a raw
    newline, so a block is a JSON array once its newlines are commas)."""
    rows: list[dict[str, Any]] = []
    for text in blocks:
        if text:
            rows += json.loads("[" + text.rstrip("\n").replace("\n", ",") + "]")
    return rows


def _claim_ids(obj: Any) -> set[str]:
    """Every claim id a reconciled group (or any JSON value) mentions."""
    found: set[str] = set()
    stack = [obj]
    while stack:
        x = stack.pop()
        if isinstance(x, dict):
            if x.get("claim_id") is not None:
                found.add(str(x["claim_id"]))
            stack += x.values()
        elif isinstance(x, list):
            stack += x
    return found


def _hash(*parts: str) -> str:
    """Fingerprint of some strings."""
    h = hashlib.sha256()
    for p in parts:
        h.update(p.encode())
        h.update(b"\0")
    return h.hexdigest()[:24]


def dumps_groups(reconciled: Mapping[str, Any], lines: Sequence[str] | None = None) -> str:
    """reconciled.json with one group per line (see :func:`groups_pieces`)."""
    return "".join(
        p if isinstance(p, str) else p.decode() for p in groups_pieces(reconciled, lines)
    )


def groups_pieces(
    reconciled: Mapping[str, Any], lines: Sequence[str | bytes] | None = None
) -> list[str | bytes]:
    """reconciled.json with one group per line, in pieces to write as they are.

    Readable and diffable, and written by the C JSON encoder: an indented dump of the
    groups of 10,000 documents takes tens of seconds in the pure-Python one. The pieces
    are never joined (the text is ~80 MB at 10,000 documents).
    """
    pieces: list[str | bytes] = ["{"]
    for i, (k, v) in enumerate(reconciled.items()):
        pieces.append((",\n" if i else "") + io.dumps(k) + ":")
        if k == "groups" and isinstance(v, list):
            items = lines if lines is not None else [io.dumps(g) for g in v]
            if items:
                pieces.append("[\n")
                for item in items[:-1]:
                    pieces += (item, ",\n")
                pieces += (items[-1], "\n]")
            else:
                pieces.append("[]")
        else:
            pieces.append(io.dumps(v))
    pieces.append("}\n")
    return pieces


@contextmanager
def _no_gc() -> Iterator[None]:
    """Pause the cyclic garbage collector.

    These stages hold a few million small objects (a row per claim, per entity, per date)
    and make few cycles; each full collection walks them all, which at 10,000 documents
    costs more than a second a run. Reference counting still frees everything.
    """
    was = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was:
            gc.enable()


def run_corpus_stages(
    out: Path,
    doc_ids: list[str],
    *,
    force: bool = False,
    stamps: Mapping[str, Mapping[str, str]] | None = None,
) -> bool:
    """Rebuild the corpus-level outputs if their inputs changed; return whether it ran.

    ``stamps`` (doc id -> stage stamps) comes from the runner's state; without it each
    document's stamp.json is read.
    """
    with _no_gc():
        return _run_corpus_stages(out, doc_ids, force=force, stamps=stamps)


def _run_corpus_stages(
    out: Path,
    doc_ids: list[str],
    *,
    force: bool,
    stamps: Mapping[str, Mapping[str, str]] | None,
) -> bool:
    """run_corpus_stages, with the collector paused."""
    doc_ids = sorted(doc_ids)
    if stamps is None:
        stamps = read_stamps(out, doc_ids)
    stamps = {d: stamps.get(d) or {} for d in doc_ids}
    state_path = out / "state" / "corpus.json"
    history_path = out / "state" / "history.json"
    key = _corpus_key(doc_ids, stamps)
    try:
        state: dict[str, Any] = io.read_json(state_path)
    except (OSError, ValueError):
        state = {}
    if not force and state.get("key") == key and all((out / f).exists() for f in OUTPUTS):
        return False
    try:  # kept apart from the key: it lists every claim id, and a no-change run needs none
        history: dict[str, Any] = io.read_json(history_path)
    except (OSError, ValueError):
        history = state.get("history") or {}  # where runs before the split kept it
    # Imported only now: an up-to-date corpus should not pay for loading them.
    from pipeline.reconcile import group_markdown, markdown_pieces
    from pipeline.reconcile.core import GroupLine, reconcile_index
    from pipeline.report.briefing import (
        briefing_state,
        fact_summary,
        group_fact,
        render_briefing_parts,
        report_text,
        sort_facts,
        timeline_rows_by_date,
    )
    from pipeline.report.common import ClaimSet
    from pipeline.report.html import MAX_ENTITIES, MAX_ENTITY_LINKS, render_report_digests

    code = own_code_fingerprint("report")
    keys = {d: digest_key(stamps[d], code) for d in doc_ids}
    # outputs are written by a thread while the next is made; all are on disk before the
    # history and the key are
    with closing(DigestStore(out)) as store, io.BackgroundWriter() as writer:
        store.sync(out, keys)
        writer.write(out / "claims.jsonl", store.claims_text(doc_ids))
        compact = store.compact(doc_ids)
        index = [r for d in doc_ids for r in compact[d]["index"]]
        claims = ClaimSet(
            index=index,
            texts=store.claims_texts,
            figures=[f for d in doc_ids for f in compact[d]["figures"]],
        )

        # Groups, their lines, markdown and facts are memoized by fingerprint: adding one
        # document reparses and recomputes only the groups it touches.
        # pre-link groups are read only to relink a changed group's siblings, full facts
        # only for the groups the report shows in full
        # the lines and markdown go to the outputs as stored: read as bytes
        memos = {
            k: store.memo(k, preload=k not in ("group", "fact"), raw=k in ("line", "markdown"))
            for k in ("group", "gmeta", "line", "markdown", "fact", "factsum", "section", "docsec")
        }
        header, entries = reconcile_index(
            index,
            store.claims_of,
            code=stage_fingerprint("reconcile"),
            doc_keys=keys,
            groups=memos["group"],
            metas=memos["gmeta"],
            lines=RawLines(memos["line"]),
        )
        writer.write(out / "reconciled.json", groups_pieces(header, [e.line for e in entries]))
        report_code = stage_fingerprint("report")

        def markdown(e: GroupLine) -> str | bytes:
            """A group's markdown, from the memo (as bytes) when its line is unchanged."""
            fp = _hash(report_code, "markdown", e.line_fp) if e.line_fp is not None else None
            return memos["markdown"].get_or_make_raw(fp, lambda: group_markdown(json.loads(e.line)))

        writer.write(out / "reconciled.md", markdown_pieces({"groups": entries}, markdown))
        facts: list[Mapping[str, Any]] = []
        fact_fp: dict[int, str] = {}  # id(fact) -> its fingerprint, for the section memo
        for e in entries:
            # every listing reads a fact's summary; its full text only the few shown in full
            fp = _hash(report_code, "fact", e.line_fp) if e.line_fp is not None else None
            summary = memos["factsum"].get(fp) if fp is not None else None
            fact: Mapping[str, Any]
            if summary is not None and fp is not None:
                memos["fact"].keep(fp)
                fact = LazyFact(json.loads(summary), functools.partial(memos["fact"].get, fp))
            else:
                group = json.loads(e.line)
                claims.prefetch(_claim_ids(group))  # a large group's documents in a few reads
                fact = group_fact(group, claims)
                if fp is not None:
                    memos["fact"].put(fp, io.dumps(fact))
                    memos["factsum"].put(fp, io.dumps(fact_summary(fact)))
            if fp is not None:
                fact_fp[id(fact)] = fp
            facts.append(fact)
        sort_facts(facts)
        claims.forget()

        def section(
            fact: Mapping[str, Any],
            i: int,
            positions: list[int | None],
            full: set[str],
            make: Callable[[], tuple[str, list[str]]],
        ) -> str:
            """A fact's report section, from the memo while the documents it links to
            are shown in full (or not) as when it was made."""
            fp = fact_fp.get(id(fact))
            if fp is None:
                return make()[0]
            key = _hash(fp, "section", str(i), io.dumps(positions))
            stored = memos["section"].get(key)
            if stored is not None:
                text, docs, shown = json.loads(stored)
                if [d for d in docs if d in full] == shown:
                    return str(text)
            text, docs = make()
            memos["section"].put(key, io.dumps([text, docs, [d for d in docs if d in full]]))
            return text

        def doc_section(doc_id: str, make: Callable[[], str]) -> str:
            """A document's full section, from the memo while its digest is unchanged."""
            # a digest key holds the document's stage stamps, not its id
            return memos["docsec"].get_or_make(
                _hash(report_code, "docsec", doc_id, keys[doc_id]), make
            )

        meta = {d: compact[d]["meta"] for d in doc_ids}
        # "New since the previous run" compares against the last *different* corpus, so a
        # re-run of the same corpus (after a crash, say) reproduces the same briefing.
        current = briefing_state(doc_ids, claims, meta)
        if history.get("current") == current:
            previous = history.get("previous")
        else:
            previous = history.get("current")
        rows_cache = store.timeline_cache()
        date_docs: dict[str, list[str]] = {}
        for d in doc_ids:
            for date in compact[d]["dates"]:
                date_docs.setdefault(date, []).append(d)

        def mentions(kind: str) -> Callable[[Sequence[str]], list[dict[str, Any]]]:
            """The dated mentions of some documents: as the report anchors them, or plain."""

            def of(ids: Sequence[str]) -> list[dict[str, Any]]:
                found: list[dict[str, Any]] = []
                for i in range(0, len(ids), 500):  # a chunk at a time: spans and summaries
                    rest = store.rest_of(ids[i : i + 500])  # are read too, then dropped
                    for d in ids[i : i + 500]:
                        plain = rest[d]["mentions_plain"]
                        found += rest[d]["mentions"] if kind == "html" or plain is None else plain
                return found

            return of

        # ranked once for both outputs (a longer list's head is a shorter one)
        n_ents = int(report_text()["briefing"]["max_entities"])
        ents = store.rank_entities(max(n_ents, MAX_ENTITIES), MAX_ENTITY_LINKS)
        plain_keys = {d: "plain:" + k for d, k in keys.items()}
        writer.write(
            out / "briefing.md",
            render_briefing_parts(
                facts,
                claims,
                doc_ids,
                timeline_rows_by_date(date_docs, mentions("plain"), meta, rows_cache, plain_keys),
                ents[:n_ents],
                previous,
                meta,
                current,
            ),
        )
        html_keys = {d: "html:" + k for d, k in keys.items()}
        rows = timeline_rows_by_date(date_docs, mentions("html"), meta, rows_cache, html_keys)
        digests = {d: LazyDigest(compact[d], functools.partial(_rest, store, d)) for d in doc_ids}
        writer.write(
            out / "report.html",
            render_report_digests(
                digests, claims, facts, store.texts, rows, ents, section, doc_section
            ),
        )
        store.save_timeline(rows_cache)
        for m in memos.values():
            m.save()
    # Compact JSON: the history holds every claim id, and an indented dump is slow. The
    # key is written last: until it is, a re-run redoes these stages.
    io.atomic_write_text(history_path, io.dumps({"current": current, "previous": previous}) + "\n")
    io.write_json(state_path, {"key": key})
    return True

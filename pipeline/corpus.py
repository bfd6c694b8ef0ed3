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

import hashlib
import json
import sqlite3
from collections.abc import Callable, Iterable, Iterator, Mapping, MutableMapping, Sequence
from contextlib import closing
from pathlib import Path
from typing import Any

from pipeline import io
from pipeline.fingerprint import PER_DOC, own_code_fingerprint, stage_fingerprint

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


class DigestStore:
    """Per-document digests in one SQLite file (transactions keep it whole after a crash).

    It is a cache: a row whose key does not match the document's stamps is rebuilt from
    the document's files, and a lost or corrupt file is simply rebuilt.
    """

    def __init__(self, out: Path) -> None:
        self.path = out / DIGEST_DB
        self.path.parent.mkdir(parents=True, exist_ok=True)
        try:
            self.db = self._open()
        except sqlite3.DatabaseError:
            self.path.unlink(missing_ok=True)
            self.db = self._open()

    def _open(self) -> sqlite3.Connection:
        """Connect and create the table."""
        db = sqlite3.connect(self.path)
        db.execute(
            "CREATE TABLE IF NOT EXISTS digests (doc_id TEXT PRIMARY KEY, key TEXT NOT NULL, "
            "claims TEXT NOT NULL, digest TEXT NOT NULL, body TEXT NOT NULL)"
        )
        db.execute("CREATE TABLE IF NOT EXISTS timeline (key TEXT PRIMARY KEY, rows TEXT NOT NULL)")
        db.execute(
            "CREATE TABLE IF NOT EXISTS memo (kind TEXT NOT NULL, fp TEXT NOT NULL, "
            "value TEXT NOT NULL, PRIMARY KEY (kind, fp))"
        )
        return db

    def memo(self, kind: str) -> Memo:
        """Values of one kind (reconciled groups, their markdown, their facts) by fingerprint."""
        return Memo(self.db, kind)

    def timeline_cache(self) -> RowCache:
        """The timeline rows of each date computed by earlier runs."""
        return RowCache(dict(self.db.execute("SELECT key, rows FROM timeline")))

    def save_timeline(self, cache: RowCache) -> None:
        """Keep the rows this run used or made; drop the rest (the table stays small)."""
        with self.db:
            stale = [(k,) for k in cache.stored if k not in cache.used]
            self.db.executemany("DELETE FROM timeline WHERE key = ?", stale)
            self.db.executemany(
                "INSERT OR REPLACE INTO timeline VALUES (?, ?)",
                [(k, io.dumps(v)) for k, v in sorted(cache.new.items())],
            )

    def close(self) -> None:
        """Close the connection."""
        self.db.close()

    def sync(self, out: Path, keys: Mapping[str, str]) -> list[str]:
        """Rebuild the rows of new or changed documents, drop the others; return rebuilt ids."""
        have = dict(self.db.execute("SELECT doc_id, key FROM digests"))
        todo = [d for d in sorted(keys) if have.get(d) != keys[d]]
        gone = sorted(set(have) - set(keys))
        with self.db:  # one transaction
            self.db.executemany("DELETE FROM digests WHERE doc_id = ?", [(d,) for d in gone])
            for d in todo:
                row = build_row(out / "docs" / d, d)
                self.db.execute(
                    "INSERT OR REPLACE INTO digests VALUES (?, ?, ?, ?, ?)",
                    (d, keys[d], *row),
                )
        return todo

    def load(self, doc_ids: list[str]) -> tuple[dict[str, str], dict[str, dict[str, Any]]]:
        """(claims as JSON Lines, digest) by document."""
        claims: dict[str, str] = {}
        digests: dict[str, dict[str, Any]] = {}
        for d, c, g in self.db.execute("SELECT doc_id, claims, digest FROM digests"):
            claims[d] = c
            digests[d] = json.loads(g)
        return {d: claims[d] for d in doc_ids}, {d: digests[d] for d in doc_ids}

    def texts(self, doc_ids: list[str]) -> dict[str, str]:
        """The text of a few documents (those the report shows in full)."""
        out: dict[str, str] = {}
        for i in range(0, len(doc_ids), 500):
            chunk = doc_ids[i : i + 500]
            marks = ",".join("?" * len(chunk))
            out.update(
                self.db.execute(
                    f"SELECT doc_id, body FROM digests WHERE doc_id IN ({marks})", chunk
                )
            )
        return out


class Memo:
    """Values a corpus stage computed per group, by a fingerprint of all they were made from.

    A cache: a value is looked up only by the hash of its inputs, so a stale row can never
    be served; rows this run did not use are dropped when it saves.
    """

    def __init__(self, db: sqlite3.Connection, kind: str) -> None:
        self.db = db
        self.kind = kind
        self.used: set[str] = set()

    def get(self, fp: str) -> str | None:
        """The stored value, or None."""
        self.used.add(fp)
        row = self.db.execute(
            "SELECT value FROM memo WHERE kind = ? AND fp = ?", (self.kind, fp)
        ).fetchone()
        return None if row is None else str(row[0])

    def put(self, fp: str, value: str) -> None:
        """Store a value made by this run (committed by :meth:`save`; kept out of memory)."""
        self.used.add(fp)
        self.db.execute("INSERT OR REPLACE INTO memo VALUES (?, ?, ?)", (self.kind, fp, value))

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


class RowCache(MutableMapping[str, list[dict[str, Any]]]):
    """Timeline rows by date key, parsed on demand; remembers what a run used and made."""

    def __init__(self, stored: dict[str, str]) -> None:
        self.stored = stored
        self.new: dict[str, list[dict[str, Any]]] = {}
        self.used: set[str] = set()

    def __getitem__(self, key: str) -> list[dict[str, Any]]:
        if key in self.new:
            return self.new[key]
        rows: list[dict[str, Any]] = json.loads(self.stored[key])
        self.used.add(key)
        return rows

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


def build_row(ddir: Path, doc_id: str) -> tuple[str, str, str]:
    """(claims as JSON Lines, digest JSON, text) of one document, from its stage outputs."""
    from pipeline.report.html import doc_digest

    doc = io.read_json(ddir / "normalized.json")
    extracted = io.read_json(ddir / "extracted.json")
    claims = io.read_json(ddir / "claims.json")
    summary_path = ddir / "summary.json"
    # summary.json is absent only when summarizing this doc failed.
    summary = io.read_json(summary_path) if summary_path.exists() else None
    digest = doc_digest(doc_id, doc, extracted, claims, summary)
    return (
        "".join(io.dumps(c) + "\n" for c in claims),
        io.dumps(digest),
        str(doc.get("text") or ""),
    )


def _parse_jsonl(blocks: Iterable[str]) -> list[dict[str, Any]]:
    """Blocks of JSON Lines to one list, a block per parse (a JSON line never holds a raw
    newline, so a block is a JSON array once its newlines are commas)."""
    rows: list[dict[str, Any]] = []
    for text in blocks:
        if text:
            rows += json.loads("[" + text.rstrip("\n").replace("\n", ",") + "]")
    return rows


def _hash(*parts: str) -> str:
    """Fingerprint of some strings."""
    h = hashlib.sha256()
    for p in parts:
        h.update(p.encode())
        h.update(b"\0")
    return h.hexdigest()[:24]


def dumps_groups(reconciled: Mapping[str, Any], lines: Sequence[str] | None = None) -> str:
    """reconciled.json with one group per line.

    Readable and diffable, and written by the C JSON encoder: an indented dump of the
    groups of 10,000 documents takes tens of seconds in the pure-Python one. The pieces
    are joined once, so the text is copied once (it is ~80 MB at 10,000 documents).
    """
    pieces = ["{"]
    for i, (k, v) in enumerate(reconciled.items()):
        pieces.append((",\n" if i else "") + io.dumps(k) + ":")
        if k == "groups" and isinstance(v, list) and v:
            pieces.append("[\n")
            for j, g in enumerate(v):
                pieces.append((",\n" if j else "") + (lines[j] if lines else io.dumps(g)))
            pieces.append("\n]")
        else:
            pieces.append(io.dumps(v))
    pieces.append("}\n")
    return "".join(pieces)


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
    from pipeline.reconcile import GroupMemo, group_markdown, reconcile, render_markdown
    from pipeline.report.briefing import (
        briefing_facts,
        briefing_state,
        rank_entities,
        render_briefing_parts,
        report_text,
        timeline_rows,
    )
    from pipeline.report.html import render_report_digests

    code = own_code_fingerprint("report")
    keys = {d: digest_key(stamps[d], code) for d in doc_ids}
    with closing(DigestStore(out)) as store:
        store.sync(out, keys)
        claims_by_doc, digests = store.load(doc_ids)
        io.atomic_write_text(out / "claims.jsonl", "".join(claims_by_doc[d] for d in doc_ids))
        claims = _parse_jsonl(claims_by_doc[d] for d in doc_ids)
        del claims_by_doc

        # Groups, their markdown and their facts are memoized by fingerprint: adding one
        # document recomputes only the groups it touches.
        group_memo = store.memo("group")
        memo = GroupMemo(stage_fingerprint("reconcile"), keys, group_memo.get, group_memo.put)
        reconciled = reconcile(claims, memo)
        report_code = stage_fingerprint("report")
        lines = [io.dumps(g) for g in reconciled["groups"]]
        io.atomic_write_text(out / "reconciled.json", dumps_groups(reconciled, lines))
        # what the markdown and the fact of a group are made from, by its final JSON
        line_fp = {
            id(g): _hash(report_code, line)
            for g, line in zip(reconciled["groups"], lines, strict=True)
        }
        del lines
        md_memo = store.memo("markdown")

        def md_of(g: Mapping[str, Any]) -> str:
            """A group's markdown section, from the memo when the group is unchanged."""
            fp = line_fp[id(g)]
            text = md_memo.get(fp)
            if text is None:
                text = group_markdown(g)
                md_memo.put(fp, text)
            return text

        io.atomic_write_text(out / "reconciled.md", render_markdown(reconciled, md_of))

        meta = {d: g["meta"] for d, g in digests.items()}
        # "New since the previous run" compares against the last *different* corpus, so a
        # re-run of the same corpus (after a crash, say) reproduces the same briefing.
        current = briefing_state(doc_ids, claims, meta)
        if history.get("current") == current:
            previous = history.get("previous")
        else:
            previous = history.get("current")
        fact_memo = store.memo("fact")

        def fact_of(g: Mapping[str, Any], make: Callable[[], dict[str, Any]]) -> dict[str, Any]:
            """A group's briefing fact; it also reads the group's claims, which the
            group's reconcile fingerprint pins."""
            group_fp = memo.fp_of.get(
                tuple(g["key"][k] for k in ("metric", "subject", "object", "commodity"))
            )
            if group_fp is None:
                return make()
            fp = _hash(group_fp, line_fp[id(g)])
            text = fact_memo.get(fp)
            if text is not None:
                fact: dict[str, Any] = json.loads(text)
                return fact
            fact = make()
            fact_memo.put(fp, io.dumps(fact))
            return fact

        facts = briefing_facts(reconciled, claims, fact_of)
        rows_cache = store.timeline_cache()
        plain = [
            m
            for d in doc_ids
            for m in (
                digests[d]["mentions"]
                if digests[d]["mentions_plain"] is None
                else digests[d]["mentions_plain"]
            )
        ]
        ents = rank_entities(
            {d: g["entities"] for d, g in digests.items()},
            int(report_text()["briefing"]["max_entities"]),
        )
        io.atomic_write_text(
            out / "briefing.md",
            render_briefing_parts(
                facts,
                claims,
                doc_ids,
                timeline_rows(plain, meta, rows_cache, {d: "plain:" + k for d, k in keys.items()}),
                ents,
                previous,
                meta,
                current,
            ),
        )
        anchored = [m for d in doc_ids for m in digests[d]["mentions"]]
        rows = timeline_rows(anchored, meta, rows_cache, {d: "html:" + k for d, k in keys.items()})
        io.atomic_write_text(
            out / "report.html", render_report_digests(digests, claims, facts, store.texts, rows)
        )
        store.save_timeline(rows_cache)
        for m in (group_memo, md_memo, fact_memo):
            m.save()
    # Compact JSON: the history holds every claim id, and an indented dump is slow. The
    # key is written last: until it is, a re-run redoes these stages.
    io.atomic_write_text(history_path, io.dumps({"current": current, "previous": previous}) + "\n")
    io.write_json(state_path, {"key": key})
    return True

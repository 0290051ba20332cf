import { createHash } from 'node:crypto';
import Database from 'better-sqlite3';
import type { ProbeResult, ResultsFile } from '../probe/results.js';
import { UserError } from '../topology/errors.js';
import type { FindingsDocument } from './findings.js';

/**
 * The results store: one SQLite file (better-sqlite3, WAL). Every result file posted is kept whole, with one row per
 * probe for the history of a flow. A result file is identified by the SHA-256 of its canonical JSON, so posting the
 * same file twice stores it once. Writes are synchronous and committed before the server answers, so a result that
 * was answered 201 survives the process being killed (WAL with synchronous=NORMAL loses nothing on a process crash;
 * only a power cut can take the last transactions).
 */

/** Versioned migrations: entry i brings the schema from user_version i to i + 1. Never edit one that shipped. */
const migrations: readonly string[] = [
  `CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
   CREATE TABLE result_file (
     seq INTEGER PRIMARY KEY AUTOINCREMENT,
     id TEXT NOT NULL UNIQUE,
     received_at TEXT NOT NULL,
     source TEXT NOT NULL,
     prober TEXT NOT NULL,
     started_at TEXT NOT NULL,
     finished_at TEXT NOT NULL,
     body TEXT NOT NULL
   );
   CREATE TABLE probe (
     file_seq INTEGER NOT NULL REFERENCES result_file(seq),
     flow TEXT NOT NULL,
     source TEXT NOT NULL,
     address TEXT NOT NULL,
     port INTEGER,
     state TEXT NOT NULL,
     reason TEXT NOT NULL,
     rtt_ms REAL,
     attempts INTEGER NOT NULL,
     detail TEXT NOT NULL,
     at TEXT NOT NULL
   );
   CREATE INDEX probe_by_flow ON probe (flow, at);
   CREATE TABLE findings (
     seq INTEGER PRIMARY KEY AUTOINCREMENT,
     id TEXT NOT NULL UNIQUE,
     received_at TEXT NOT NULL,
     body TEXT NOT NULL
   );`,
];

export const schemaVersion = migrations.length;

/** One probe as the history of a flow shows it. */
export interface ProbeRecord {
  readonly fileId: string;
  readonly flow: string;
  readonly source: string;
  readonly address: string;
  readonly port: number | null;
  readonly state: ProbeResult['state'];
  readonly reason: ProbeResult['reason'];
  readonly rttMs: number | null;
  readonly attempts: number;
  readonly detail: string;
  /** When the prober finished the file the probe is in (its finishedAt). */
  readonly at: string;
}

export interface StoredFile {
  readonly id: string;
  readonly seq: number;
  /** False when the very same file was stored before (the post is answered with the first id). */
  readonly created: boolean;
}

export interface ReporterRecord {
  readonly source: string;
  readonly fileId: string;
  readonly prober: string;
  readonly receivedAt: string;
  readonly finishedAt: string;
  readonly body: string;
}

export class Store {
  private readonly db: Database.Database;
  private readonly insertFile: Database.Statement;
  private readonly insertProbe: Database.Statement;
  private readonly fileById: Database.Statement;
  private readonly insertFindings: Database.Statement;
  private readonly findingsById: Database.Statement;

  /** Opens (or creates) the store at `path` and brings its schema up to date. */
  constructor(readonly path: string) {
    this.db = new Database(path);
    this.db.pragma('journal_mode = WAL');
    this.db.pragma('synchronous = NORMAL');
    this.db.pragma('foreign_keys = ON');
    this.db.pragma('busy_timeout = 5000');
    migrate(this.db);
    this.insertFile = this.db.prepare('INSERT INTO result_file (id, received_at, source, prober, started_at, finished_at, body) VALUES (?, ?, ?, ?, ?, ?, ?)');
    this.insertProbe = this.db.prepare('INSERT INTO probe (file_seq, flow, source, address, port, state, reason, rtt_ms, attempts, detail, at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)');
    this.fileById = this.db.prepare('SELECT seq FROM result_file WHERE id = ?');
    this.insertFindings = this.db.prepare('INSERT INTO findings (id, received_at, body) VALUES (?, ?, ?)');
    this.findingsById = this.db.prepare('SELECT seq FROM findings WHERE id = ?');
  }

  close(): void {
    this.db.close();
  }

  schemaVersion(): number {
    return this.db.pragma('user_version', { simple: true }) as number;
  }

  meta(key: string): string | undefined {
    const row = this.db.prepare('SELECT value FROM meta WHERE key = ?').get(key) as { value: string } | undefined;
    return row?.value;
  }

  setMeta(key: string, value: string): void {
    this.db.prepare('INSERT INTO meta (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value').run(key, value);
  }

  /** Stores a validated result file in one transaction; the same file again is not stored twice. */
  addResults(file: ResultsFile, receivedAt: string): StoredFile {
    const body = JSON.stringify(file);
    const id = contentId(body);
    return this.db.transaction((): StoredFile => {
      const existing = this.fileById.get(id) as { seq: number } | undefined;
      if (existing) return { id, seq: existing.seq, created: false };
      const seq = Number(this.insertFile.run(id, receivedAt, file.source.name, file.prober, file.startedAt, file.finishedAt, body).lastInsertRowid);
      for (const r of file.results) {
        this.insertProbe.run(seq, r.flow, file.source.name, r.address, r.port, r.state, r.reason, r.rttMs, r.attempts, r.detail, file.finishedAt);
      }
      return { id, seq, created: true };
    }).immediate();
  }

  /** Every probe ever stored, oldest first (by the prober's finish time, then arrival), for rebuilding state at start. */
  *allProbes(): Generator<ProbeRecord> {
    const rows = this.db
      .prepare('SELECT f.id AS fileId, p.flow, p.source, p.address, p.port, p.state, p.reason, p.rtt_ms AS rttMs, p.attempts, p.detail, p.at FROM probe p JOIN result_file f ON f.seq = p.file_seq ORDER BY p.at, p.file_seq')
      .iterate() as Iterable<ProbeRecord>;
    yield* rows;
  }

  /** The results of one flow, newest first. */
  history(flow: string, limit = 200): ProbeRecord[] {
    return this.db
      .prepare('SELECT f.id AS fileId, p.flow, p.source, p.address, p.port, p.state, p.reason, p.rtt_ms AS rttMs, p.attempts, p.detail, p.at FROM probe p JOIN result_file f ON f.seq = p.file_seq WHERE p.flow = ? ORDER BY p.at DESC, p.file_seq DESC LIMIT ?')
      .all(flow, limit) as ProbeRecord[];
  }

  /** The newest file of every source that reported. */
  lastPerSource(): ReporterRecord[] {
    return this.db
      .prepare(
        `SELECT source, id AS fileId, prober, received_at AS receivedAt, finished_at AS finishedAt, body FROM result_file
         WHERE seq IN (SELECT seq FROM (SELECT seq, ROW_NUMBER() OVER (PARTITION BY source ORDER BY finished_at DESC, seq DESC) AS n FROM result_file) WHERE n = 1)
         ORDER BY source`,
      )
      .all() as ReporterRecord[];
  }

  fileIds(): string[] {
    return (this.db.prepare('SELECT id FROM result_file ORDER BY seq').all() as { id: string }[]).map((r) => r.id);
  }

  fileCount(): number {
    return (this.db.prepare('SELECT count(*) AS n FROM result_file').get() as { n: number }).n;
  }

  addFindings(doc: FindingsDocument, receivedAt: string): StoredFile {
    const body = JSON.stringify(doc);
    const id = contentId(body);
    return this.db.transaction((): StoredFile => {
      const existing = this.findingsById.get(id) as { seq: number } | undefined;
      if (existing) return { id, seq: existing.seq, created: false };
      const seq = Number(this.insertFindings.run(id, receivedAt, body).lastInsertRowid);
      return { id, seq, created: true };
    }).immediate();
  }

  /** The newest findings document posted, or undefined. */
  latestFindings(): { id: string; receivedAt: string; body: string } | undefined {
    return this.db.prepare('SELECT id, received_at AS receivedAt, body FROM findings ORDER BY seq DESC LIMIT 1').get() as { id: string; receivedAt: string; body: string } | undefined;
  }
}

/** Applies the migrations the file has not seen, each in its own transaction with the version bump. */
function migrate(db: Database.Database): void {
  const current = db.pragma('user_version', { simple: true }) as number;
  if (current > migrations.length) {
    throw new UserError(`the store was written by a newer scomfw (schema ${current}, this one knows ${migrations.length})`, undefined, 'run the newer scomfw, or give --db another file');
  }
  for (let v = current; v < migrations.length; v++) {
    db.transaction(() => {
      db.exec(migrations[v]!);
      db.pragma(`user_version = ${v + 1}`);
    }).immediate();
  }
}

function contentId(body: string): string {
  return createHash('sha256').update(body).digest('hex').slice(0, 32);
}

export interface StreamState {
  streamId: string;
  status: "generating" | "done";
  /** When the status last changed (ms since epoch). */
  at: number;
}

/** The reply's state and job, one row each. */
export const REPLY_TABLES = [
  "create table if not exists reply_state (id integer primary key check (id = 1), stream_id text not null, status text not null, at integer not null)",
  "create table if not exists reply_job (id integer primary key check (id = 1), job text not null)",
];

/**
 * Chunks are persisted in batches, one storage key per batch: when this many are waiting, or when the
 * oldest waiting one is PERSIST_EVERY_MS old (checked on each chunk, and by a timer, so a model that
 * pauses, say for a slow tool, still has what it wrote stored within a second). Each write is a storage
 * commit, which a fast model would otherwise pay every few chunks.
 */
export const CHUNK_BATCH = 256;
const PERSIST_EVERY_MS = 1000;
const CHUNK_PREFIX = "chunk:";

/**
 * The Durable Object's storage for one chat's current reply: its state (SQL) and its chunks. Chunks
 * are kept in memory for live readers and written to storage as they go, in small batches, with
 * `allowUnconfirmed` so the output gate does not hold readers' bytes back until each write is
 * confirmed; they serve readers after the object restarts.
 */
export class StreamStore {
  private live: { streamId: string; chunks: string[]; persisted: number; waitingSince: number } | undefined;

  private tablesExist = false;
  private persistTimer: ReturnType<typeof setTimeout> | undefined;

  constructor(
    private readonly sql: SqlStorage,
    private readonly storage: DurableObjectStorage,
  ) {}

  /**
   * The tables are created with the first reply's writes rather than when the object starts, so a new
   * chat's object commits once before its first reply instead of twice.
   */
  private hasTables(): boolean {
    this.tablesExist ||=
      this.sql
        .exec<{ n: number }>("select count(*) as n from sqlite_master where type = 'table' and name = 'reply_state'")
        .one().n > 0;
    return this.tablesExist;
  }

  private writable(): SqlStorage {
    if (!this.hasTables()) {
      for (const statement of REPLY_TABLES) this.sql.exec(statement);
      this.tablesExist = true;
    }
    return this.sql;
  }

  /** The job being generated, kept so a restarted object can still save what was produced. */
  saveJob(job: unknown): void {
    this.writable().exec("insert or replace into reply_job (id, job) values (1, ?)", JSON.stringify(job));
  }

  job<T>(): T | undefined {
    if (!this.hasTables()) return undefined;
    const row = this.sql.exec<{ job: string }>("select job from reply_job where id = 1").toArray()[0];
    return row ? (JSON.parse(row.job) as T) : undefined;
  }

  clearJob(): void {
    if (this.hasTables()) this.sql.exec("delete from reply_job");
  }

  state(): StreamState | undefined {
    if (!this.hasTables()) return undefined;
    const row = this.sql
      .exec<{ stream_id: string; status: string; at: number }>(
        "select stream_id, status, at from reply_state where id = 1",
      )
      .toArray()[0];
    // Any other stored status (claims were once stored) means nothing live.
    if (row?.status !== "generating" && row?.status !== "done") return undefined;
    return { streamId: row.stream_id, status: row.status, at: row.at };
  }

  async reset(state: StreamState): Promise<void> {
    // An object that never stored a reply has no chunks to delete either.
    if (this.hasTables()) await this.deleteChunks();
    this.live = { streamId: state.streamId, chunks: [], persisted: 0, waitingSince: 0 };
    this.writable().exec(
      "insert or replace into reply_state (id, stream_id, status, at) values (1, ?, ?, ?)",
      state.streamId,
      state.status,
      state.at,
    );
  }

  setStatus(status: StreamState["status"]): void {
    if (this.hasTables()) this.sql.exec("update reply_state set status = ?, at = ? where id = 1", status, Date.now());
  }

  append(chunk: string): void {
    const live = this.live;
    if (!live) throw new Error("No reply to append to");
    live.chunks.push(chunk);
    const waiting = live.chunks.length - live.persisted;
    if (waiting === 1) {
      live.waitingSince = Date.now();
      this.persistTimer ??= setTimeout(() => {
        this.persistTimer = undefined;
        this.persist();
      }, PERSIST_EVERY_MS);
    }
    if (waiting >= CHUNK_BATCH || Date.now() - live.waitingSince >= PERSIST_EVERY_MS) this.persist();
  }

  /** Writes what is not yet stored. */
  persist(): void {
    if (this.persistTimer !== undefined) {
      clearTimeout(this.persistTimer);
      this.persistTimer = undefined;
    }
    const live = this.live;
    if (!live || live.persisted === live.chunks.length) return;
    const batch = live.chunks.slice(live.persisted);
    const key = `${CHUNK_PREFIX}${String(live.persisted).padStart(8, "0")}`;
    live.persisted = live.chunks.length;
    void this.storage.put(key, batch, { allowUnconfirmed: true });
  }

  /** Every chunk of the current reply so far: from memory while this instance holds it. */
  liveChunks(streamId: string): string[] | undefined {
    return this.live?.streamId === streamId ? [...this.live.chunks] : undefined;
  }

  /** Every stored chunk, for a reply this instance did not produce (it restarted since). */
  async storedChunks(): Promise<string[]> {
    const batches = await this.storage.list<string[]>({ prefix: CHUNK_PREFIX });
    return [...batches.values()].flat();
  }

  async clear(): Promise<void> {
    await this.deleteChunks();
    this.live = undefined;
    if (!this.hasTables()) return;
    this.sql.exec("delete from reply_state");
    this.sql.exec("delete from reply_job");
  }

  private async deleteChunks(): Promise<void> {
    const keys = [...(await this.storage.list({ prefix: CHUNK_PREFIX })).keys()];
    for (let index = 0; index < keys.length; index += 128) await this.storage.delete(keys.slice(index, index + 128));
  }
}

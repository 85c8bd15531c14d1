export interface StreamState {
  streamId: string;
  status: "claimed" | "generating" | "done";
  /** When the status last changed (ms since epoch). */
  at: number;
}

/** Chunks are persisted in batches of this many, one storage key per batch. */
export const CHUNK_BATCH = 32;
const CHUNK_PREFIX = "chunk:";

/**
 * The Durable Object's storage for one chat's current reply: its state (SQL) and its chunks. Chunks
 * are kept in memory for live readers and written to storage as they go, in small batches, with
 * `allowUnconfirmed` so the output gate does not hold readers' bytes back until each write is
 * confirmed; they serve readers after the object restarts.
 */
export class StreamStore {
  private live: { streamId: string; chunks: string[]; persisted: number } | undefined;

  constructor(
    private readonly sql: SqlStorage,
    private readonly storage: DurableObjectStorage,
  ) {
    sql.exec(
      "create table if not exists reply_state (id integer primary key check (id = 1), stream_id text not null, status text not null, at integer not null)",
    );
    sql.exec("create table if not exists reply_job (id integer primary key check (id = 1), job text not null)");
  }

  /** The job being generated, kept so a restarted object can still save what was produced. */
  saveJob(job: unknown): void {
    this.sql.exec("insert or replace into reply_job (id, job) values (1, ?)", JSON.stringify(job));
  }

  job<T>(): T | undefined {
    const row = this.sql.exec<{ job: string }>("select job from reply_job where id = 1").toArray()[0];
    return row ? (JSON.parse(row.job) as T) : undefined;
  }

  clearJob(): void {
    this.sql.exec("delete from reply_job");
  }

  state(): StreamState | undefined {
    const row = this.sql
      .exec<{ stream_id: string; status: StreamState["status"]; at: number }>(
        "select stream_id, status, at from reply_state where id = 1",
      )
      .toArray()[0];
    return row ? { streamId: row.stream_id, status: row.status, at: row.at } : undefined;
  }

  async reset(state: StreamState): Promise<void> {
    await this.deleteChunks();
    this.live = { streamId: state.streamId, chunks: [], persisted: 0 };
    this.sql.exec(
      "insert or replace into reply_state (id, stream_id, status, at) values (1, ?, ?, ?)",
      state.streamId,
      state.status,
      state.at,
    );
  }

  setStatus(status: StreamState["status"]): void {
    this.sql.exec("update reply_state set status = ?, at = ? where id = 1", status, Date.now());
  }

  append(chunk: string): void {
    const live = this.live;
    if (!live) throw new Error("No reply to append to");
    live.chunks.push(chunk);
    if (live.chunks.length - live.persisted >= CHUNK_BATCH) this.persist();
  }

  /** Writes what is not yet stored. */
  persist(): void {
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
    this.sql.exec("delete from reply_state");
    this.sql.exec("delete from reply_job");
  }

  private async deleteChunks(): Promise<void> {
    const keys = [...(await this.storage.list({ prefix: CHUNK_PREFIX })).keys()];
    for (let index = 0; index < keys.length; index += 128) await this.storage.delete(keys.slice(index, index + 128));
  }
}

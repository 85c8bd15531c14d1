export interface StreamState {
  streamId: string;
  status: "claimed" | "generating" | "done";
  /** When the status last changed (ms since epoch). */
  at: number;
}

/**
 * The Durable Object's SQLite storage for one chat's current reply: its state and its chunks, in
 * order. Synchronous, so a reader's backlog read and its registration for live chunks cannot
 * interleave with an append.
 */
export class StreamStore {
  constructor(private readonly sql: SqlStorage) {
    sql.exec("create table if not exists reply_chunk (seq integer primary key autoincrement, data text not null)");
    sql.exec(
      "create table if not exists reply_state (id integer primary key check (id = 1), stream_id text not null, status text not null, at integer not null)",
    );
  }

  state(): StreamState | undefined {
    const row = this.sql
      .exec<{ stream_id: string; status: StreamState["status"]; at: number }>(
        "select stream_id, status, at from reply_state where id = 1",
      )
      .toArray()[0];
    return row ? { streamId: row.stream_id, status: row.status, at: row.at } : undefined;
  }

  reset(state: StreamState): void {
    this.sql.exec("delete from reply_chunk");
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
    this.sql.exec("insert into reply_chunk (data) values (?)", chunk);
  }

  chunks(): string[] {
    return this.sql
      .exec<{ data: string }>("select data from reply_chunk order by seq")
      .toArray()
      .map((row) => row.data);
  }

  clear(): void {
    this.sql.exec("delete from reply_chunk");
    this.sql.exec("delete from reply_state");
  }
}

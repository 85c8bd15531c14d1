import { DurableObject } from "cloudflare:workers";
import { UI_MESSAGE_STREAM_HEADERS } from "ai";
import { type BootstrapOptions, withDeps } from "../bootstrap";
import type { Env } from "../env";
import { generateReply } from "../services/replies/generate-reply";
import type { GenerationJob, ReplyInput, ReplyOutcome } from "../services/replies/generation-job";
import { saveInterruptedReply } from "../services/replies/save-interrupted-reply";
import { type StreamState, StreamStore } from "./stream-store";

/** How long a claim may wait for its start before another message may take the chat. */
const CLAIM_TTL_MS = 60_000;
/** How long a finished reply stays replayable for readers that reconnect late. */
export const REPLAY_GRACE_MS = 30_000;
/** While generating, an alarm this far ahead lets a restarted object find and save the reply. */
const RECOVERY_CHECK_MS = 60_000;
/** Chunks between yields to the event loop during generation. */
const YIELD_EVERY = 32;

/**
 * One instance per chat (named by chat id). It owns the live reply: runs the model, keeps every
 * UI-message-stream chunk in its SQLite storage as it goes and serves any number of readers, each
 * from the first chunk. Generation does not depend on any reader, so it survives disconnects.
 */
export class ChatStream extends DurableObject<Env> {
  private readonly store: StreamStore;
  private readonly readers = new Set<WritableStreamDefaultWriter<Uint8Array>>();
  protected running: { streamId: string; abort: AbortController; done: Promise<ReplyOutcome> } | undefined;
  private claimed: { streamId: string; at: number } | undefined;
  private recovering: Promise<void> | undefined;
  private readonly encoder = new TextEncoder();
  /** The wiring of this object's invocations; the test worker's subclass installs its model seam here. */
  protected readonly bootstrapOptions: BootstrapOptions = {};

  constructor(ctx: DurableObjectState, env: Env) {
    super(ctx, env);
    this.store = new StreamStore(ctx.storage.sql, ctx.storage);
  }

  /**
   * Reserves the chat for one new reply; false while another is claimed or generating. The claim lives
   * in memory only (an instance is the only one for its chat) and lasts until `start` or `release`, or
   * CLAIM_TTL_MS: it covers the few milliseconds the sender needs to save the message, and writing it to
   * storage would cost the sender a storage commit before its reply could begin.
   */
  async claim(streamId: string): Promise<boolean> {
    const state = await this.settledState();
    if (state?.status === "generating") return false;
    if (this.claimed && Date.now() - this.claimed.at < CLAIM_TTL_MS) return false;
    this.claimed = { streamId, at: Date.now() };
    return true;
  }

  /** Gives a claim back when the request failed before generation could start. */
  async release(streamId: string): Promise<void> {
    if (this.claimed?.streamId === streamId) this.claimed = undefined;
  }

  /**
   * Starts generating the reply claimed under `job.streamId` and answers at once with a reader of it
   * (the sender's), which saves the sender a second call to attach. `input` (the history) is used for this
   * generation only; the job is stored so that a restarted object can save what was produced.
   */
  async start(job: GenerationJob, input: ReplyInput): Promise<ReadableStream<Uint8Array>> {
    if (this.claimed?.streamId !== job.streamId) {
      throw new Error("The stream was not claimed, or was claimed by another message");
    }
    this.claimed = undefined;
    this.closeReaders();
    await this.store.reset({ streamId: job.streamId, status: "generating", at: Date.now() });
    this.store.saveJob({ ...job, startedAt: Date.now() });
    const alarm = this.ctx.storage.setAlarm(Date.now() + RECOVERY_CHECK_MS);
    // Confirm the writes (one commit) before generating: a busy object may otherwise defer the commit, and
    // the output gate would hold this call's answer (and every reader's bytes) until the reply ends.
    await Promise.all([alarm, this.ctx.storage.sync()]);
    const abort = new AbortController();
    this.appended = 0;
    const done = this.generate(job, input, abort.signal);
    this.running = { streamId: job.streamId, abort, done };
    this.ctx.waitUntil(done);
    return this.attachReader(this.store.liveChunks(job.streamId) ?? [], false);
  }

  /** Stops the live reply; the partial answer is saved. False when nothing was generating. */
  async stop(): Promise<boolean> {
    if (!this.running) return false;
    this.running.abort.abort();
    await this.running.done;
    return true;
  }

  async isGenerating(): Promise<boolean> {
    return (await this.settledState())?.status === "generating";
  }

  /** Generating, or claimed by a message being accepted: either way a reply of its user is live here. */
  async isBusy(): Promise<boolean> {
    if (this.claimed && Date.now() - this.claimed.at < CLAIM_TTL_MS) return true;
    return this.isGenerating();
  }

  /** GET /stream: every chunk from the start, then the live ones; 204 when there is nothing to read. */
  override async fetch(request: Request): Promise<Response> {
    const url = new URL(request.url);
    if (url.pathname !== "/stream") return new Response("Not found", { status: 404 });
    const state = await this.settledState();
    // While a new message is being saved, the previous reply is no longer the chat's current one.
    if (!state || (this.claimed && state.status !== "generating")) {
      return new Response(null, { status: 204 });
    }

    const backlog = this.store.liveChunks(state.streamId) ?? (await this.store.storedChunks());
    return new Response(this.attachReader(backlog, state.status === "done"), { headers: UI_MESSAGE_STREAM_HEADERS });
  }

  /** A new reader: every chunk so far, then (unless the reply is over) each one as it comes. */
  private attachReader(backlog: string[], finished: boolean): ReadableStream<Uint8Array> {
    // Readers already attached get what is pending first, so the backlog is exactly what they have had.
    this.flush();
    // A native byte pipe: the runtime streams whatever is written to it as it arrives.
    const { readable, writable } = new IdentityTransformStream();
    const writer = writable.getWriter();
    if (backlog.length > 0) this.write(writer, this.encoder.encode(backlog.join("")));
    if (finished) void writer.close().catch(() => {});
    else this.readers.add(writer);
    return readable;
  }

  /**
   * During generation: a periodic check that the reply is still being produced here (after a restart
   * it saves what was produced). After it: cleans the buffer once REPLAY_GRACE_MS has passed.
   */
  override async alarm(): Promise<void> {
    const state = await this.settledState();
    if (state?.status === "generating") await this.ctx.storage.setAlarm(Date.now() + RECOVERY_CHECK_MS);
    else if (state?.status === "done") await this.store.clear();
  }

  private async generate(job: GenerationJob, input: ReplyInput, signal: AbortSignal): Promise<ReplyOutcome> {
    let outcome: ReplyOutcome = { status: "failed", saved: false, refunded: false };
    try {
      const fields = { chatId: job.chatId, streamId: job.streamId };
      outcome = await withDeps(this.env, fields, this.bootstrapOptions, async ({ db, config, log, models }) => {
        try {
          return await generateReply({
            ctx: { db, config, log, models },
            job,
            input,
            signal,
            emit: (chunk) => this.append(chunk),
          });
        } catch (error) {
          log.error("reply.unhandled", { error });
          return outcome;
        }
      });
    } finally {
      this.store.persist();
      this.store.clearJob();
      this.store.setStatus("done");
      this.closeReaders();
      this.running = undefined;
      await this.ctx.storage.setAlarm(Date.now() + REPLAY_GRACE_MS);
    }
    return outcome;
  }

  private appended = 0;
  /** Chunks not yet written to the readers; written together, once per turn of the event loop. */
  private pending: string[] = [];
  private flushTimer: ReturnType<typeof setTimeout> | undefined;

  private append(chunk: string): Promise<void> | undefined {
    this.store.append(chunk);
    this.pending.push(chunk);
    this.appended++;
    // A model that streams without pauses would otherwise run to the end before the object serves
    // anything else: yielding a macrotask now and then lets readers attach and their bytes flush. The
    // first yields come sooner (after 1, 2, 4, 8 and 16 chunks), so the first words leave at once.
    const count = this.appended;
    if (count % YIELD_EVERY === 0 || (count < YIELD_EVERY && (count & (count - 1)) === 0)) {
      this.flush();
      return new Promise((resolve) => setTimeout(resolve, 0));
    }
    // A model that pauses between chunks (a real one, on the network) gets its chunks out at the pause.
    this.flushTimer ??= setTimeout(() => this.flush(), 0);
    return undefined;
  }

  /**
   * Writes the pending chunks to every reader as one piece. The runtime moves about one write per
   * reader per turn of the event loop, so a write per chunk would leave readers far behind a fast model.
   */
  private flush(): void {
    if (this.flushTimer !== undefined) clearTimeout(this.flushTimer);
    this.flushTimer = undefined;
    if (this.pending.length === 0) return;
    const bytes = this.encoder.encode(this.pending.join(""));
    this.pending = [];
    for (const reader of this.readers) this.write(reader, bytes);
  }

  /** Queues bytes for one reader; a reader that went away is dropped, never awaited. */
  private write(writer: WritableStreamDefaultWriter<Uint8Array>, bytes: Uint8Array): void {
    writer.write(bytes).catch(() => this.readers.delete(writer));
  }

  private closeReaders(): void {
    this.flush();
    for (const reader of this.readers) reader.close().catch(() => {});
    this.readers.clear();
  }

  /**
   * The stored state, after one correction: "generating" without a generation in this instance means
   * the object restarted mid-reply. That reply is over; what it produced is saved (or its allowance
   * given back) before anyone may go on.
   */
  private async settledState(): Promise<StreamState | undefined> {
    const state = this.store.state();
    if (state?.status !== "generating" || this.running) return state;
    this.recovering ??= this.recover().finally(() => {
      this.recovering = undefined;
    });
    await this.recovering;
    return this.store.state();
  }

  private async recover(): Promise<void> {
    const job = this.store.job<GenerationJob & { startedAt: number }>();
    const fields = { chatId: job?.chatId, streamId: job?.streamId };
    await withDeps(this.env, fields, this.bootstrapOptions, async ({ db, log }) => {
      if (job) {
        try {
          const chunks = await this.store.storedChunks();
          const outcome = await saveInterruptedReply({ ctx: { db }, job, chunks });
          if (outcome.chatMissing) {
            // No one can read this reply any more, and nothing will ever save it: nothing is kept or retried.
            log.warn("reply.recovery-abandoned", { reason: "chat deleted" });
            await this.store.clear();
            await this.ctx.storage.deleteAlarm();
            return;
          }
          log.warn("reply.recovered", { ...outcome });
        } catch (error) {
          // Left as "generating": the next alarm or request tries again.
          log.error("reply.recovery-failed", { error });
          await this.ctx.storage.setAlarm(Date.now() + RECOVERY_CHECK_MS);
          return;
        }
      }
      this.store.clearJob();
      this.store.setStatus("done");
      await this.ctx.storage.setAlarm(Date.now() + REPLAY_GRACE_MS);
    });
  }
}

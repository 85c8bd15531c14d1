import { DurableObject } from "cloudflare:workers";
import { UI_MESSAGE_STREAM_HEADERS } from "ai";
import { createDeps } from "../deps";
import { type Env, loadConfig } from "../env";
import { createLogger } from "../lib/log";
import { generateReply } from "../services/chat/generate-reply";
import type { GenerationJob, ReplyOutcome } from "../services/chat/generation-job";
import { type StreamState, StreamStore } from "./stream-store";

/** How long a claim may wait for its start before another message may take the chat. */
const CLAIM_TTL_MS = 60_000;
/** How long a finished reply stays replayable for readers that reconnect late. */
export const REPLAY_GRACE_MS = 30_000;

/**
 * One instance per chat (named by chat id). It owns the live reply: runs the model, keeps every
 * UI-message-stream chunk in its SQLite storage as it goes and serves any number of readers, each
 * from the first chunk. Generation does not depend on any reader, so it survives disconnects.
 */
export class ChatStream extends DurableObject<Env> {
  private readonly store: StreamStore;
  private readonly readers = new Set<ReadableStreamDefaultController<Uint8Array>>();
  private running: { streamId: string; abort: AbortController; done: Promise<ReplyOutcome> } | undefined;
  private readonly encoder = new TextEncoder();

  constructor(ctx: DurableObjectState, env: Env) {
    super(ctx, env);
    this.store = new StreamStore(ctx.storage.sql);
  }

  /** Reserves the chat for one new reply; false while another is claimed or generating. */
  async claim(streamId: string): Promise<boolean> {
    const state = this.liveState();
    if (
      state &&
      (state.status === "generating" || (state.status === "claimed" && Date.now() - state.at < CLAIM_TTL_MS))
    ) {
      return false;
    }
    this.closeReaders();
    this.store.reset({ streamId, status: "claimed", at: Date.now() });
    return true;
  }

  /** Gives a claim back when the request failed before generation could start. */
  async release(streamId: string): Promise<void> {
    const state = this.store.state();
    if (state?.streamId === streamId && state.status === "claimed") this.store.clear();
  }

  /** Starts generating the reply claimed under `job.streamId`; returns at once. */
  async start(job: GenerationJob): Promise<void> {
    const state = this.store.state();
    if (state?.streamId !== job.streamId || state.status !== "claimed") {
      throw new Error("The stream was not claimed, or was claimed by another message");
    }
    this.store.setStatus("generating");
    const abort = new AbortController();
    const done = this.generate(job, abort.signal);
    this.running = { streamId: job.streamId, abort, done };
    this.ctx.waitUntil(done);
  }

  /** Stops the live reply; the partial answer is saved. False when nothing was generating. */
  async stop(): Promise<boolean> {
    if (!this.running) return false;
    this.running.abort.abort();
    await this.running.done;
    return true;
  }

  async isGenerating(): Promise<boolean> {
    return this.liveState()?.status === "generating";
  }

  /** For tests and the benchmark: resolves when the current reply has ended. */
  async waitForReply(): Promise<ReplyOutcome | null> {
    return this.running ? this.running.done : null;
  }

  /** GET /stream: every chunk from the start, then the live ones; 204 when there is nothing to read. */
  override async fetch(request: Request): Promise<Response> {
    const url = new URL(request.url);
    if (url.pathname !== "/stream") return new Response("Not found", { status: 404 });
    const state = this.liveState();
    if (!state || state.status === "claimed") return new Response(null, { status: 204 });

    const finished = state.status === "done";
    const backlog = this.store.chunks();
    let registered: ReadableStreamDefaultController<Uint8Array> | undefined;
    const body = new ReadableStream<Uint8Array>({
      start: (controller) => {
        for (const chunk of backlog) controller.enqueue(this.encoder.encode(chunk));
        if (finished) controller.close();
        else {
          registered = controller;
          this.readers.add(controller);
        }
      },
      cancel: () => {
        if (registered) this.readers.delete(registered);
      },
    });
    return new Response(body, { headers: UI_MESSAGE_STREAM_HEADERS });
  }

  /** Set for REPLAY_GRACE_MS after a reply ends; a newer reply in the meantime is left alone. */
  override async alarm(): Promise<void> {
    if (this.liveState()?.status === "done") this.store.clear();
  }

  private async generate(job: GenerationJob, signal: AbortSignal): Promise<ReplyOutcome> {
    const config = loadConfig(this.env);
    const log = createLogger({ chatId: job.chatId, streamId: job.streamId }, config.LOG_LEVEL);
    const deps = createDeps(this.env, config, log);
    let outcome: ReplyOutcome = { status: "failed", saved: false, refunded: false };
    try {
      outcome = await generateReply({ deps, job, signal, emit: (chunk) => this.append(chunk) });
    } catch (error) {
      log.error("reply.unhandled", { error });
    } finally {
      await deps.dispose();
      this.store.setStatus("done");
      this.closeReaders();
      this.running = undefined;
      await this.ctx.storage.setAlarm(Date.now() + REPLAY_GRACE_MS);
    }
    return outcome;
  }

  private append(chunk: string): void {
    this.store.append(chunk);
    for (const reader of this.readers) {
      try {
        reader.enqueue(this.encoder.encode(chunk));
      } catch {
        this.readers.delete(reader);
      }
    }
  }

  private closeReaders(): void {
    for (const reader of this.readers) {
      try {
        reader.close();
      } catch {
        // already closed by its consumer
      }
    }
    this.readers.clear();
  }

  /**
   * The stored state, with one correction: "generating" without a generation in this instance means
   * the object was restarted mid-reply, so that reply is over.
   */
  private liveState(): StreamState | undefined {
    const state = this.store.state();
    if (state?.status === "generating" && !this.running) {
      this.store.setStatus("done");
      return this.store.state();
    }
    return state;
  }
}

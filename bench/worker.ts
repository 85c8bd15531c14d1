// The Worker `npm run bench` runs: the app (src/index.ts) with the benchmark's model behind every reply,
// and one route of its own. Never deployed: scripts/lib/start-app.mjs hands it to `wrangler dev` in
// place of wrangler.toml's `main`, and nothing under src/ imports it.
import { JsonToSseTransformStream, streamText, toUIMessageStream, UI_MESSAGE_STREAM_HEADERS } from "ai";
import { Hono } from "hono";
import { setModelOverride } from "../src/ai/model-override";
import { ChatStream as AppChatStream } from "../src/durable-objects/chat-stream.do";
import type { Env } from "../src/env";
import { toErrorResponse } from "../src/http/error-envelope";
import { requireUser } from "../src/http/middleware/auth";
import { requestContext } from "../src/http/middleware/context";
import { requestIdentity } from "../src/http/middleware/request-id";
import type { AppEnv } from "../src/http/types";
import app from "../src/index";
import { BenchLanguageModel } from "./bench-model";

export interface BenchEnv extends Env {
  /** Text chunks of every reply (set by scripts/bench.mjs). */
  BENCH_STREAM_CHUNKS?: string;
}

function streamChunks(env: BenchEnv): number {
  const chunks = Number(env.BENCH_STREAM_CHUNKS ?? 1);
  if (!Number.isInteger(chunks) || chunks < 1) throw new Error("BENCH_STREAM_CHUNKS must be a positive integer");
  return chunks;
}

let modelSet = false;
/** Every generation in this isolate uses the benchmark's model instead of the configured provider. */
function installBenchModel(env: BenchEnv): void {
  if (modelSet) return;
  setModelOverride(new BenchLanguageModel(streamChunks(env)));
  modelSet = true;
}

/**
 * The baseline for streamed replies: the same model streamed straight from the Worker, behind the same
 * sign-in, with no Durable Object and no database writes.
 */
const benchRoutes = new Hono<AppEnv>()
  .use("*", requestIdentity())
  .use("*", requestContext())
  .post("/api/dev/bench-stream", requireUser(), (c) => {
    const result = streamText({ model: new BenchLanguageModel(streamChunks(c.env)), prompt: "bench" });
    const body = toUIMessageStream({ stream: result.stream })
      .pipeThrough(new JsonToSseTransformStream())
      .pipeThrough(new TextEncoderStream());
    return new Response(body, { headers: UI_MESSAGE_STREAM_HEADERS });
  })
  .onError((error, c) => toErrorResponse(c, error));

/** The app's Durable Object, generating with the benchmark's model. */
export class ChatStream extends AppChatStream {
  constructor(ctx: DurableObjectState, env: BenchEnv) {
    super(ctx, env);
    installBenchModel(env);
  }
}

export default {
  ...app,
  fetch(request, env, ctx) {
    installBenchModel(env);
    if (new URL(request.url).pathname === "/api/dev/bench-stream") return benchRoutes.fetch(request, env, ctx);
    return app.fetch(request, env, ctx);
  },
} satisfies ExportedHandler<BenchEnv, unknown>;

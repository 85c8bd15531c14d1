import { JsonToSseTransformStream, streamText, toUIMessageStream, UI_MESSAGE_STREAM_HEADERS } from "ai";
import { Hono } from "hono";
import { BenchLanguageModel } from "../../ai/bench-model";
import { requireUser } from "../../http/middleware/auth";
import type { AppEnv } from "../../http/types";
import { notFound } from "../../lib/errors";

/**
 * The benchmark's baseline for streamed replies: the same model streamed straight from the Worker,
 * behind the same sign-in, with no Durable Object and no database writes. Exists only when
 * BENCH_STREAM_CHUNKS is set outside production; not part of the API.
 */
export const benchStreamRouter = new Hono<AppEnv>().post(
  "/api/dev/bench-stream",
  async (c, next) => {
    const config = c.get("config");
    if (config.APP_ENV === "production" || !config.BENCH_STREAM_CHUNKS) throw notFound("Route");
    await next();
  },
  requireUser(),
  (c) => {
    const chunks = c.get("config").BENCH_STREAM_CHUNKS ?? 1;
    const result = streamText({ model: new BenchLanguageModel(chunks), prompt: "bench" });
    const body = toUIMessageStream({ stream: result.stream })
      .pipeThrough(new JsonToSseTransformStream())
      .pipeThrough(new TextEncoderStream());
    return new Response(body, { headers: UI_MESSAGE_STREAM_HEADERS });
  },
);

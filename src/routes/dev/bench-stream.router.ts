import { JsonToSseTransformStream, streamText, toUIMessageStream, UI_MESSAGE_STREAM_HEADERS } from "ai";
import type { MiddlewareHandler } from "hono";
import { BenchLanguageModel } from "../../ai/bench-model";
import { route } from "../../http/middleware/auth";
import { authenticated, createRouter } from "../../http/openapi";
import type { AppEnv } from "../../http/types";
import { notFound } from "../../lib/errors";

const onlyWhenBenchmarking: MiddlewareHandler<AppEnv> = async (c, next) => {
  const config = c.get("config");
  if (config.APP_ENV === "production" || !config.BENCH_STREAM_CHUNKS) throw notFound("Route");
  await next();
};

const benchStream = route({
  method: "post",
  path: "/api/dev/bench-stream",
  // Not part of the API: left out of the document.
  hide: true,
  ...authenticated,
  middleware: [onlyWhenBenchmarking] as const,
  responses: { 200: { description: "The bench model's reply, streamed" } },
});

/**
 * The benchmark's baseline for streamed replies: the same model streamed straight from the Worker,
 * behind the same sign-in, with no Durable Object and no database writes. Exists only when
 * BENCH_STREAM_CHUNKS is set outside production.
 */
export const benchStreamRouter = createRouter().openapi(benchStream, (c) => {
  const chunks = c.get("config").BENCH_STREAM_CHUNKS ?? 1;
  const result = streamText({ model: new BenchLanguageModel(chunks), prompt: "bench" });
  const body = toUIMessageStream({ stream: result.stream })
    .pipeThrough(new JsonToSseTransformStream())
    .pipeThrough(new TextEncoderStream());
  return new Response(body, { headers: UI_MESSAGE_STREAM_HEADERS });
});

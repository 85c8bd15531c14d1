import {
  createExecutionContext,
  createMessageBatch,
  createScheduledController,
  getQueueResult,
  runInDurableObject,
  waitOnExecutionContext,
} from "cloudflare:test";
import { env, exports } from "cloudflare:workers";
import { describe, expect, it, vi } from "vitest";
import { DAILY, EVERY_MINUTE } from "../../src/cron/jobs";
import { LOOKOUT_RUNS_DLQ, LOOKOUT_RUNS_QUEUE } from "../../src/queues/lookout-runs.messages";
import worker from "../support/worker";

function logLines(spy: { mock: { calls: unknown[][] } }) {
  return spy.mock.calls.map((args) => JSON.parse(String(args[0])) as Record<string, unknown>);
}

describe("fetch", () => {
  it("is the Hono app", async () => {
    const response = await exports.default.fetch(new Request("http://localhost/health"));
    expect(response.status).toBe(200);
  });
});

describe("scheduled", () => {
  it.each([
    [EVERY_MINUTE, ["lookout-dispatch", "lookout-sweep"]],
    [DAILY, ["daily-maintenance"]],
  ])("dispatches cron %s to %s", async (cron, jobs) => {
    const errors = vi.spyOn(console, "error").mockImplementation(() => {});
    const logs = vi.spyOn(console, "log").mockImplementation(() => {});
    try {
      const controller = createScheduledController({ cron, scheduledTime: new Date("2026-11-27T03:00:00Z") });
      const ctx = createExecutionContext();
      await worker.scheduled(controller, { ...env, LOG_LEVEL: "info" }, ctx);
      await waitOnExecutionContext(ctx);
      const done = logLines(logs)
        .filter((line) => line.msg === "cron.job.done")
        .map((line) => line.job);
      expect(done).toEqual(jobs);
      expect(errors).not.toHaveBeenCalled();
    } finally {
      errors.mockRestore();
      logs.mockRestore();
    }
  });

  it("ignores an unknown cron string", async () => {
    const warn = vi.spyOn(console, "warn").mockImplementation(() => {});
    try {
      const ctx = createExecutionContext();
      await worker.scheduled(createScheduledController({ cron: "5 5 5 5 5" }), env, ctx);
      await waitOnExecutionContext(ctx);
      expect(logLines(warn).map((line) => line.msg)).toContain("cron.unknown");
    } finally {
      warn.mockRestore();
    }
  });
});

describe("queue", () => {
  it("acks runs of unknown lookouts and drops malformed messages without retrying", async () => {
    const warn = vi.spyOn(console, "warn").mockImplementation(() => {});
    try {
      const batch = createMessageBatch(LOOKOUT_RUNS_QUEUE, [
        {
          id: "m1",
          timestamp: new Date(),
          attempts: 1,
          body: { lookoutId: "l1", runId: "r1", scheduledFor: "2026-11-27T08:00:00Z" },
        },
        { id: "m2", timestamp: new Date(), attempts: 1, body: { nonsense: true } },
      ]);
      const ctx = createExecutionContext();
      await worker.queue(batch, env, ctx);
      const result = await getQueueResult(batch, ctx);
      expect(result.explicitAcks.sort()).toEqual(["m1", "m2"]);
      expect(result.retryMessages).toEqual([]);
      expect(logLines(warn).map((line) => line.msg)).toContain("lookout-run.invalid-message");
    } finally {
      warn.mockRestore();
    }
  });

  it("routes the dead-letter queue to its consumer", async () => {
    const errors = vi.spyOn(console, "error").mockImplementation(() => {});
    try {
      const batch = createMessageBatch(LOOKOUT_RUNS_DLQ, [
        {
          id: "d1",
          timestamp: new Date(),
          attempts: 4,
          body: { lookoutId: "l9", runId: "r9", scheduledFor: "2026-11-27T08:00:00Z" },
        },
      ]);
      const ctx = createExecutionContext();
      await worker.queue(batch, env, ctx);
      const result = await getQueueResult(batch, ctx);
      expect(result.explicitAcks).toEqual(["d1"]);
      expect(logLines(errors)).toEqual([expect.objectContaining({ msg: "lookout-run.dead-letter", lookoutId: "l9" })]);
    } finally {
      errors.mockRestore();
    }
  });

  it("delivers a message sent to the producer binding to the consumer", async () => {
    const warn = vi.spyOn(console, "warn").mockImplementation(() => {});
    try {
      const probe = `probe-${crypto.randomUUID()}`;
      // A body the consumer rejects, so it logs at warn (the test level) with the body it saw.
      await env.LOOKOUT_RUNS.send({ probe });
      await vi.waitFor(
        () => {
          const seen = logLines(warn).find((line) => line.msg === "lookout-run.invalid-message");
          expect(String(seen?.body)).toContain(probe);
        },
        { timeout: 10_000, interval: 100 },
      );
    } finally {
      warn.mockRestore();
    }
  });
});

describe("ChatStream Durable Object", () => {
  it("is bound with SQLite storage and lets one reply claim the chat at a time", async () => {
    const stub = env.CHAT_STREAM.getByName(`chat-${crypto.randomUUID()}`);
    expect(await stub.isGenerating()).toBe(false);
    expect(await stub.claim("stream-1")).toBe(true);
    expect(await stub.claim("stream-2")).toBe(false);
    await stub.release("stream-1");
    expect(await stub.claim("stream-2")).toBe(true);
    await runInDurableObject(stub, async (_instance, state) => {
      // SQLite-backed; a claim is held in memory until the reply starts, so nothing is stored yet.
      expect(state.storage.sql.exec("select 1 as one").one()).toEqual({ one: 1 });
      const stored = state.storage.sql.exec("select name from sqlite_master where name like 'reply_%'").toArray();
      expect(stored).toEqual([]);
    });
    const response = await stub.fetch(new Request("https://chat-stream/stream"));
    expect(response.status).toBe(204);
  });
});

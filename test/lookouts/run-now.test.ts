import { afterAll, afterEach, describe, expect, it, vi } from "vitest";
import { countInWindow } from "../../src/db/queries/window-counters";
import { signUpVerified } from "../support/auth";
import { testDb, testSql } from "../support/db";
import { expectEnvelope, json } from "../support/http";
import { setModelOverride } from "../support/models";
import { makePro, reportModel } from "./support";

const sql = testSql();
afterAll(() => sql.end());
afterEach(() => setModelOverride(undefined));

describe("run now", () => {
  it("queues a run through the real queue and leaves its answer as a new private chat", async () => {
    const user = await signUpVerified("Runner");
    await makePro(sql, user.id);
    const title = `Porto weekend ${crypto.randomUUID().slice(0, 8)}`;
    const created = await json(
      "POST",
      "/api/lookouts",
      {
        title,
        prompt: "Cheap weekend flights to Porto?",
        frequency: "weekly",
        dayOfWeek: 1,
        time: "08:00",
        timezone: "Europe/Lisbon",
      },
      user.headers,
    );
    expect(created.status).toBe(201);
    const { id } = (await created.json()) as { id: string };
    setModelOverride(reportModel("Two fares under 60 EUR on Saturday mornings."));

    const run = await json("POST", `/api/lookouts/${id}/run`, {}, user.headers);
    expect(run.status).toBe(202);

    await vi.waitFor(
      async () => {
        const [row] = await sql`select status, last_run_chat_id, run_history from lookout where id = ${id}`;
        expect(row?.status).toBe("active");
        expect(row?.last_run_chat_id).toBeTruthy();
      },
      { timeout: 20_000, interval: 200 },
    );
    const [lookout] = await sql`select last_run_chat_id, run_history from lookout where id = ${id}`;
    const [chat] = await sql`select user_id, title, visibility from chat where id = ${lookout?.last_run_chat_id}`;
    expect(chat).toEqual({ user_id: user.id, title: `Scheduled: ${title}`, visibility: "private" });
    const messages =
      await sql`select role from message where chat_id = ${lookout?.last_run_chat_id} order by created_at, id`;
    expect(messages.map((message) => message.role)).toEqual(["user", "assistant"]);
    const history = lookout?.run_history as Array<{ status: string; chatId: string }>;
    expect(history).toHaveLength(1);
    expect(history[0]).toMatchObject({ status: "success", chatId: lookout?.last_run_chat_id });
  });

  it("allows 10 runs now per user and hour, and refuses the 11th with 429 without claiming anything", async () => {
    const user = await signUpVerified("Eager runner");
    await makePro(sql, user.id);
    setModelOverride(reportModel("Nothing new this week."));
    const ids: string[] = [];
    for (let index = 0; index < 10; index++) {
      const created = await json(
        "POST",
        "/api/lookouts",
        {
          title: `Ferry check ${index}`,
          prompt: "Any new ferries to Madeira?",
          frequency: "weekly",
          dayOfWeek: 3,
          time: "09:00",
          timezone: "Europe/Lisbon",
        },
        user.headers,
      );
      expect(created.status).toBe(201);
      ids.push(((await created.json()) as { id: string }).id);
    }
    for (const id of ids) expect((await json("POST", `/api/lookouts/${id}/run`, {}, user.headers)).status).toBe(202);
    const waitForRuns = () =>
      vi.waitFor(
        async () => {
          const rows = await sql`select status from lookout where user_id = ${user.id}`;
          expect(rows.every((row) => row.status === "active")).toBe(true);
        },
        { timeout: 30_000, interval: 200 },
      );
    await waitForRuns();

    const refused = await json("POST", `/api/lookouts/${ids[0]}/run`, {}, user.headers);
    const body = await expectEnvelope(refused, 429, "RATE_LIMITED");
    expect(body.error.details).toMatchObject({ limit: 10 });
    expect(Number(refused.headers.get("retry-after"))).toBeGreaterThan(0);
    expect(Number(refused.headers.get("retry-after"))).toBeLessThanOrEqual(3600);
    const [lookout] = await sql`select status, run_history from lookout where id = ${ids[0] ?? ""}`;
    expect(lookout?.status).toBe("active");
    expect(lookout?.run_history).toHaveLength(1);
    expect(await sql`select 1 from lookout_run_claim where lookout_id = ${ids[0] ?? ""}`).toHaveLength(0);

    // A run-now refused for another reason (a lookout already running) does not use up the hour's runs.
    const other = await signUpVerified("Patient runner");
    await makePro(sql, other.id);
    const created = await json(
      "POST",
      "/api/lookouts",
      { title: "Once", prompt: "Trains?", frequency: "weekly", dayOfWeek: 1, time: "08:00", timezone: "Europe/Berlin" },
      other.headers,
    );
    const { id } = (await created.json()) as { id: string };
    await sql`update lookout set status = 'running' where id = ${id}`;
    for (let attempt = 0; attempt < 12; attempt++) {
      await expectEnvelope(await json("POST", `/api/lookouts/${id}/run`, {}, other.headers), 409, "CONFLICT");
    }
    await sql`update lookout set status = 'active' where id = ${id}`;
    expect((await json("POST", `/api/lookouts/${id}/run`, {}, other.headers)).status).toBe(202);
    await vi.waitFor(
      async () => {
        const [row] = await sql`select status from lookout where id = ${id}`;
        expect(row?.status).toBe("active");
      },
      { timeout: 20_000, interval: 200 },
    );
  });

  it("counts runs now in fixed windows of an hour from the first run, however they are spread", async () => {
    const handle = testDb();
    try {
      const key = `lookout-run-now:${crypto.randomUUID()}`;
      const start = new Date("2031-03-01T10:00:00Z");
      const at = (minutes: number) => new Date(start.getTime() + minutes * 60_000);
      const count = (minutes: number) =>
        countInWindow(handle.db, { key, limit: 2, windowMs: 60 * 60_000, now: at(minutes) });
      expect(await count(0)).toEqual({ allowed: true });
      expect(await count(50)).toEqual({ allowed: true });
      expect(await count(59)).toEqual({ allowed: false, resetAt: at(60) });
      expect(await count(61)).toEqual({ allowed: true });
      expect(await count(62)).toEqual({ allowed: true });
      expect(await count(63)).toEqual({ allowed: false, resetAt: at(121) });
    } finally {
      await handle.close();
    }
  });
});

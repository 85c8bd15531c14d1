import { afterAll, afterEach, describe, expect, it, vi } from "vitest";
import { setModelOverride } from "../../src/ai/model-override";
import { signUpVerified } from "../support/auth";
import { testSql } from "../support/db";
import { json } from "../support/http";
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
});

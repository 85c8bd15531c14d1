import { afterAll, afterEach, describe, expect, it } from "vitest";
import { LOOKOUT_RUNS_DLQ, LOOKOUT_RUNS_QUEUE } from "../../src/queues/lookout-runs.messages";
import { testSql } from "../support/db";
import { setModelOverride } from "../support/models";
import { claimRun, deliverRun, insertLookout, insertUser, reportModel, runHistoryOf } from "./support";

const sql = testSql();

afterAll(() => sql.end());
afterEach(() => setModelOverride(undefined));

const future = () => new Date(Date.now() + 86_400_000);

describe("what changed", () => {
  it("gives a recurring lookout's run the previous report and asks what is new since then", async () => {
    const owner = await insertUser(sql, true);
    const lookoutId = await insertLookout(sql, {
      userId: owner.id,
      frequency: "weekly",
      cronSchedule: "0 8 * * 1",
      nextRunAt: future(),
    });
    const previous = `Fares on Monday: 89 EUR direct. ${"Filler about the route. ".repeat(300)}TAIL-OF-OLD-REPORT`;
    const first = reportModel(previous);
    setModelOverride(first);
    await deliverRun(
      LOOKOUT_RUNS_QUEUE,
      await claimRun(sql, lookoutId, { claimedAt: new Date("2031-03-03T07:00:00Z") }),
    );
    const firstPrompt = JSON.stringify(first.doGenerateCalls[0]?.prompt);
    expect(firstPrompt).not.toContain("previous_report");
    expect(firstPrompt).not.toContain("New since");

    const second = reportModel("New since 3 March 2031: a 79 EUR fare.");
    setModelOverride(second);
    await deliverRun(
      LOOKOUT_RUNS_QUEUE,
      await claimRun(sql, lookoutId, { claimedAt: new Date("2031-03-10T07:00:00Z") }),
    );
    const secondPrompt = JSON.stringify(second.doGenerateCalls[0]?.prompt);
    expect(secondPrompt).toContain("Fares on Monday: 89 EUR direct.");
    expect(secondPrompt).not.toContain("TAIL-OF-OLD-REPORT");
    expect(secondPrompt).toContain("New since 3 March 2031");
    expect(secondPrompt).toContain("No change since 3 March 2031");
    expect(secondPrompt).toContain("Direct flights Berlin to Lisbon under 100 EUR?");
    expect((await runHistoryOf(sql, lookoutId)).map((run) => run.status)).toEqual(["success", "success"]);
  });

  it("skips a failed run and gives the newest successful report", async () => {
    const owner = await insertUser(sql, true);
    const lookoutId = await insertLookout(sql, { userId: owner.id, frequency: "daily", nextRunAt: future() });
    setModelOverride(reportModel("Ferry OLD-SUCCESS runs twice a day."));
    await deliverRun(
      LOOKOUT_RUNS_QUEUE,
      await claimRun(sql, lookoutId, { claimedAt: new Date("2031-04-01T06:00:00Z") }),
    );
    await deliverRun(
      LOOKOUT_RUNS_DLQ,
      await claimRun(sql, lookoutId, { claimedAt: new Date("2031-04-02T06:00:00Z") }),
      4,
    );
    const third = reportModel("Still twice a day.");
    setModelOverride(third);
    await deliverRun(
      LOOKOUT_RUNS_QUEUE,
      await claimRun(sql, lookoutId, { claimedAt: new Date("2031-04-03T06:00:00Z") }),
    );
    const prompt = JSON.stringify(third.doGenerateCalls[0]?.prompt);
    expect(prompt).toContain("Ferry OLD-SUCCESS runs twice a day.");
    expect(prompt).toContain("since 1 April 2031");
  });

  it("runs a once lookout without any previous report", async () => {
    const owner = await insertUser(sql, true);
    const chatId = crypto.randomUUID();
    await sql`insert into chat (id, user_id, title) values (${chatId}, ${owner.id}, 'Scheduled: Lisbon flights')`;
    await sql`insert into message (id, chat_id, role, parts, attachments)
      values (${crypto.randomUUID()}, ${chatId}, 'assistant', ${sql.json([{ type: "text", text: "OLD-ONCE-REPORT" }])}, ${sql.json([])})`;
    const lookoutId = await insertLookout(sql, {
      userId: owner.id,
      frequency: "once",
      cronSchedule: "",
      nextRunAt: new Date(),
      runHistory: [
        {
          runAt: "2031-01-01T08:00:00.000Z",
          chatId,
          status: "success",
          duration: 10,
          tokensUsed: 1,
          searchesPerformed: 0,
        },
      ],
    });
    const model = reportModel("Fresh report.");
    setModelOverride(model);
    await deliverRun(LOOKOUT_RUNS_QUEUE, await claimRun(sql, lookoutId, { resumeStatus: "paused" }));
    const prompt = JSON.stringify(model.doGenerateCalls[0]?.prompt);
    expect(prompt).toContain("Direct flights Berlin to Lisbon under 100 EUR?");
    expect(prompt).not.toContain("OLD-ONCE-REPORT");
    expect(prompt).not.toContain("New since");
    expect(prompt).not.toContain("No change since");
  });
});

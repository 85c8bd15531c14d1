import { createExecutionContext, createMessageBatch, getQueueResult } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { createModelRegistry } from "../../src/ai/model-registry";
import { loadConfig } from "../../src/env";
import type { Logger } from "../../src/lib/log";
import { consumeLookoutRuns } from "../../src/queues/lookout-runs.consumer";
import { LOOKOUT_RUNS_DLQ, LOOKOUT_RUNS_QUEUE } from "../../src/queues/lookout-runs.messages";
import { DEAD_LETTER_ERROR } from "../../src/queues/lookout-runs-dlq.consumer";
import { PLAN_ERROR } from "../../src/services/lookouts/execute-lookout-run";
import { sweepStuckLookouts, TIMEOUT_ERROR } from "../../src/services/lookouts/sweep-stuck-lookouts";
import { createLogMailer, localOutbox, type Mail, type Mailer } from "../../src/services/mail/mailer";
import { signUpVerified } from "../support/auth";
import { useTestDatabase } from "../support/db";
import { createLookout, createProSubscription, createProUser, createUser } from "../support/factories";
import { call, json } from "../support/http";
import { useModel } from "../support/models";
import { claimRun, deliverRun, reportModel, runHistoryOf } from "./support";

const { sql, db, handle } = useTestDatabase();
const testModel = useModel();
const BASE_URL = "http://localhost:8787";

/** The lookout mails sent to `to` through the local mailer, oldest first. */
const lookoutMails = (to: string): Mail[] =>
  localOutbox.filter((mail) => mail.to === to && mail.kind === "lookout-run");

/** A logger that keeps its entries instead of writing them. */
function recordingLogger() {
  const entries: Array<{ level: string; msg: string; fields?: Record<string, unknown> }> = [];
  const logger: Logger = {
    debug: (msg, fields) => entries.push({ level: "debug", msg, fields }),
    info: (msg, fields) => entries.push({ level: "info", msg, fields }),
    warn: (msg, fields) => entries.push({ level: "warn", msg, fields }),
    error: (msg, fields) => entries.push({ level: "error", msg, fields }),
    child: () => logger,
  };
  return { logger, entries };
}

const offLinkPattern = (lookoutId: string) =>
  new RegExp(`${BASE_URL}/api/lookouts/${lookoutId}/emails/off\\?token=[A-Za-z0-9_-]{20,}`);

function offLinkOf(mail: Mail | undefined, lookoutId: string): string {
  const found = mail?.text.match(offLinkPattern(lookoutId))?.[0];
  if (!found) throw new Error(`no off link in ${mail?.text}`);
  return found;
}

const future = () => new Date(Date.now() + 86_400_000);

describe("lookout emails", () => {
  it("mails the owner when a run succeeds: title, outcome, the report's first part, the chat link and an off link", async () => {
    const owner = await createProUser(db);
    const { id: lookoutId } = await createLookout(db, {
      userId: owner.id,
      title: "Lisbon flights",
      nextRunAt: future(),
    });
    const report = `Three direct flights under 100 EUR on Tuesdays. ${"More detail on fares and times. ".repeat(120)}END-OF-REPORT`;
    testModel.install(reportModel(report));

    const delivery = await deliverRun(LOOKOUT_RUNS_QUEUE, await claimRun(sql, lookoutId));
    expect(delivery.result.explicitAcks).toEqual([delivery.id]);

    const [row] = await sql`select last_run_chat_id from lookout where id = ${lookoutId}`;
    const chatLink = `${BASE_URL}/chat/${row?.last_run_chat_id}`;
    const mails = lookoutMails(owner.email);
    expect(mails).toHaveLength(1);
    const mail = mails[0] as Mail;
    expect(mail.subject).toContain("Lisbon flights");
    expect(mail.text).toContain("Lisbon flights");
    expect(mail.text).toMatch(/new report/i);
    expect(mail.text).toContain("Three direct flights under 100 EUR on Tuesdays.");
    // Only the first part of the report travels in the mail.
    expect(mail.text).not.toContain("END-OF-REPORT");
    expect(mail.text.length).toBeLessThan(2_000);
    expect(mail.text).toContain(chatLink);
    expect(mail.url).toBe(chatLink);
    expect(mail.text).toMatch(offLinkPattern(lookoutId));
    expect(mail.html).toContain(`href="${chatLink}"`);
    expect(mail.html).toMatch(offLinkPattern(lookoutId));
    expect(mail.html).toContain("Three direct flights under 100 EUR on Tuesdays.");
  });

  it("mails the owner of a run that fails, whether the consumer, the dead-letter queue or the sweep records it", async () => {
    const lapsed = await createUser(db);
    const { id: planLookout } = await createLookout(db, {
      userId: lapsed.id,
      title: "Porto trains",
      nextRunAt: future(),
    });
    testModel.install(reportModel("Should not be written"));
    await deliverRun(LOOKOUT_RUNS_QUEUE, await claimRun(sql, planLookout));
    const planMails = lookoutMails(lapsed.email);
    expect(planMails).toHaveLength(1);
    expect(planMails[0]?.subject).toContain("Porto trains");
    expect(planMails[0]?.text).toMatch(/failed/i);
    expect(planMails[0]?.text).toContain(PLAN_ERROR);
    expect(planMails[0]?.text).not.toContain("/chat/");
    expect(planMails[0]?.text).toMatch(offLinkPattern(planLookout));

    const owner = await createProUser(db);
    const { id: deadLookout } = await createLookout(db, {
      userId: owner.id,
      title: "Madeira ferries",
      nextRunAt: future(),
    });
    const dead = await deliverRun(LOOKOUT_RUNS_DLQ, await claimRun(sql, deadLookout), 4);
    expect(dead.result.explicitAcks).toEqual([dead.id]);
    const deadMails = lookoutMails(owner.email);
    expect(deadMails).toHaveLength(1);
    expect(deadMails[0]?.text).toContain("Madeira ferries");
    expect(deadMails[0]?.text).toContain(DEAD_LETTER_ERROR);

    // Long before anything else in the suite claims a run, so this sweep releases only this claim.
    const claimedAt = new Date("1985-01-10T08:00:00Z");
    const { id: stuck } = await createLookout(db, { userId: owner.id, title: "Azores whales", nextRunAt: future() });
    await claimRun(sql, stuck, { claimedAt });
    await sweepStuckLookouts({
      ctx: {
        db: handle.db,
        timeoutMinutes: 15,
        now: new Date("1985-01-10T08:20:00Z"),
        mail: {
          mailer: createLogMailer(recordingLogger().logger),
          config: loadConfig(env),
          log: recordingLogger().logger,
        },
      },
    });
    expect((await runHistoryOf(sql, stuck)).map((run) => run.status)).toEqual(["timeout"]);
    const timeoutMail = lookoutMails(owner.email).find((mail) => mail.text.includes("Azores whales"));
    expect(timeoutMail?.text).toMatch(/did not finish in time/i);
    expect(timeoutMail?.text).toContain(TIMEOUT_ERROR);
    expect(timeoutMail?.text).toMatch(offLinkPattern(stuck));
  });

  it("records a run once, as a success, when the mail cannot be sent, and logs the failure", async () => {
    const owner = await createProUser(db);
    const { id: lookoutId } = await createLookout(db, { userId: owner.id, nextRunAt: future() });
    const message = await claimRun(sql, lookoutId);
    let attempts = 0;
    const failing: Mailer = {
      async send() {
        attempts++;
        throw new Error("The email provider answered 500");
      },
    };
    const { logger, entries } = recordingLogger();
    const consume = async () => {
      const id = `msg-${crypto.randomUUID()}`;
      const batch = createMessageBatch(LOOKOUT_RUNS_QUEUE, [{ id, timestamp: new Date(), attempts: 1, body: message }]);
      const ctx = createExecutionContext();
      await consumeLookoutRuns(batch, {
        log: logger,
        db: handle.db,
        config: loadConfig(env),
        mailer: failing,
        models: createModelRegistry({
          config: loadConfig(env),
          env,
          override: () => reportModel("Fares are flat this week."),
        }),
      });
      return { id, result: await getQueueResult(batch, ctx) };
    };

    const first = await consume();
    expect(first.result.explicitAcks).toEqual([first.id]);
    expect(first.result.retryMessages).toEqual([]);
    expect(attempts).toBe(1);
    expect(
      entries.some((entry) => entry.msg === "lookout-run.mail-failed" && entry.fields?.lookoutId === lookoutId),
    ).toBe(true);
    const again = await consume();
    expect(again.result.explicitAcks).toEqual([again.id]);
    expect(attempts).toBe(1);
    const runs = await runHistoryOf(sql, lookoutId);
    expect(runs.map((run) => run.status)).toEqual(["success"]);
    expect(await sql`select id from chat where user_id = ${owner.id}`).toHaveLength(1);
    const [row] = await sql`select status from lookout where id = ${lookoutId}`;
    expect(row?.status).toBe("active");
  });

  it("escapes model and user text in the HTML part and keeps it as written in the text part", async () => {
    const owner = await createProUser(db);
    const title = `<script>alert("t")</script> & Co`;
    const { id: lookoutId } = await createLookout(db, { userId: owner.id, title, nextRunAt: future() });
    testModel.install(reportModel(`<img src=x onerror="alert(1)"> Fares <b>fell</b> & rose`));
    await deliverRun(LOOKOUT_RUNS_QUEUE, await claimRun(sql, lookoutId));
    const mail = lookoutMails(owner.email)[0];
    expect(mail?.html).toBeDefined();
    const html = mail?.html ?? "";
    expect(html).not.toContain("<script");
    expect(html).not.toContain("<img");
    expect(html).not.toContain("<b>fell");
    expect(html).toContain("&lt;script&gt;alert(&quot;t&quot;)&lt;/script&gt; &amp; Co");
    expect(html).toContain("&lt;img src=x onerror=&quot;alert(1)&quot;&gt; Fares &lt;b&gt;fell&lt;/b&gt; &amp; rose");
    expect(mail?.text).toContain(title);
    expect(mail?.text).toContain(`<img src=x onerror="alert(1)"> Fares <b>fell</b> & rose`);
    expect(mail?.subject).not.toMatch(/[\r\n]/);
  });
});

describe("the off link", () => {
  it("turns a lookout's emails off without signing in; PATCH emailsEnabled turns them back on", async () => {
    const user = await signUpVerified("Mail reader");
    await createProSubscription(db, user.id);
    const created = await json(
      "POST",
      "/api/lookouts",
      {
        title: "Seville heat",
        prompt: "Heatwaves in Seville next week?",
        frequency: "weekly",
        dayOfWeek: 2,
        time: "07:00",
        timezone: "Europe/Madrid",
      },
      user.headers,
    );
    expect(created.status).toBe(201);
    const lookout = (await created.json()) as { id: string; emailsEnabled: boolean };
    expect(lookout.emailsEnabled).toBe(true);
    testModel.install(reportModel("Highs of 41 °C on Wednesday."));

    await deliverRun(LOOKOUT_RUNS_QUEUE, await claimRun(sql, lookout.id));
    expect(lookoutMails(user.email)).toHaveLength(1);
    const offLink = offLinkOf(lookoutMails(user.email)[0], lookout.id);

    // A scanner checking the link with HEAD changes nothing.
    expect((await call(offLink, { method: "HEAD" })).status).toBe(200);
    expect(await sql`select 1 from lookout_notification where lookout_id = ${lookout.id}`).toHaveLength(0);
    // From a mail client: no cookie, no Origin.
    for (let click = 0; click < 2; click++) {
      const off = await call(offLink);
      expect(off.status).toBe(200);
      expect(off.headers.get("content-type")).toContain("text/html");
      expect(off.headers.get("cache-control")).toBe("no-store");
      expect(await off.text()).toContain("Emails for this lookout are off");
    }
    const read = await call(`/api/lookouts/${lookout.id}`, { headers: user.headers });
    expect(((await read.json()) as { emailsEnabled: boolean }).emailsEnabled).toBe(false);
    const listed = await call("/api/lookouts", { headers: user.headers });
    const page = (await listed.json()) as { items: Array<{ id: string; emailsEnabled: boolean }> };
    expect(page.items.find((item) => item.id === lookout.id)?.emailsEnabled).toBe(false);

    await deliverRun(LOOKOUT_RUNS_QUEUE, await claimRun(sql, lookout.id));
    expect((await runHistoryOf(sql, lookout.id)).map((run) => run.status)).toEqual(["success", "success"]);
    expect(lookoutMails(user.email)).toHaveLength(1);

    const patched = await json("PATCH", `/api/lookouts/${lookout.id}`, { emailsEnabled: true }, user.headers);
    expect(patched.status).toBe(200);
    expect(((await patched.json()) as { emailsEnabled: boolean }).emailsEnabled).toBe(true);
    await deliverRun(LOOKOUT_RUNS_QUEUE, await claimRun(sql, lookout.id));
    expect(lookoutMails(user.email)).toHaveLength(2);

    // Together with other fields, and off again from the API.
    const renamed = await json(
      "PATCH",
      `/api/lookouts/${lookout.id}`,
      { title: "Seville heat (quiet)", emailsEnabled: false },
      user.headers,
    );
    expect(renamed.status).toBe(200);
    expect(await renamed.json()).toMatchObject({ title: "Seville heat (quiet)", emailsEnabled: false });
    const [setting] = await sql`select emails_enabled from lookout_notification where lookout_id = ${lookout.id}`;
    expect(setting?.emails_enabled).toBe(false);
  });

  it("answers 404 to a forged, altered or borrowed token and changes nothing", async () => {
    const owner = await createProUser(db);
    const { id: target } = await createLookout(db, { userId: owner.id, title: "Target", nextRunAt: future() });
    const { id: other } = await createLookout(db, { userId: owner.id, title: "Other", nextRunAt: future() });
    testModel.install(reportModel("A report."));
    await deliverRun(LOOKOUT_RUNS_QUEUE, await claimRun(sql, other));
    const otherLink = offLinkOf(lookoutMails(owner.email)[0], other);
    const borrowed = new URL(otherLink).searchParams.get("token") ?? "";
    const altered = `${borrowed.slice(0, -2)}${borrowed.endsWith("AA") ? "BB" : "AA"}`;
    const forged = btoa(String.fromCharCode(...crypto.getRandomValues(new Uint8Array(32))))
      .replaceAll("+", "-")
      .replaceAll("/", "_")
      .replace(/=+$/, "");

    for (const token of [forged, altered, borrowed, "not base64 at all!"]) {
      const response = await call(`/api/lookouts/${target}/emails/off?token=${encodeURIComponent(token)}`);
      expect(response.status, token).toBe(404);
      expect(await response.text()).not.toContain("are off");
    }
    const unknown = await call(`/api/lookouts/${crypto.randomUUID()}/emails/off?token=${borrowed}`);
    expect(unknown.status).toBe(404);
    expect((await call(`/api/lookouts/${target}/emails/off`)).status).toBe(400);
    expect(await sql`select 1 from lookout_notification where lookout_id = ${target}`).toHaveLength(0);

    await deliverRun(LOOKOUT_RUNS_QUEUE, await claimRun(sql, target));
    expect(lookoutMails(owner.email).filter((mail) => mail.text.includes("Target"))).toHaveLength(1);
  });
});

import { describe, expect, it } from "vitest";
import { lookoutPageSchema, lookoutRunPageSchema, lookoutSchema } from "../../src/routes/lookouts/lookouts.routes";
import { signUpVerified } from "../support/auth";
import { useTestDatabase } from "../support/db";
import { createProSubscription } from "../support/factories";
import { call, expectEnvelope, json } from "../support/http";

const { sql, db } = useTestDatabase();

const daily = (overrides: Record<string, unknown> = {}) => ({
  title: "Lisbon flights",
  prompt: "Direct flights Berlin to Lisbon under 100 EUR next week?",
  frequency: "daily",
  time: "08:00",
  timezone: "Europe/Berlin",
  ...overrides,
});

async function proUser(name?: string) {
  const user = await signUpVerified(name);
  await createProSubscription(db, user.id);
  return user;
}

const create = (headers: Record<string, string>, body: unknown) => json("POST", "/api/lookouts", body, headers);

describe("creating lookouts", () => {
  it("creates each frequency with the schedule read back, next run in UTC", async () => {
    const user = await proUser();
    const weekly = await create(user.headers, daily({ frequency: "weekly", dayOfWeek: 1, time: "07:30" }));
    expect(weekly.status).toBe(201);
    const body = lookoutSchema.parse(await weekly.json());
    expect(body).toMatchObject({
      frequency: "weekly",
      time: "07:30",
      dayOfWeek: 1,
      dayOfMonth: null,
      cronSchedule: "30 7 * * 1",
      status: "active",
      timezone: "Europe/Berlin",
      lastRunAt: null,
    });
    expect(new Date(body.nextRunAt ?? "").getUTCDay()).toBe(1);

    const yearly = lookoutSchema.parse(
      await (await create(user.headers, daily({ frequency: "yearly", month: 2, dayOfMonth: 29 }))).json(),
    );
    expect(yearly).toMatchObject({ month: 2, dayOfMonth: 29, cronSchedule: "0 8 29 2 *" });

    const date = new Date(Date.now() + 3 * 86_400_000).toISOString().slice(0, 10);
    const once = await create(
      user.headers,
      daily({ frequency: "once", date, time: "09:15", timezone: "Asia/Kathmandu" }),
    );
    expect(once.status).toBe(201);
    expect(lookoutSchema.parse(await once.json())).toMatchObject({ date, time: "09:15", cronSchedule: "" });

    const [stored] = await sql`select qstash_schedule_id, next_run_at from lookout where id = ${body.id}`;
    expect(stored?.qstash_schedule_id).toBeNull();
    expect(new Date(stored?.next_run_at).toISOString()).toBe(body.nextRunAt);
  });

  it.each([
    ["an unknown time zone", daily({ timezone: "Mars/Olympus_Mons" })],
    ["25:00", daily({ time: "25:00" })],
    ["day of month 32", daily({ frequency: "monthly", dayOfMonth: 32 })],
    ["a once date in the past", daily({ frequency: "once", date: "2020-01-01" })],
    ["an oversized prompt", daily({ prompt: "x".repeat(4001) })],
    ["a weekly lookout without a day", daily({ frequency: "weekly" })],
    ["a day a daily lookout ignores", daily({ dayOfWeek: 3 })],
    ["30 February", daily({ frequency: "yearly", month: 2, dayOfMonth: 30 })],
    ["an unknown field", daily({ userId: "someone-else" })],
  ])("refuses %s with 400", async (_label, body) => {
    const user = await proUser();
    await expectEnvelope(await create(user.headers, body), 400, "VALIDATION_ERROR");
  });

  it("needs a Pro plan", async () => {
    const user = await signUpVerified();
    await expectEnvelope(await create(user.headers, daily()), 403, "PLAN_REQUIRED");
  });

  it("allows 5 active daily lookouts and 10 in all, even when requested at once", async () => {
    const user = await proUser();
    const dailies = await Promise.all(Array.from({ length: 7 }, () => create(user.headers, daily())));
    expect(dailies.map((response) => response.status).sort()).toEqual([201, 201, 201, 201, 201, 403, 403]);
    const refused = dailies.find((response) => response.status === 403);
    const envelope = await expectEnvelope(refused as Response, 403, "LIMIT_REACHED");
    expect(envelope.error.details).toMatchObject({ limit: "activeDaily", max: 5 });

    const weekly = daily({ frequency: "weekly", dayOfWeek: 2 });
    const more = await Promise.all(Array.from({ length: 7 }, () => create(user.headers, weekly)));
    expect(more.filter((response) => response.status === 201)).toHaveLength(5);
    const over = more.find((response) => response.status === 403) as Response;
    expect((await expectEnvelope(over, 403, "LIMIT_REACHED")).error.details).toMatchObject({
      limit: "lookouts",
      max: 10,
    });
    const [row] = await sql`select count(*)::int as n from lookout where user_id = ${user.id}`;
    expect(row?.n).toBe(10);
  });
});

describe("reading, changing and deleting", () => {
  it("lists newest first with a keyset cursor", async () => {
    const user = await proUser();
    const ids: string[] = [];
    for (let index = 0; index < 3; index++) {
      ids.push(lookoutSchema.parse(await (await create(user.headers, daily({ title: `L${index}` }))).json()).id);
    }
    const first = lookoutPageSchema.parse(
      await (await call("/api/lookouts?limit=2", { headers: user.headers })).json(),
    );
    expect(first.items.map((item) => item.id)).toEqual([ids[2], ids[1]]);
    const second = lookoutPageSchema.parse(
      await (await call(`/api/lookouts?limit=2&cursor=${first.nextCursor}`, { headers: user.headers })).json(),
    );
    expect(second.items.map((item) => item.id)).toEqual([ids[0]]);
    expect(second.nextCursor).toBeNull();
    await expectEnvelope(await call("/api/lookouts?limit=101", { headers: user.headers }), 400, "VALIDATION_ERROR");
  });

  it("patches, pauses, resumes; a daily resume respects the active-daily limit", async () => {
    const user = await proUser();
    const created = lookoutSchema.parse(await (await create(user.headers, daily())).json());
    const patched = await json(
      "PATCH",
      `/api/lookouts/${created.id}`,
      { frequency: "monthly", dayOfMonth: 31, time: "06:45" },
      user.headers,
    );
    expect(patched.status).toBe(200);
    expect(lookoutSchema.parse(await patched.json())).toMatchObject({
      frequency: "monthly",
      dayOfMonth: 31,
      time: "06:45",
      cronSchedule: "45 6 31 * *",
    });
    await expectEnvelope(
      await json("PATCH", `/api/lookouts/${created.id}`, { status: "running" }, user.headers),
      400,
      "VALIDATION_ERROR",
    );

    const paused = lookoutSchema.parse(
      await (await json("POST", `/api/lookouts/${created.id}/pause`, {}, user.headers)).json(),
    );
    expect(paused).toMatchObject({ status: "paused", nextRunAt: null });
    const resumed = lookoutSchema.parse(
      await (await json("POST", `/api/lookouts/${created.id}/resume`, {}, user.headers)).json(),
    );
    expect(resumed.status).toBe("active");
    expect(Date.parse(resumed.nextRunAt ?? "")).toBeGreaterThan(Date.now());

    const extra = [];
    for (let index = 0; index < 5; index++)
      extra.push(lookoutSchema.parse(await (await create(user.headers, daily())).json()));
    // Five active daily ones: a sixth is refused, by create, by PATCH to daily and by resume.
    await expectEnvelope(await create(user.headers, daily()), 403, "LIMIT_REACHED");
    await expectEnvelope(
      await json("PATCH", `/api/lookouts/${created.id}`, { frequency: "daily" }, user.headers),
      403,
      "LIMIT_REACHED",
    );
    await json("POST", `/api/lookouts/${extra[0]?.id}/pause`, {}, user.headers);
    const sixth = await json("PATCH", `/api/lookouts/${created.id}`, { frequency: "daily" }, user.headers);
    expect(sixth.status).toBe(200);
    await expectEnvelope(
      await json("POST", `/api/lookouts/${extra[0]?.id}/resume`, {}, user.headers),
      403,
      "LIMIT_REACHED",
    );
  });

  it("is owner-only: every :id route answers 404 to someone else", async () => {
    const owner = await proUser();
    const other = await proUser();
    const { id } = lookoutSchema.parse(await (await create(owner.headers, daily())).json());
    const attempts = [
      call(`/api/lookouts/${id}`, { headers: other.headers }),
      json("PATCH", `/api/lookouts/${id}`, { title: "mine now" }, other.headers),
      call(`/api/lookouts/${id}`, { method: "DELETE", headers: other.headers }),
      json("POST", `/api/lookouts/${id}/pause`, {}, other.headers),
      json("POST", `/api/lookouts/${id}/resume`, {}, other.headers),
      json("POST", `/api/lookouts/${id}/run`, {}, other.headers),
      call(`/api/lookouts/${id}/runs`, { headers: other.headers }),
    ];
    for (const response of await Promise.all(attempts)) await expectEnvelope(response, 404, "NOT_FOUND");
    const list = lookoutPageSchema.parse(await (await call("/api/lookouts", { headers: other.headers })).json());
    expect(list.items.map((item) => item.id)).not.toContain(id);
    const [row] = await sql`select title, status from lookout where id = ${id}`;
    expect(row).toEqual({ title: "Lisbon flights", status: "active" });

    const runs = lookoutRunPageSchema.parse(
      await (await call(`/api/lookouts/${id}/runs`, { headers: owner.headers })).json(),
    );
    expect(runs).toEqual({ items: [], nextCursor: null });
    expect((await call(`/api/lookouts/${id}`, { method: "DELETE", headers: owner.headers })).status).toBe(204);
    await expectEnvelope(await call(`/api/lookouts/${id}`, { headers: owner.headers }), 404, "NOT_FOUND");
  });

  it("answers 401 without a session", async () => {
    await expectEnvelope(await call("/api/lookouts"), 401, "UNAUTHORIZED");
  });
});

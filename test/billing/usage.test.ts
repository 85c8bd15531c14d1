import { describe, expect, it } from "vitest";
import type { Config } from "../../src/env";
import { AppError } from "../../src/lib/errors";
import { getAccountStatus } from "../../src/services/account/get-account-status";
import { purgeOldMessageUsage } from "../../src/services/usage/purge-old-message-usage";
import { refundExtremeSearch } from "../../src/services/usage/refund-extreme-search";
import { refundMessage } from "../../src/services/usage/refund-message";
import { reserveExtremeSearch } from "../../src/services/usage/reserve-extreme-search";
import { reserveMessage } from "../../src/services/usage/reserve-message";
import { summarizeUsage } from "../../src/services/usage/summarize-usage";
import { dayPeriod, monthPeriod } from "../../src/services/usage/usage-periods";
import { useTestDatabase } from "../support/db";
import { createMessageUsage, createUser } from "../support/factories";
import { config, DAY } from "./helpers";

const { sql, db } = useTestDatabase();

const FREE = { tier: "free" } as const;
const PRO = { tier: "pro" } as const;
// A fixed future instant: no maintenance purge (which deletes only days before today) can touch these rows.
const NOW = new Date("2031-05-17T13:45:12.345Z");

async function messageRows(userId: string) {
  return sql<{ message_count: number; date: Date; reset_at: Date }[]>`
    select message_count, date, reset_at from message_usage where user_id = ${userId} order by date`;
}

async function searchRows(userId: string) {
  return sql<{ search_count: number; date: Date; reset_at: Date }[]>`
    select search_count, date, reset_at from extreme_search_usage where user_id = ${userId} order by date`;
}

async function refusal(promise: Promise<unknown>): Promise<AppError> {
  try {
    await promise;
  } catch (error) {
    if (error instanceof AppError) return error;
    throw error;
  }
  throw new Error("expected a refusal");
}

describe("UTC periods", () => {
  it.each([
    ["mid-day", "2031-05-17T13:45:12.345Z", "2031-05-17T00:00:00.000Z", "2031-05-18T00:00:00.000Z"],
    ["last millisecond of a day", "2031-05-17T23:59:59.999Z", "2031-05-17T00:00:00.000Z", "2031-05-18T00:00:00.000Z"],
    ["midnight", "2031-05-18T00:00:00.000Z", "2031-05-18T00:00:00.000Z", "2031-05-19T00:00:00.000Z"],
    ["year end", "2031-12-31T22:00:00.000Z", "2031-12-31T00:00:00.000Z", "2032-01-01T00:00:00.000Z"],
    ["leap day", "2032-02-29T08:00:00.000Z", "2032-02-29T00:00:00.000Z", "2032-03-01T00:00:00.000Z"],
  ])("days: %s", (_name, now, start, reset) => {
    const period = dayPeriod(new Date(now));
    expect(period.start.toISOString()).toBe(start);
    expect(period.resetAt.toISOString()).toBe(reset);
  });

  it.each([
    ["mid-month", "2031-05-17T13:45:12.345Z", "2031-05-01T00:00:00.000Z", "2031-06-01T00:00:00.000Z"],
    ["first instant", "2031-05-01T00:00:00.000Z", "2031-05-01T00:00:00.000Z", "2031-06-01T00:00:00.000Z"],
    ["December", "2031-12-31T23:59:59.999Z", "2031-12-01T00:00:00.000Z", "2032-01-01T00:00:00.000Z"],
    ["February of a leap year", "2032-02-29T23:00:00.000Z", "2032-02-01T00:00:00.000Z", "2032-03-01T00:00:00.000Z"],
  ])("months: %s", (_name, now, start, reset) => {
    const period = monthPeriod(new Date(now));
    expect(period.start.toISOString()).toBe(start);
    expect(period.resetAt.toISOString()).toBe(reset);
  });
});

describe("reserveMessage", () => {
  it("lets exactly the limit through when 200 requests race for 20 messages, and a refund lets exactly one more", async () => {
    const user = await createUser(db);
    const ctx = { db, config: config(), now: NOW };
    expect(ctx.config.FREE_DAILY_MESSAGES).toBe(20);
    const results = await Promise.allSettled(
      Array.from({ length: 200 }, () => reserveMessage({ ctx, input: { userId: user.id, plan: FREE } })),
    );
    const granted = results.filter((r) => r.status === "fulfilled").map((r) => r.value);
    const refused = results.filter((r) => r.status === "rejected").map((r) => r.reason as AppError);
    expect(granted).toHaveLength(20);
    expect([...granted].sort((a, b) => a - b)).toEqual(Array.from({ length: 20 }, (_, i) => i + 1));
    expect(refused).toHaveLength(180);
    for (const error of refused) {
      expect(error).toBeInstanceOf(AppError);
      expect(error.code).toBe("USAGE_LIMIT_EXCEEDED");
    }
    const rows = await messageRows(user.id);
    expect(rows).toHaveLength(1);
    expect(rows[0]?.message_count).toBe(20);

    expect(await refundMessage({ ctx: { db, now: NOW }, input: { userId: user.id } })).toBe(19);
    const again = await Promise.allSettled(
      Array.from({ length: 20 }, () => reserveMessage({ ctx, input: { userId: user.id, plan: FREE } })),
    );
    expect(again.filter((r) => r.status === "fulfilled")).toHaveLength(1);
    expect((await messageRows(user.id))[0]?.message_count).toBe(20);
  });

  it("stores the UTC day and next UTC midnight, and refuses with limit, used and resetAt", async () => {
    const user = await createUser(db);
    const cfg: Config = { ...config(), FREE_DAILY_MESSAGES: 2 };
    const now = new Date("2031-05-17T23:59:59.999Z");
    const ctx = { db, config: cfg, now };
    expect(await reserveMessage({ ctx, input: { userId: user.id, plan: FREE } })).toBe(1);
    expect(await reserveMessage({ ctx, input: { userId: user.id, plan: FREE } })).toBe(2);
    const error = await refusal(reserveMessage({ ctx, input: { userId: user.id, plan: FREE } }));
    expect(error.code).toBe("USAGE_LIMIT_EXCEEDED");
    expect(error.details).toEqual({ limit: 2, used: 2, resetAt: "2031-05-18T00:00:00.000Z" });
    expect(error.headers["Retry-After"]).toBe("1");
    expect(await messageRows(user.id)).toEqual([
      { message_count: 2, date: new Date("2031-05-17T00:00:00Z"), reset_at: new Date("2031-05-18T00:00:00Z") },
    ]);

    // One millisecond later is a new UTC day with its own row.
    const next = { ...ctx, now: new Date("2031-05-18T00:00:00.000Z") };
    expect(await reserveMessage({ ctx: next, input: { userId: user.id, plan: FREE } })).toBe(1);
    expect((await messageRows(user.id)).map((r) => [r.message_count, r.date.toISOString()])).toEqual([
      [2, "2031-05-17T00:00:00.000Z"],
      [1, "2031-05-18T00:00:00.000Z"],
    ]);
  });

  it("gives one back on refund, never below zero, in the day it was counted", async () => {
    const user = await createUser(db);
    const cfg: Config = { ...config(), FREE_DAILY_MESSAGES: 1 };
    const ctx = { db, config: cfg, now: NOW };
    await reserveMessage({ ctx, input: { userId: user.id, plan: FREE } });
    await refusal(reserveMessage({ ctx, input: { userId: user.id, plan: FREE } }));
    const afterMidnight = new Date(NOW.getTime() + DAY);
    expect(await refundMessage({ ctx: { db, now: afterMidnight }, input: { userId: user.id, reservedAt: NOW } })).toBe(
      0,
    );
    expect(await reserveMessage({ ctx, input: { userId: user.id, plan: FREE } })).toBe(1);
    expect(await refundMessage({ ctx: { db, now: NOW }, input: { userId: user.id } })).toBe(0);
    expect(await refundMessage({ ctx: { db, now: NOW }, input: { userId: user.id } })).toBe(0);
    expect((await messageRows(user.id))[0]?.message_count).toBe(0);
    // A refund where nothing was counted creates nothing.
    const stranger = await createUser(db);
    expect(await refundMessage({ ctx: { db, now: NOW }, input: { userId: stranger.id } })).toBe(0);
    expect(await messageRows(stranger.id)).toEqual([]);
  });

  it("counts Pro messages without limit when no Pro limit is configured", async () => {
    const user = await createUser(db);
    const cfg: Config = { ...config(), PRO_DAILY_MESSAGES: undefined, FREE_DAILY_MESSAGES: 1 };
    const ctx = { db, config: cfg, now: NOW };
    const results = await Promise.all(
      Array.from({ length: 30 }, () => reserveMessage({ ctx, input: { userId: user.id, plan: PRO } })),
    );
    expect(Math.max(...results)).toBe(30);
    expect((await messageRows(user.id))[0]?.message_count).toBe(30);
    const messages = (await messageRows(user.id))[0]?.message_count ?? 0;
    const summary = summarizeUsage({ config: cfg, plan: PRO, now: NOW, messages, extremeSearches: 0 });
    expect(summary.messages).toEqual({ used: 30, limit: null, resetAt: "2031-05-18T00:00:00.000Z" });
  });

  it("applies a configured Pro ceiling, including 0 (refused without creating a row)", async () => {
    const user = await createUser(db);
    const zero = { db, config: { ...config(), PRO_DAILY_MESSAGES: 0 } as Config, now: NOW };
    const error = await refusal(reserveMessage({ ctx: zero, input: { userId: user.id, plan: PRO } }));
    expect(error.details).toEqual({ limit: 0, used: 0, resetAt: "2031-05-18T00:00:00.000Z" });
    expect(await messageRows(user.id)).toEqual([]);
    const three = { ...zero, config: { ...config(), PRO_DAILY_MESSAGES: 3 } as Config };
    for (let i = 1; i <= 3; i++)
      expect(await reserveMessage({ ctx: three, input: { userId: user.id, plan: PRO } })).toBe(i);
    expect(
      (await refusal(reserveMessage({ ctx: three, input: { userId: user.id, plan: PRO } }))).details,
    ).toMatchObject({
      limit: 3,
      used: 3,
    });
  });
});

describe("reserveExtremeSearch", () => {
  it("counts per UTC month against the free limit of 5, then starts again next month", async () => {
    const user = await createUser(db);
    const ctx = { db, config: config(), now: new Date("2031-12-31T23:30:00Z") };
    expect(ctx.config.FREE_MONTHLY_EXTREME_SEARCHES).toBe(5);
    for (let i = 1; i <= 5; i++) {
      expect(await reserveExtremeSearch({ ctx, input: { userId: user.id, plan: FREE } })).toBe(i);
    }
    const error = await refusal(reserveExtremeSearch({ ctx, input: { userId: user.id, plan: FREE } }));
    expect(error.code).toBe("USAGE_LIMIT_EXCEEDED");
    expect(error.details).toEqual({ limit: 5, used: 5, resetAt: "2032-01-01T00:00:00.000Z" });

    const january = { ...ctx, now: new Date("2032-01-01T00:00:00Z") };
    expect(await reserveExtremeSearch({ ctx: january, input: { userId: user.id, plan: FREE } })).toBe(1);
    expect(await searchRows(user.id)).toEqual([
      { search_count: 5, date: new Date("2031-12-01T00:00:00Z"), reset_at: new Date("2032-01-01T00:00:00Z") },
      { search_count: 1, date: new Date("2032-01-01T00:00:00Z"), reset_at: new Date("2032-02-01T00:00:00Z") },
    ]);

    expect(
      await refundExtremeSearch({ ctx: { db, now: january.now }, input: { userId: user.id, reservedAt: ctx.now } }),
    ).toBe(4);
    expect(await reserveExtremeSearch({ ctx, input: { userId: user.id, plan: FREE } })).toBe(5);
  });

  it("never exceeds the limit under concurrency, and Pro is unlimited by default", async () => {
    const user = await createUser(db);
    const ctx = { db, config: config(), now: NOW };
    const results = await Promise.allSettled(
      Array.from({ length: 12 }, () => reserveExtremeSearch({ ctx, input: { userId: user.id, plan: FREE } })),
    );
    expect(results.filter((r) => r.status === "fulfilled")).toHaveLength(5);
    expect((await searchRows(user.id))[0]?.search_count).toBe(5);
    const pro = { ...ctx, config: { ...config(), PRO_MONTHLY_EXTREME_SEARCHES: undefined } as Config };
    for (let i = 0; i < 3; i++) await reserveExtremeSearch({ ctx: pro, input: { userId: user.id, plan: PRO } });
    expect((await searchRows(user.id))[0]?.search_count).toBe(8);
  });
});

describe("the usage report (GET /api/me's getAccountStatus)", () => {
  it("reports today's messages and this month's searches with limits and reset times", async () => {
    const user = await createUser(db);
    const ctx = { db, config: config(), now: NOW };
    const usageAt = async (at: typeof ctx) => (await getAccountStatus({ ctx: at, input: { userId: user.id } })).usage;
    const empty = await usageAt(ctx);
    expect(empty).toEqual({
      messages: { used: 0, limit: 20, resetAt: "2031-05-18T00:00:00.000Z" },
      extremeSearches: { used: 0, limit: 5, resetAt: "2031-06-01T00:00:00.000Z" },
    });
    await reserveMessage({ ctx, input: { userId: user.id, plan: FREE } });
    await reserveMessage({ ctx, input: { userId: user.id, plan: FREE } });
    await reserveExtremeSearch({ ctx, input: { userId: user.id, plan: FREE } });
    expect(await usageAt(ctx)).toMatchObject({
      messages: { used: 2 },
      extremeSearches: { used: 1 },
    });
    const tomorrow = { ...ctx, now: new Date(NOW.getTime() + DAY) };
    expect(await usageAt(tomorrow)).toMatchObject({
      messages: { used: 0, resetAt: "2031-05-19T00:00:00.000Z" },
      extremeSearches: { used: 1 },
    });
  });
});

describe("purgeOldMessageUsage", () => {
  it("deletes message counters of previous UTC days only, and is idempotent", async () => {
    const user = await createUser(db);
    const today = dayPeriod(new Date()).start;
    const days = [-3, -1, 0, 1].map((offset) => new Date(today.getTime() + offset * DAY));
    for (const date of days) await createMessageUsage(db, { userId: user.id, count: 4, on: date });
    await sql`insert into extreme_search_usage (id, user_id, search_count, date, reset_at)
      values (${crypto.randomUUID()}, ${user.id}, 2, ${days[0] as Date}, ${today})`;

    const deleted = await purgeOldMessageUsage({ ctx: { db } });
    expect(deleted).toBeGreaterThanOrEqual(2);
    expect((await messageRows(user.id)).map((r) => r.date.toISOString())).toEqual([
      today.toISOString(),
      (days[3] as Date).toISOString(),
    ]);
    expect(await searchRows(user.id)).toHaveLength(1);

    await purgeOldMessageUsage({ ctx: { db } });
    expect(await messageRows(user.id)).toHaveLength(2);
  });
});

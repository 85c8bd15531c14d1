// The lookout dispatcher's claim (src/db/queries/lookouts.ts, claimDueLookouts) over a table of 1,000
// lookouts and then 100,000, with 100 due each time. Target: the 100,000 case within 2x of the 1,000 case.
// Each timing runs the claim inside a transaction that is rolled back, so the same 100 rows stay due.
import { randomUUID } from "node:crypto";
import postgres from "postgres";

const DUE = 100;
const REPEATS = Number(process.env.BENCH_CLAIM_REPEATS ?? 25);

// A copy of claimDueLookouts' statement (the app's is a Drizzle template in TypeScript); keep in step.
const claimSql = `
  with due as (
    select id, next_run_at from lookout
    where status = 'active' and next_run_at <= $1::timestamptz
    order by next_run_at
    limit $2
    for update skip locked
  )
  update lookout as l
  set status = 'running', last_run_at = $1::timestamptz, updated_at = now()
  from due
  where l.id = due.id
  returning l.id, l.frequency, l.cron_schedule, l.timezone, due.next_run_at as scheduled_for`;

/** Adds `count` lookouts that are not due: most active later, some paused with a past next run. */
async function seedNotDue(sql, userId, count) {
  await sql`
    insert into lookout (id, user_id, title, prompt, frequency, cron_schedule, timezone, next_run_at, status)
    select gen_random_uuid()::text, ${userId}, 'Bench lookout', 'Cheap flights?', 'daily', '0 8 * * *', 'Europe/Berlin',
           case when n % 5 = 0 then now() - (n || ' minutes')::interval else now() + interval '1 day' + (n || ' seconds')::interval end,
           case when n % 5 = 0 then 'paused' else 'active' end
    from generate_series(1, ${count}) as n`;
}

async function timeClaim(sql) {
  // Each rolled-back claim leaves dead row versions behind; start both sizes from a clean, analysed table.
  await sql`vacuum analyze lookout`;
  const times = [];
  let plan = "";
  let claimed = 0;
  await sql
    .begin(async (tx) => {
      const text = await tx.unsafe(`explain (analyze, costs off, timing off) ${claimSql}`, [
        new Date().toISOString(),
        DUE,
      ]);
      plan = text.map((line) => `    ${line["QUERY PLAN"]}`).join("\n");
      throw new RollBack();
    })
    .catch((error) => {
      if (!(error instanceof RollBack)) throw error;
    });
  // The first rounds warm the cache and are not counted.
  for (let index = -3; index < REPEATS; index++) {
    await sql
      .begin(async (tx) => {
        const [row] = await tx.unsafe(`explain (analyze, format json) ${claimSql}`, [new Date().toISOString(), DUE]);
        const result = row["QUERY PLAN"][0];
        if (index >= 0) times.push(result["Execution Time"]);
        claimed = result.Plan["Actual Rows"];
        throw new RollBack();
      })
      .catch((error) => {
        if (!(error instanceof RollBack)) throw error;
      });
  }
  times.sort((a, b) => a - b);
  return { median: times[Math.floor(times.length / 2)], plan, claimed };
}

class RollBack extends Error {}

export const lookoutClaimMeasurement = {
  name: "lookout dispatcher claim (100 due of 1,000 vs 100,000)",
  async measure(context) {
    const sql = postgres(context.databaseUrl, { max: 1, onnotice: () => {} });
    const userId = `bench-${randomUUID()}`;
    try {
      await sql`insert into "user" (id, name, email, email_verified) values (${userId}, 'Bench', ${`${userId}@example.test`}, true)`;
      await sql`
        insert into lookout (id, user_id, title, prompt, frequency, cron_schedule, timezone, next_run_at, status)
        select gen_random_uuid()::text, ${userId}, 'Due', 'Cheap flights?', 'daily', '0 8 * * *', 'Europe/Berlin',
               now() - interval '1 hour' + (n || ' seconds')::interval, 'active'
        from generate_series(1, ${DUE}) as n`;
      await seedNotDue(sql, userId, 1_000 - DUE);
      const small = await timeClaim(sql);
      await seedNotDue(sql, userId, 99_000);
      const large = await timeClaim(sql);
      const ratio = large.median / small.median;
      const failed = !(ratio <= 2) || small.claimed !== DUE || large.claimed !== DUE;
      return {
        failed,
        lines: [
          "Lookout dispatcher claim (EXPLAIN ANALYZE execution time, median of each)",
          `  1,000 lookouts, ${small.claimed} claimed: ${small.median.toFixed(3)} ms`,
          `  100,000 lookouts, ${large.claimed} claimed: ${large.median.toFixed(3)} ms`,
          `  ratio ${ratio.toFixed(2)}  ${failed ? "FAIL" : "PASS"} (target ≤ 2, ${DUE} claimed each time)`,
          "  plan at 100,000:",
          large.plan,
        ],
      };
    } finally {
      await sql`delete from lookout where user_id = ${userId}`.catch(() => {});
      await sql`delete from "user" where id = ${userId}`.catch(() => {});
      await sql.end();
    }
  },
};

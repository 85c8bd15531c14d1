import { describe, expect, it } from "vitest";
import { createTestAuthClient, lastMail, signUpVerified, tokenFromUrl, uniqueEmail } from "../support/auth";
import { useTestDatabase } from "../support/db";
import { call } from "../support/http";

const { sql } = useTestDatabase();

describe("account flows through better-auth's client", () => {
  it("signs up, verifies, signs in, reads the session, signs out", async () => {
    const email = uniqueEmail();
    const password = "correct horse battery";
    const { client, jar } = createTestAuthClient();

    const signUp = await client.signUp.email({ email, password, name: "Ada" });
    expect(signUp.error).toBeNull();
    const [created] = await sql`select id, email_verified from "user" where email = ${email}`;
    expect(created).toMatchObject({ email_verified: false });

    // Verification is required: signing in before it is refused.
    const early = await client.signIn.email({ email, password });
    expect(early.error?.status).toBe(403);

    const mail = lastMail(email, "verify-email");
    expect(mail?.url).toContain("/api/auth/verify-email");
    const verify = await client.verifyEmail({ query: { token: tokenFromUrl(mail?.url ?? "") } });
    expect(verify.error).toBeNull();
    const [verified] = await sql`select email_verified from "user" where email = ${email}`;
    expect(verified).toMatchObject({ email_verified: true });

    const signIn = await client.signIn.email({ email, password });
    expect(signIn.error).toBeNull();
    expect(signIn.data?.user.email).toBe(email);

    const session = await client.getSession();
    expect(session.data?.user.email).toBe(email);
    const sessions = await sql`select id from session where user_id = ${created?.id}`;
    expect(sessions.length).toBeGreaterThanOrEqual(1);

    const cookieBeforeSignOut = jar.header();
    const signOut = await client.signOut();
    expect(signOut.error).toBeNull();
    const after = await client.getSession();
    expect(after.data).toBeNull();

    // The old cookie no longer works anywhere.
    const reused = await call("/api/auth/get-session", { headers: { cookie: cookieBeforeSignOut } });
    expect(await reused.json()).toBeNull();
  });

  it("resets a forgotten password and revokes the old sessions", async () => {
    const user = await signUpVerified();
    const { client } = createTestAuthClient();
    const request = await client.requestPasswordReset({ email: user.email, redirectTo: "http://localhost:8787/reset" });
    expect(request.error).toBeNull();
    const mail = lastMail(user.email, "reset-password");
    expect(mail?.url).toBeDefined();
    const token = tokenFromUrl(mail?.url ?? "");
    const newPassword = "a brand new passphrase";
    const reset = await client.resetPassword({ newPassword, token });
    expect(reset.error).toBeNull();

    const oldSession = await call("/api/auth/get-session", { headers: { cookie: user.jar.header() } });
    expect(await oldSession.json()).toBeNull();
    const withOld = await client.signIn.email({ email: user.email, password: user.password });
    expect(withOld.error?.status).toBe(401);
    const withNew = await client.signIn.email({ email: user.email, password: newPassword });
    expect(withNew.error).toBeNull();
  });

  it("accepts the signed bearer token and refuses the raw session token", async () => {
    const user = await signUpVerified();
    const viaBearer = await call("/api/auth/get-session", { headers: { authorization: `Bearer ${user.bearer}` } });
    expect(((await viaBearer.json()) as { user: { id: string } }).user.id).toBe(user.id);
    const raw = user.bearer.split(".")[0];
    const viaRaw = await call("/api/auth/get-session", { headers: { authorization: `Bearer ${raw}` } });
    expect(await viaRaw.json()).toBeNull();
  });
});

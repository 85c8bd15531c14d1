import { env, exports } from "cloudflare:workers";
import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { dodoEvent, polarEvent, sign } from "../billing/helpers";
import { type SignedInUser, signUpVerified } from "../support/auth";
import { testSql } from "../support/db";
import { BASE, TRUSTED_ORIGIN } from "../support/http";
import { scriptedModel, setModelOverride, textTurn } from "../support/models";
import { expectClientError, footprint } from "./support";

const MiB = 1024 * 1024;
const sql = testSql();
let user: SignedInUser;
let chatter: SignedInUser;
let ownChatId: string;

interface Operation {
  method: string;
  path: string;
  secured: boolean;
  jsonBody?: { required: string[]; properties: Record<string, { type?: string }> };
  pathParams: string[];
  queryParams: string[];
}
const operations: Operation[] = [];

type Auth = "cookie" | "bearer";
const authHeaders = (who: SignedInUser, auth: Auth): Record<string, string> =>
  auth === "cookie" ? { ...who.headers } : { authorization: `Bearer ${who.bearer}` };

function send(method: string, path: string, init: { headers?: Record<string, string>; body?: BodyInit } = {}) {
  return exports.default.fetch(
    new Request(new URL(path, BASE), { method, headers: init.headers, body: method === "GET" ? undefined : init.body }),
  );
}

/** Routes with a body, from the OpenAPI document; the webhooks have properties of their own below. */
const bodyOperations = () => operations.filter((op) => op.jsonBody && !op.path.startsWith("/api/webhooks/"));
/** A concrete path: the caller's own chat for `{id}` under /api/chats, a fresh UUID elsewhere. */
const concrete = (op: Operation) =>
  op.path.replace(/\{(\w+)\}/g, () => (op.path.startsWith("/api/chats/") ? ownChatId : crypto.randomUUID()));

beforeAll(async () => {
  [user, chatter] = await Promise.all([signUpVerified("Hostile Input"), signUpVerified("Hostile Chatter")]);
  ownChatId = crypto.randomUUID();
  await sql`insert into chat (id, user_id, title) values (${ownChatId}, ${user.id}, 'Kyoto in April')`;
  await sql`insert into custom_instructions (id, user_id, content) values (${crypto.randomUUID()}, ${user.id}, 'Aisle seat')`;

  const doc = (await (await send("GET", "/openapi.json")).json()) as {
    paths: Record<string, Record<string, OpenApiOperation>>;
    components: { schemas: Record<string, OpenApiSchema> };
  };
  const resolve = (schema: OpenApiSchema | undefined): OpenApiSchema | undefined =>
    schema?.$ref ? doc.components.schemas[schema.$ref.split("/").pop() ?? ""] : schema;
  for (const [path, methods] of Object.entries(doc.paths)) {
    for (const [method, operation] of Object.entries(methods)) {
      const schema = resolve(operation.requestBody?.content?.["application/json"]?.schema);
      const parameters = operation.parameters ?? [];
      operations.push({
        method: method.toUpperCase(),
        path,
        secured: (operation.security ?? []).some((entry) => Object.keys(entry).length > 0),
        jsonBody: schema ? { required: schema.required ?? [], properties: schema.properties ?? {} } : undefined,
        pathParams: parameters.filter((p) => p.in === "path").map((p) => p.name),
        queryParams: parameters.filter((p) => p.in === "query").map((p) => p.name),
      });
    }
  }
});
afterAll(() => sql.end());

interface OpenApiSchema {
  $ref?: string;
  type?: string;
  required?: string[];
  properties?: Record<string, { type?: string }>;
}
interface OpenApiOperation {
  security?: Array<Record<string, string[]>>;
  parameters?: Array<{ name: string; in: string }>;
  requestBody?: { content?: Record<string, { schema?: OpenApiSchema }> };
}

/** Runs one hostile request and checks the property: a 4xx envelope with x-request-id, and nothing written. */
async function expectRefusedWithoutWrites(label: string, who: SignedInUser, request: () => Promise<Response>) {
  const before = await footprint(sql, who.id);
  const response = await request();
  await expectClientError(response, label);
  expect(await footprint(sql, who.id), `${label}: nothing written`).toEqual(before);
}

// ---- generators ----------------------------------------------------------------------------------------------

/** Strings meant to break things: control characters, lone surrogates, bidi overrides, zero-width, emoji. */
const nasty = fc.constantFrom(
  "\u0000",
  "a\u0000b",
  "\ud800",
  "\udfff",
  "x\ud83dy",
  "\u202e\u0645\u0631\u062d\u0628\u0627",
  "\u200b\u200c\u200d\ufeff",
  "👩‍👩‍👧‍👦🇯🇵",
  "\u0007\u001b[31m",
  "\r\n\r\nX-Injected: 1",
  "'; drop table chat; --",
  "../../etc/passwd",
  "%00%ff",
  "\uffff\ufffe",
);
const edgyString = fc.oneof(
  { weight: 3, arbitrary: nasty },
  { weight: 2, arbitrary: fc.string({ unit: "binary", maxLength: 40 }) },
  { weight: 1, arbitrary: fc.string({ unit: "grapheme", maxLength: 40 }) },
  {
    weight: 1,
    arbitrary: fc.tuple(nasty, fc.string({ unit: "grapheme", maxLength: 20 }), nasty).map((parts) => parts.join("")),
  },
);

/** A JSON value whose type differs from `type`, so a property declared as `type` can never accept it. */
function wrongTypeFor(type: string | undefined) {
  const pool = [
    { type: "string", arbitrary: edgyString.filter((s) => s.trim() === "") },
    { type: "number", arbitrary: fc.oneof(fc.integer(), fc.double({ noNaN: true, noDefaultInfinity: true })) },
    { type: "boolean", arbitrary: fc.boolean() },
    { type: "null", arbitrary: fc.constant(null) },
    { type: "array", arbitrary: fc.array(fc.jsonValue({ maxDepth: 2 }), { maxLength: 3 }) },
    { type: "object", arbitrary: fc.dictionary(edgyString, fc.jsonValue({ maxDepth: 2 }), { maxKeys: 3 }) },
  ].filter((entry) => entry.type !== type && !(type === "number" && entry.type === "integer"));
  return fc.oneof(...pool.map((entry) => entry.arbitrary));
}

const notAnObject = fc.oneof(
  fc.array(fc.jsonValue({ maxDepth: 3 }), { maxLength: 4 }),
  edgyString,
  fc.double(),
  fc.boolean(),
  fc.constant(null),
);
const malformedJson = fc
  .oneof(
    fc.string({ unit: "binary", maxLength: 60 }),
    fc.constantFrom(
      "{",
      '{"a":',
      "[1,2",
      '{"content":"x",}',
      "{'content':'x'}",
      "NaN",
      "undefined",
      '{"a":1}{"b":2}',
      "",
    ),
  )
  .filter((text) => {
    try {
      JSON.parse(text);
      return false;
    } catch {
      return true;
    }
  });

/** Invalid JSON bodies for an operation: never an object its schema can accept. */
function invalidBody(op: Operation) {
  const schema = op.jsonBody ?? { required: [], properties: {} };
  const variants: Array<fc.Arbitrary<BodyInit>> = [
    notAnObject.map((value) => JSON.stringify(value) ?? "null"),
    malformedJson,
    fc.uint8Array({ minLength: 1, maxLength: 120 }).map((bytes) => Uint8Array.from([0xff, ...bytes])),
  ];
  if (schema.required.length > 0) {
    // Every required property present with the wrong type, plus noise.
    const wrong = Object.fromEntries(
      schema.required.map((name) => [name, wrongTypeFor(schema.properties[name]?.type)] as const),
    );
    variants.push(
      fc
        .tuple(fc.record(wrong), fc.dictionary(edgyString, fc.jsonValue({ maxDepth: 2 }), { maxKeys: 3 }))
        .map(([fields, noise]) => JSON.stringify({ ...noise, ...fields })),
    );
  } else if (op.method === "PATCH" && op.path === "/api/chats/{id}") {
    // Strict and needs a title or a visibility: unknown keys only, or known keys with wrong types.
    variants.push(
      fc
        .dictionary(
          edgyString.filter((key) => !["title", "visibility"].includes(key)),
          fc.jsonValue({ maxDepth: 2 }),
          { minKeys: 0, maxKeys: 4 },
        )
        .map((value) => JSON.stringify(value)),
      fc
        .record({
          title: fc.oneof(
            wrongTypeFor("string"),
            fc.string({ minLength: 201, maxLength: 400 }).filter((title) => title.trim().length > 200),
          ),
        })
        .map((value) => JSON.stringify(value)),
      fc.record({ visibility: edgyString.filter((v) => !["public", "private"].includes(v)) }).map(JSON.stringify),
    );
  }
  return fc.oneof(...variants);
}

// ---- properties ----------------------------------------------------------------------------------------------

describe("hostile input never gets a 5xx or writes anything", () => {
  it("lists the routes it attacks from the OpenAPI document, including the special bodies", () => {
    const bodies = bodyOperations().map((op) => `${op.method} ${op.path}`);
    expect(bodies).toEqual(
      expect.arrayContaining(["POST /api/chat", "PUT /api/me/custom-instructions", "PATCH /api/chats/{id}"]),
    );
    const queries = operations.filter((op) => op.queryParams.length > 0).map((op) => `${op.method} ${op.path}`);
    expect(queries).toEqual(expect.arrayContaining(["GET /api/chats", "GET /api/chats/{id}/messages"]));
    expect(operations.filter((op) => op.path.startsWith("/api/webhooks/"))).toHaveLength(2);
  });

  it("refuses invalid JSON bodies on every body route (cookie and bearer)", async () => {
    const ops = bodyOperations();
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom(...ops).chain((op) => fc.tuple(fc.constant(op), invalidBody(op))),
        fc.constantFrom<Auth>("cookie", "bearer"),
        async ([op, body], auth) => {
          await expectRefusedWithoutWrites(`${op.method} ${op.path}`, user, () =>
            send(op.method, concrete(op), {
              headers: { ...authHeaders(user, auth), "content-type": "application/json" },
              body,
            }),
          );
        },
      ),
      { numRuns: 100 },
    );
  });

  it("refuses bad limit and cursor query parameters", async () => {
    const badLimit = fc
      .oneof(
        fc.string({ unit: "binary", maxLength: 12 }),
        fc.integer({ max: 0 }).map(String),
        fc.integer({ min: 101 }).map(String),
        fc.double({ min: 1.01, max: 99.99 }).map(String),
        fc.constantFrom("NaN", "Infinity", "-1", "1e309", "", " ", "0x", "1_0", "٣"),
      )
      .filter((text) => {
        const value = Number(text);
        return !(Number.isInteger(value) && value >= 1 && value <= 100);
      });
    const base64url = (text: string) =>
      btoa(String.fromCharCode(...new TextEncoder().encode(text)))
        .replaceAll("+", "-")
        .replaceAll("/", "_")
        .replace(/=+$/, "");
    const forgedCursor = fc
      .oneof(
        // Structurally a cursor, with at least one part wrong.
        fc.record({
          version: fc.constantFrom(0, 2, "1", null),
          kind: fc.constantFrom("chats", "messages"),
          at: fc.constant("2025-01-01T00:00:00.000000Z"),
          id: fc.constant("x"),
        }),
        fc.record({
          version: fc.constant(1),
          kind: fc.constantFrom("chats", "messages"),
          at: fc.oneof(
            edgyString,
            fc.constantFrom(
              "0000-01-01T00:00:00.000000Z",
              "2025-02-30T00:00:00.000000Z",
              "9999-99-99T99:99:99.999999Z",
            ),
          ),
          id: fc.constant("x"),
        }),
        fc.record({
          version: fc.constant(1),
          kind: fc.constantFrom("chats", "messages"),
          at: fc.constant("2025-01-01T00:00:00.000000Z"),
          id: fc.oneof(fc.constant(""), fc.integer(), fc.string({ minLength: 257, maxLength: 300 })),
        }),
      )
      .map(({ version, kind, at, id }) => base64url(JSON.stringify([version, kind, at, id])));
    const badCursor = fc.oneof(
      fc.string({ unit: "binary", maxLength: 80 }),
      fc.string({ minLength: 1025, maxLength: 1100 }),
      fc.jsonValue({ maxDepth: 2 }).map((value) => base64url(JSON.stringify(value) ?? "")),
      forgedCursor,
    );
    const listPaths = () => ["/api/chats", `/api/chats/${ownChatId}/messages`];
    const query = fc.oneof(
      badLimit.map((limit) => ({ limit, cursor: undefined as string | undefined, twice: false })),
      fc
        .tuple(fc.option(fc.integer({ min: 1, max: 100 }).map(String), { nil: undefined }), badCursor)
        .map(([limit, cursor]) => ({ limit, cursor, twice: false })),
      fc.integer({ min: 1, max: 100 }).map((limit) => ({ limit: String(limit), cursor: undefined, twice: true })),
    );
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom(0, 1),
        query,
        fc.constantFrom<Auth>("cookie", "bearer"),
        async (which, { limit, cursor, twice }, auth) => {
          const path = listPaths()[which] ?? "/api/chats";
          const params = new URLSearchParams();
          if (limit !== undefined) params.append("limit", limit);
          if (twice && limit !== undefined) params.append("limit", limit);
          if (cursor !== undefined) params.append("cursor", cursor);
          await expectRefusedWithoutWrites(`GET ${path}?${params}`, user, () =>
            send("GET", `${path}?${params}`, { headers: authHeaders(user, auth) }),
          );
        },
      ),
      { numRuns: 100 },
    );
  });

  it("refuses odd path parameters on every route that has one", async () => {
    const ops = operations.filter((op) => op.pathParams.length > 0);
    const percentBytes = fc
      .uint8Array({ minLength: 1, maxLength: 40 })
      .map((bytes) => [...bytes].map((byte) => `%${byte.toString(16).padStart(2, "0")}`).join(""));
    const segment = fc.oneof(
      percentBytes,
      edgyString.filter((s) => s.length > 0 && s.isWellFormed()).map(encodeURIComponent),
      fc.string({ minLength: 129, maxLength: 300 }).map(encodeURIComponent),
      fc.constantFrom("%", "%zz", "%E0%A4%A", "%C0%AF", "%00", "null", "undefined", "-1", "1e9"),
    );
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom(...ops),
        segment,
        fc.constantFrom<Auth>("cookie", "bearer"),
        async (op, id, auth) => {
          const path = op.path.replace(/\{\w+\}/g, id);
          const body = op.method === "PATCH" ? JSON.stringify({ title: "Renamed" }) : undefined;
          await expectRefusedWithoutWrites(`${op.method} ${path}`, user, () =>
            send(op.method, path, {
              headers: { ...authHeaders(user, auth), "content-type": "application/json" },
              body,
            }),
          );
        },
      ),
      { numRuns: 100 },
    );
  });

  it("refuses garbage credentials, untrusted origins and non-JSON content types", async () => {
    const secured = operations.filter((op) => op.secured);
    const garbageAuth = fc.oneof(
      edgyString.filter((s) => /^[\x20-\x7e]*$/.test(s)).map((s) => ({ authorization: s })),
      fc.string({ unit: "binary-ascii", maxLength: 60 }).map((s) => ({
        authorization: `Bearer ${s.replace(/[^\x21-\x7e]/g, "")}`,
      })),
      fc.constant({ authorization: `Bearer ${"A".repeat(8000)}` }),
      fc.constant({ authorization: "Bearer a, Bearer b" }),
      fc.constant({ authorization: "Basic dXNlcjpwYXNz" }),
      fc.nat({ max: 24 * 1024 }).map((size) => ({ cookie: `better-auth.session_token=${"x".repeat(size)}` })),
      fc.constant({ cookie: "better-auth.session_token=; better-auth.session_token=forged.signature" }),
      fc.constant({ cookie: "=; ;;; =x; better-auth.session_token" }),
    );
    await fc.assert(
      fc.asyncProperty(fc.constantFrom(...secured), garbageAuth, async (op, headers) => {
        const body = op.jsonBody ? JSON.stringify(validBodyFor(op)) : undefined;
        await expectRefusedWithoutWrites(`${op.method} ${op.path} with ${Object.keys(headers)}`, user, () =>
          send(op.method, concrete(op), { headers: { ...headers, "content-type": "application/json" }, body }),
        );
      }),
      { numRuns: 80 },
    );

    const mutations = secured.filter((op) => op.method !== "GET");
    const badOrigin = fc.constantFrom<Record<string, string>>(
      {},
      { origin: "null" },
      { origin: "https://evil.example" },
      { origin: `${TRUSTED_ORIGIN}.evil.example` },
      { origin: TRUSTED_ORIGIN.toUpperCase() },
      { origin: `${TRUSTED_ORIGIN}/` },
      { referer: `${TRUSTED_ORIGIN}/` },
    );
    await fc.assert(
      fc.asyncProperty(fc.constantFrom(...mutations), badOrigin, async (op, origin) => {
        const body = op.jsonBody ? JSON.stringify(validBodyFor(op)) : undefined;
        // DELETE /api/me with a trusted origin would succeed; here it must be refused as cross-site.
        await expectRefusedWithoutWrites(`${op.method} ${op.path} from ${JSON.stringify(origin)}`, user, () =>
          send(op.method, concrete(op), {
            headers: { cookie: user.jar.header(), "content-type": "application/json", ...origin },
            body,
          }),
        );
      }),
      { numRuns: 50 },
    );

    const nonJson = fc.constantFrom(
      undefined,
      "text/plain",
      "text/plain; charset=utf-8",
      "application/x-www-form-urlencoded",
      "multipart/form-data; boundary=x",
      "application/xml",
      "application/octet-stream",
      "json",
      "application/jsonp",
      "application/json-seq",
      "text/json",
      "*/*",
      "application/javascript",
    );
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom(...bodyOperations()),
        nonJson,
        fc.constantFrom<Auth>("cookie", "bearer"),
        async (op, contentType, auth) => {
          const headers = authHeaders(user, auth);
          if (contentType !== undefined) headers["content-type"] = contentType;
          const init = { headers, body: JSON.stringify(validBodyFor(op)) };
          await expectRefusedWithoutWrites(`${op.method} ${op.path} as ${contentType}`, user, () =>
            send(op.method, concrete(op), init),
          );
        },
      ),
      { numRuns: 60 },
    );
  });

  it("refuses unsigned and mis-signed webhook deliveries without recording them, and records signed-but-invalid ones", async () => {
    const provider = fc.constantFrom<"polar" | "dodo">("polar", "dodo");
    const printableId = fc.stringMatching(/^[\x21-\x7e]{1,64}$/);
    const unsigned = fc.record({
      id: fc.option(
        fc.oneof(
          printableId,
          edgyString.filter((s) => /^[\x20-\x7e]*$/.test(s)),
        ),
        { nil: undefined },
      ),
      timestamp: fc.option(
        fc.oneof(
          fc.constant(String(Math.floor(Date.now() / 1000))),
          fc.integer().map(String),
          fc.constantFrom("1e9", "-0", "0x10", "1614265330abc", ""),
        ),
        { nil: undefined },
      ),
      signature: fc.option(
        fc.oneof(
          fc.string({ unit: "binary-ascii", maxLength: 120 }).map((s) => s.replace(/[^\x20-\x7e]/g, "")),
          fc.base64String({ minLength: 44, maxLength: 44 }).map((s) => `v1,${s}`),
          fc.constant(`v1,${"A".repeat(9000)}`),
          fc.constant("v2,abc v1a,def"),
        ),
        { nil: undefined },
      ),
      body: fc.oneof(
        notAnObject.map((value) => JSON.stringify(value) ?? "null"),
        malformedJson,
      ),
    });
    await fc.assert(
      fc.asyncProperty(provider, unsigned, async (name, delivery) => {
        const headers: Record<string, string> = { "content-type": "application/json" };
        if (delivery.id !== undefined) headers["webhook-id"] = delivery.id;
        if (delivery.timestamp !== undefined) headers["webhook-timestamp"] = delivery.timestamp;
        if (delivery.signature !== undefined) headers["webhook-signature"] = delivery.signature;
        const response = await send("POST", `/api/webhooks/${name}`, { headers, body: delivery.body });
        const envelope = await expectClientError(response, `unsigned ${name}`);
        expect(envelope.error.code).toBe("INVALID_SIGNATURE");
        if (delivery.id)
          expect(await sql`select 1 from webhook_event where webhook_id = ${delivery.id}`).toHaveLength(0);
      }),
      { numRuns: 60 },
    );

    const polarRequired = [
      ["id", "string"],
      ["created_at", "instant"],
      ["amount", "int32"],
      ["currency", "string"],
      ["recurring_interval", "string"],
      ["status", "string"],
      ["current_period_start", "instant"],
      ["customer_id", "string"],
      ["product_id", "string"],
    ] as const;
    const dodoRequired = [
      ["payment_id", "string"],
      ["created_at", "instant"],
      ["currency", "string"],
      ["total_amount", "int32"],
    ] as const;
    const invalidFor = (kind: "string" | "instant" | "int32") =>
      kind === "string"
        ? fc.oneof(fc.constant(""), fc.integer(), fc.boolean(), fc.constant(null), fc.constant([]), fc.constant({}))
        : kind === "instant"
          ? fc.oneof(
              edgyString,
              fc.integer(),
              fc.constantFrom("2025-13-01T00:00:00Z", "yesterday", "2025-01-01", null, "2025-01-01T00:00:00"),
            )
          : fc.oneof(
              fc.double({ min: 0.5, max: 1e6 }).filter((value) => !Number.isInteger(value)),
              fc.constantFrom(2 ** 31, -(2 ** 31) - 1, 1e300, "1500", null, true),
            );
    const signedInvalid = fc.oneof(
      fc
        .tuple(
          provider,
          fc.oneof(
            notAnObject.map((value) => JSON.stringify(value) ?? "null"),
            malformedJson,
          ),
        )
        .map(([name, body]) => ({ provider: name, body })),
      fc
        .constantFrom(...polarRequired)
        .chain(([field, kind]) => fc.tuple(fc.constant(field), invalidFor(kind)))
        .map(([field, value]) => ({
          provider: "polar" as const,
          body: polarEvent({ data: { [field]: value } }).body,
        })),
      fc
        .constantFrom(...dodoRequired)
        .chain(([field, kind]) => fc.tuple(fc.constant(field), invalidFor(kind)))
        .map(([field, value]) => ({ provider: "dodo" as const, body: dodoEvent({ data: { [field]: value } }).body })),
      fc
        .tuple(provider, fc.constantFrom("", null, 42, ["subscription.active"]))
        .map(([name, type]) => ({ provider: name, body: JSON.stringify({ type, data: {} }) })),
    );
    // Valid events whose free-text fields carry edge-case strings: stored, or recorded as unprocessable (both 200).
    const edgyValid = fc.oneof(
      fc
        .record({
          currency: edgyString.filter((text) => text.length > 0),
          status: edgyString.filter((text) => text.length > 0),
          customer_cancellation_comment: edgyString,
        })
        .map((data) => ({ provider: "polar" as const, body: polarEvent({ data }).body })),
      fc
        .record({ currency: edgyString.filter((text) => text.length > 0), card_holder_name: edgyString })
        .map((data) => ({ provider: "dodo" as const, body: dodoEvent({ data }).body })),
    );
    await fc.assert(
      fc.asyncProperty(edgyValid, async ({ provider: name, body }) => {
        const signed = sign(body);
        const response = await send("POST", `/api/webhooks/${name}`, { headers: signed.headers, body });
        expect(response.status, `signed edge-case ${name}: ${body.slice(0, 200)}`).toBe(200);
        await response.text();
        expect(await sql`select 1 from webhook_event where webhook_id = ${signed.msgId}`).toHaveLength(1);
      }),
      { numRuns: 40 },
    );

    // A correctly signed delivery that can never be applied is acknowledged, so the provider stops
    // resending it, and recorded; it changes nothing else.
    const warnings = vi.spyOn(console, "warn").mockImplementation(() => {});
    try {
      await fc.assert(
        fc.asyncProperty(signedInvalid, async ({ provider: name, body }) => {
          const signed = sign(body);
          const response = await send("POST", `/api/webhooks/${name}`, { headers: signed.headers, body });
          const text = await response.text();
          expect(response.status, `signed invalid ${name}: ${body.slice(0, 120)}: ${text}`).toBe(200);
          expect(JSON.parse(text)).toEqual({ received: true });
          expect(await sql`select 1 from webhook_event where webhook_id = ${signed.msgId}`).toHaveLength(1);
        }),
        { numRuns: 80 },
      );
    } finally {
      warnings.mockRestore();
    }
  });
});

/** A body of the right shape for the route, so only the aspect under test is wrong. */
function validBodyFor(op: Operation): Record<string, unknown> {
  if (op.path === "/api/chat") {
    return { id: crypto.randomUUID(), messages: [{ role: "user", parts: [{ type: "text", text: "Hello" }] }] };
  }
  if (op.path === "/api/me/custom-instructions") return { content: "Window seat, please" };
  if (op.path === "/api/chats/{id}") return { title: "Renamed by an attacker" };
  const schema = op.jsonBody ?? { required: [], properties: {} };
  return Object.fromEntries(
    schema.required.map((name) => [name, schema.properties[name]?.type === "string" ? "x" : 1] as const),
  );
}

describe("boundary bodies", () => {
  const depth = 10_000;
  const deepArray = `${"[".repeat(depth)}${"]".repeat(depth)}`;
  const deepObject = `${'{"a":'.repeat(depth)}1${"}".repeat(depth)}`;

  it("refuses huge and deeply nested bodies on every body route with a 4xx and no write", async () => {
    const cases = (op: Operation): Array<[string, BodyInit]> => {
      const field = op.jsonBody?.required[0] ?? "title";
      return [
        ["a JSON string just under the cap", JSON.stringify("x".repeat(MiB - 3))],
        ["a field just under the cap", JSON.stringify({ ...validBodyFor(op), [field]: "é".repeat((MiB - 64) / 2) })],
        ["a body one byte over the cap", `${JSON.stringify("x".repeat(MiB - 2))} `],
        ["10,000 nested arrays", deepArray],
        ["10,000 nested objects", deepObject],
        ["10,000 nested arrays in a field", `{"${field}":${deepArray}}`],
      ];
    };
    for (const op of bodyOperations()) {
      for (const [label, body] of cases(op)) {
        for (const auth of ["cookie", "bearer"] as const) {
          await expectRefusedWithoutWrites(`${op.method} ${op.path}: ${label} (${auth})`, user, () =>
            send(op.method, concrete(op), {
              headers: { ...authHeaders(user, auth), "content-type": "application/json" },
              body,
            }),
          );
        }
      }
    }
  });

  it("acknowledges and records deeply nested signed webhook payloads, never a 5xx", async () => {
    for (const body of [
      deepArray,
      deepObject,
      dodoEvent({ data: { metadata: JSON.parse(`{"k":${"[".repeat(2000)}${"]".repeat(2000)}}`) } }).body,
      polarEvent({ data: { metadata: JSON.parse(`${'{"a":'.repeat(2000)}1${"}".repeat(2000)}`) } }).body,
    ]) {
      for (const name of ["polar", "dodo"] as const) {
        const signed = sign(body);
        const warnings = vi.spyOn(console, "warn").mockImplementation(() => {});
        const response = await send("POST", `/api/webhooks/${name}`, { headers: signed.headers, body }).finally(() =>
          warnings.mockRestore(),
        );
        // Applied or recorded as unprocessable: acknowledged either way, never retried into a 5xx.
        expect(response.status, `${name} ${body.slice(0, 40)}: ${await response.clone().text()}`).toBe(200);
        await response.text();
        expect(await sql`select 1 from webhook_event where webhook_id = ${signed.msgId}`).toHaveLength(1);
      }
    }
  });
});

describe("unicode edge cases in otherwise valid bodies", () => {
  /** Raw bytes spliced into a JSON string, including ones that are not UTF-8. */
  const rawText = fc.oneof(
    edgyString.map((text) => new TextEncoder().encode(JSON.stringify(text).slice(1, -1))),
    fc.uint8Array({ minLength: 1, maxLength: 30 }).map((bytes) => bytes.filter((b) => b !== 0x22 && b !== 0x5c)),
  );
  const jsonWith = (prefix: string, text: Uint8Array, suffix: string) => {
    const encoder = new TextEncoder();
    return Uint8Array.from([...encoder.encode(prefix), ...text, ...encoder.encode(suffix)]);
  };

  it("custom instructions and chat titles: a 2xx stores what was sent, anything else is a 4xx that stores nothing", async () => {
    await fc.assert(
      fc.asyncProperty(
        rawText,
        fc.constantFrom("instructions", "title"),
        fc.constantFrom<Auth>("cookie", "bearer"),
        async (text, target, auth) => {
          const before = await footprint(sql, user.id);
          const headers = { ...authHeaders(user, auth), "content-type": "application/json" };
          const response =
            target === "instructions"
              ? await send("PUT", "/api/me/custom-instructions", {
                  headers,
                  body: jsonWith('{"content":"', text, ' keep"}'),
                })
              : await send("PATCH", `/api/chats/${ownChatId}`, { headers, body: jsonWith('{"title":"', text, ' t"}') });
          if (response.status >= 400) {
            await expectClientError(response, `${target} ${[...text]}`);
            expect(await footprint(sql, user.id)).toEqual(before);
            return;
          }
          expect(response.status, `${target}: ${await response.clone().text()}`).toBe(200);
          const body = (await response.json()) as { customInstructions?: { content: string }; title?: string };
          const suffix = target === "instructions" ? " keep" : " t";
          const sent = (JSON.parse(new TextDecoder().decode(jsonWith('{"v":"', text, `${suffix}"}`))) as { v: string })
            .v;
          const stored =
            target === "instructions"
              ? (await sql`select content from custom_instructions where user_id = ${user.id}`)[0]?.content
              : (await sql`select title from chat where id = ${ownChatId}`)[0]?.title;
          const returned = target === "instructions" ? body.customInstructions?.content : body.title;
          expect(returned).toBe(stored);
          expect(stored).toBe(sent.trim().toWellFormed());
        },
      ),
      { numRuns: 60 },
    );
  });

  it("a chat message: a 2xx saves the message and its reply, anything else is a 4xx that saves nothing", async () => {
    setModelOverride(scriptedModel([textTurn(["Noted."])]));
    await fc.assert(
      fc.asyncProperty(rawText, async (text) => {
        await sql`delete from message_usage where user_id = ${chatter.id}`;
        const before = await footprint(sql, chatter.id);
        const chatId = crypto.randomUUID();
        const response = await send("POST", "/api/chat", {
          headers: { authorization: `Bearer ${chatter.bearer}`, "content-type": "application/json" },
          body: jsonWith(
            `{"id":"${chatId}","messages":[{"role":"user","parts":[{"type":"text","text":"`,
            text,
            ' in Kyoto?"}]}]}',
          ),
        });
        if (response.status >= 400) {
          await expectClientError(response, `chat ${[...text]}`);
          expect(await footprint(sql, chatter.id)).toEqual(before);
          return;
        }
        expect(response.status).toBe(200);
        await response.text();
        await env.CHAT_STREAM.getByName(chatId).waitForReply();
        const roles = await sql`select role from message where chat_id = ${chatId} order by created_at, id`;
        expect(roles.map((row) => row.role)).toEqual(["user", "assistant"]);
      }),
      { numRuns: 25 },
    );
    setModelOverride(undefined);
  });
});

import { describe, expect, it } from "vitest";
import { type SignedInUser, signUpVerified } from "../support/auth";
import { call, TRUSTED_ORIGIN } from "../support/http";

interface Operation {
  method: string;
  path: string;
  security?: Record<string, string[]>[];
}

async function operations(): Promise<Operation[]> {
  const document = (await (await call("/openapi.json")).json()) as {
    paths: Record<string, Record<string, { security?: Record<string, string[]>[] }>>;
  };
  return Object.entries(document.paths).flatMap(([path, methods]) =>
    Object.entries(methods).map(([method, operation]) => ({ method, path, security: operation.security })),
  );
}

/** The operation's request with made-up path parameters and an empty JSON body. */
function send(operation: Operation, headers: Record<string, string> = {}) {
  const path = operation.path.replace(/\{[^}]+\}/g, () => crypto.randomUUID());
  const method = operation.method.toUpperCase();
  const hasBody = method !== "GET" && method !== "HEAD" && method !== "DELETE";
  return call(path, {
    method,
    headers: { origin: TRUSTED_ORIGIN, ...(hasBody ? { "content-type": "application/json" } : {}), ...headers },
    body: hasBody ? "{}" : undefined,
  });
}

const requiresSignIn = (operation: Operation) =>
  (operation.security?.length ?? 0) > 0 && !operation.security?.some((entry) => Object.keys(entry).length === 0);

describe("the sign-in check each route declares in its OpenAPI security", () => {
  let traveller: SignedInUser;

  it("refuses every route that requires sign-in to an anonymous caller, and no other route", async () => {
    const all = await operations();
    const required = all.filter(requiresSignIn);
    expect(required.length).toBeGreaterThan(15);
    expect(all.length).toBeGreaterThan(required.length);
    for (const operation of all) {
      const response = await send(operation);
      const body = (await response.json().catch(() => ({}))) as { error?: { code?: string } };
      const refused = response.status === 401 && body.error?.code === "UNAUTHORIZED";
      expect({ ...operation, refused }).toEqual({ ...operation, refused: requiresSignIn(operation) });
    }
  });

  it("lets a signed-in caller through every read that requires sign-in", async () => {
    traveller = await signUpVerified("Secured");
    const reads = (await operations()).filter((operation) => requiresSignIn(operation) && operation.method === "get");
    expect(reads.length).toBeGreaterThan(5);
    for (const operation of reads) {
      const response = await send(operation, { authorization: `Bearer ${traveller.bearer}` });
      expect({ ...operation, status: response.status === 401 ? 401 : "not 401" }).toEqual({
        ...operation,
        status: "not 401",
      });
    }
  });
});

import type { AppRouteHandler } from "../../http/openapi";
import {
  clearCustomInstructions,
  getCustomInstructions,
  setCustomInstructions,
} from "../../services/account/custom-instructions";
import { deleteAccount } from "../../services/account/delete-account";
import { exportAccount } from "../../services/account/export-account";
import { getAccountStatus } from "../../services/account/get-account-status";
import type {
  deleteInstructionsRoute,
  deleteMeRoute,
  exportMeRoute,
  getInstructionsRoute,
  getMeRoute,
  putInstructionsRoute,
} from "./me.routes";

const present = (row: { content: string; createdAt: Date; updatedAt: Date } | null) =>
  row ? { content: row.content, createdAt: row.createdAt.toISOString(), updatedAt: row.updatedAt.toISOString() } : null;

export const getMeHandler: AppRouteHandler<typeof getMeRoute> = async (c) => {
  const { db, config } = c.get("deps");
  const user = c.get("user");
  const { plan, usage } = await getAccountStatus({
    ctx: { db, config },
    input: { userId: user.id },
  });
  return c.json(
    {
      user: {
        id: user.id,
        name: user.name,
        email: user.email,
        emailVerified: user.emailVerified,
        image: user.image,
        createdAt: new Date(user.createdAt).toISOString(),
        updatedAt: new Date(user.updatedAt).toISOString(),
      },
      plan: { tier: plan.tier, source: plan.source, until: plan.until?.toISOString() ?? null },
      usage,
    },
    200,
  );
};

export const deleteMeHandler: AppRouteHandler<typeof deleteMeRoute> = async (c) => {
  const { db, auth } = c.get("deps");
  const { password } = c.req.valid("json");
  await deleteAccount({
    ctx: { db, verifyPassword: (input) => auth.api.verifyPassword(input) },
    input: { userId: c.get("user").id, signedInAt: c.get("session").createdAt, password },
  });
  return c.body(null, 204);
};

export const exportMeHandler: AppRouteHandler<typeof exportMeRoute> = async (c) => {
  const { body, released } = await exportAccount({
    ctx: { db: c.get("deps").db, log: c.get("log") },
    input: { userId: c.get("user").id },
  });
  c.set("bodyReadsUntil", released);
  // Streamed, so not typed as the JSON it is: the document is the one described for 200.
  return c.body(body, 200, {
    "content-type": "application/json",
    "content-disposition": 'attachment; filename="mylo-export.json"',
    "cache-control": "no-store",
  }) as never;
};

export const getInstructionsHandler: AppRouteHandler<typeof getInstructionsRoute> = async (c) => {
  const row = await getCustomInstructions({ ctx: { db: c.get("deps").db }, input: { userId: c.get("user").id } });
  return c.json({ customInstructions: present(row) }, 200);
};

export const putInstructionsHandler: AppRouteHandler<typeof putInstructionsRoute> = async (c) => {
  const { content } = c.req.valid("json");
  const row = await setCustomInstructions({
    ctx: { db: c.get("deps").db },
    input: { userId: c.get("user").id, content },
  });
  return c.json({ customInstructions: present(row) }, 200);
};

export const deleteInstructionsHandler: AppRouteHandler<typeof deleteInstructionsRoute> = async (c) => {
  await clearCustomInstructions({ ctx: { db: c.get("deps").db }, input: { userId: c.get("user").id } });
  return c.body(null, 204);
};

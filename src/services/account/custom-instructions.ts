import type { Queryable } from "../../db/client";
import { deleteCustomInstructionsOf, findCustomInstructions, upsertCustomInstructions } from "../../db/queries/account";

export const CUSTOM_INSTRUCTIONS_MAX = 4000;

export async function getCustomInstructions({ ctx, input }: { ctx: { db: Queryable }; input: { userId: string } }) {
  return findCustomInstructions(ctx.db, input.userId);
}

export async function setCustomInstructions({
  ctx,
  input,
}: {
  ctx: { db: Queryable };
  input: { userId: string; content: string };
}) {
  return upsertCustomInstructions(ctx.db, input.userId, input.content);
}

export async function clearCustomInstructions({ ctx, input }: { ctx: { db: Queryable }; input: { userId: string } }) {
  await deleteCustomInstructionsOf(ctx.db, input.userId);
}

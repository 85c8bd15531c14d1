import type { Queryable } from "../../db/client";
import { updateOwnedLookout } from "../../db/queries/lookouts";
import { findOwnedOrThrow } from "./get-lookout";
import { type LookoutView, toLookoutView } from "./lookout-view";
import { archived, busy } from "./update-lookout";

/** Stops future runs; pausing a paused lookout changes nothing. Needs no plan, so a lapsed user can stop one. */
export async function pauseLookout({
  ctx,
  input,
}: {
  ctx: { db: Queryable; userId: string };
  input: { id: string };
}): Promise<LookoutView> {
  const row = await updateOwnedLookout(ctx.db, {
    id: input.id,
    userId: ctx.userId,
    changes: { status: "paused" },
    statusIn: ["active"],
  });
  if (row) return toLookoutView(row);
  const current = await findOwnedOrThrow(ctx.db, { id: input.id, userId: ctx.userId });
  if (current.status === "paused") return toLookoutView(current);
  throw current.status === "running" ? busy() : archived();
}

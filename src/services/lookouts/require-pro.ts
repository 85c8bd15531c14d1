import type { Queryable } from "../../db/client";
import type { Config } from "../../env";
import { AppError } from "../../lib/errors";
import { getPlan } from "../billing/get-plan";

/** Lookouts are a Pro feature: creating, changing, resuming and running one needs the plan. */
export async function requireLookoutPlan(ctx: { db: Queryable; config: Config; userId: string; now?: Date }) {
  const plan = await getPlan({ ctx, input: { userId: ctx.userId } });
  if (plan.tier !== "pro") {
    throw new AppError("PLAN_REQUIRED", "Lookouts need a Pro plan", { details: { feature: "lookouts" } });
  }
  return plan;
}

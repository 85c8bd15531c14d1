/** What a user may use: the free allowance, or Pro. */
export type PlanTier = "free" | "pro";

/** A user's plan as the billing rows decide it (decidePlan), with where it comes from and how long it lasts. */
export interface Plan {
  tier: PlanTier;
  source: "polar" | "dodo" | null;
  /** When Pro ends as far as we know now (period end, or payment time + DODO_PRO_DAYS); null = free or no end. */
  until: Date | null;
}

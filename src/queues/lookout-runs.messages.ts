import { z } from "zod";

/** Shared by the dispatcher (producer) and the consumer. */
export const lookoutRunMessageSchema = z.object({
  lookoutId: z.string().min(1),
  runId: z.string().min(1),
  scheduledFor: z.iso.datetime(),
});

export type LookoutRunMessage = z.infer<typeof lookoutRunMessageSchema>;

export const LOOKOUT_RUNS_QUEUE = "mylo-lookout-runs";
export const LOOKOUT_RUNS_DLQ = "mylo-lookout-runs-dlq";

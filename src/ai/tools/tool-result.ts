import { isOutboundRequestError } from "../../outbound/errors";

/** What a tool returns instead of throwing, so a failure reaches the model as a result it can explain. */
export interface ToolFailure {
  error: string;
}

/** Where a result came from: the provider's name, and a page a person can open when there is one. */
export interface ToolSource {
  provider: string;
  url?: string;
}

/** A failure whose message was written for the model and the user. */
export class ToolInputError extends Error {
  override readonly name = "ToolInputError";
}

/**
 * Runs a tool body and turns every failure into `{ error }`. Only messages written to be shown
 * (outbound client errors, input errors) pass through; anything else gets a generic sentence so
 * internals never reach the model.
 */
export async function runTool<T>(toolName: string, body: () => Promise<T>): Promise<T | ToolFailure> {
  try {
    return await body();
  } catch (error) {
    if (isOutboundRequestError(error) || error instanceof ToolInputError) return { error: error.message };
    return { error: `The ${toolName} tool failed unexpectedly.` };
  }
}

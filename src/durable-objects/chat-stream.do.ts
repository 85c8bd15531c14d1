import { DurableObject } from "cloudflare:workers";
import type { Env } from "../env";

/**
 * One instance per chat (named by chat id). It will own the live reply stream: run the model, keep
 * every chunk in its SQLite storage and serve any number of readers.
 */
export class ChatStream extends DurableObject<Env> {
  /** Whether a reply is being generated right now. */
  async isGenerating(): Promise<boolean> {
    return (await this.ctx.storage.get<boolean>("generating")) ?? false;
  }
}

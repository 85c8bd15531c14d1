// Named prepared statements across pooled connections. A client's statement is renamed after a hash of its
// text and parameter types and prepared on whichever server connection needs it, so pooled connections hold
// one copy per distinct query, and a client preparing one its connection already holds is answered without
// Postgres parsing it again. The answers to what the proxy added itself are kept from the client.
import { createHash } from "node:crypto";
import { CLOSE_COMPLETE, cstring, message, PARSE_COMPLETE, READY_FOR_QUERY, STATEMENT, withName } from "./wire.mjs";

const closeStatement = (name) => message("C", Buffer.from("S"), cstring(name));
const closeMissingPortal = message("C", Buffer.from("P"), cstring("pool_proxy_none"));
const parseComplete = message("1");
/** The ParseComplete and CloseComplete answers due before one sync point's ReadyForQuery. */
const newSegment = () => ({ parses: [], closes: [] });

/** What one server connection holds, and the answers it owes that the client must or must not see. */
export class ServerStatements {
  /** Pool-wide names of the statements prepared on this connection. */
  prepared = new Set();
  #segments = [newSegment()];

  /**
   * Client → server for one message: the message to send (renamed to the pool-wide statement name), or null
   * when what `send` was given stands in for it. `clientStatements` maps the client's names to
   * `{ serverName, parse }`.
   */
  toServer(clientStatements, frame, send) {
    const type = String.fromCharCode(frame[0]);
    const segment = this.#segments.at(-1);
    if (type === "P") {
      const end = frame.indexOf(0, 5);
      const name = frame.toString("utf8", 5, end);
      if (name) {
        const serverName = `pool_${createHash("sha1")
          .update(frame.subarray(end + 1))
          .digest("hex")}`;
        const parse = withName(frame, 5, end, serverName);
        clientStatements.set(name, { serverName, parse });
        if (this.prepared.has(serverName)) {
          // Already prepared on this connection (the same text and types): Postgres need not parse and plan
          // it again. A Close of a portal that does not exist stands in for it, so the client's ParseComplete
          // still arrives in order.
          send(closeMissingPortal);
          segment.closes.push({ swallow: false, asParse: true });
          return null;
        }
        this.#prepare(segment, serverName, parse, false, send);
        return null;
      }
      segment.parses.push({ name: "", swallow: false });
    } else if (type === "B" || ((type === "D" || type === "C") && frame[5] === STATEMENT)) {
      const start = type === "B" ? frame.indexOf(0, 5) + 1 : 6;
      const end = frame.indexOf(0, start);
      const name = frame.toString("utf8", start, end);
      const statement = name && clientStatements.get(name);
      if (statement) {
        if (type === "C") {
          clientStatements.delete(name);
          this.prepared.delete(statement.serverName);
        } else if (!this.prepared.has(statement.serverName)) {
          this.#prepare(segment, statement.serverName, statement.parse, true, send);
        }
        return this.#closes(type, segment, withName(frame, start, end, statement.serverName));
      }
    }
    return this.#closes(type, segment, frame);
  }

  /** A sync point (Query, Sync, FunctionCall) was sent: what follows is answered after its ReadyForQuery. */
  syncSent() {
    this.#segments.push(newSegment());
  }

  /**
   * Server → client for one message: what to pass on (the message, or the ParseComplete a stand-in owes), or
   * null to drop it. Answers are matched in order because the server answers in order and, after an error,
   * skips to the Sync (the ReadyForQuery discards what was never answered).
   */
  fromServer(frame) {
    const type = frame[0];
    const segment = this.#segments[0];
    if (type === PARSE_COMPLETE && segment.parses.shift()?.swallow) return null;
    if (type === CLOSE_COMPLETE) {
      const close = segment.closes.shift();
      if (close?.swallow) return null;
      if (close?.asParse) return parseComplete;
    }
    if (type === READY_FOR_QUERY) {
      for (const parse of this.#segments.shift().parses) this.prepared.delete(parse.name);
      if (this.#segments.length === 0) this.#segments.push(newSegment());
    }
    return frame;
  }

  /** A schema change made a kept statement stale: everything is prepared again (Close, then Parse). */
  forgetAll() {
    this.prepared.clear();
  }

  #closes(type, segment, frame) {
    if (type === "C") segment.closes.push({ swallow: false });
    return frame;
  }

  #prepare(segment, serverName, parse, swallow, send) {
    // Closing first makes re-preparing always succeed, and refreshes a plan made stale by a schema change.
    send(closeStatement(serverName));
    segment.closes.push({ swallow: true });
    send(parse);
    segment.parses.push({ name: serverName, swallow });
    this.prepared.add(serverName);
  }
}

// The Postgres wire protocol as far as the pooling proxy needs it: framing, building messages, reading errors.
export const SSL_REQUEST = 80877103;
export const GSSENC_REQUEST = 80877104;
export const PROTOCOL_3 = 3;
export const TERMINATE = "X".charCodeAt(0);
export const PARSE_COMPLETE = "1".charCodeAt(0);
export const CLOSE_COMPLETE = "3".charCodeAt(0);
export const READY_FOR_QUERY = "Z".charCodeAt(0);
export const STATEMENT = "S".charCodeAt(0);
export const ERROR_RESPONSE = "E".charCodeAt(0);

/** Splits a byte stream into protocol messages; chunks are joined only when a message is complete. */
export class FrameReader {
  #buffer = Buffer.alloc(0);
  #chunks = [];
  #size = 0;

  push(chunk) {
    this.#chunks.push(chunk);
    this.#size += chunk.length;
  }

  /** Yields the complete messages received so far; startup-phase messages have no type byte (`typed` false). */
  *frames(typed) {
    for (let frame = this.#next(typed); frame; frame = this.#next(typed)) yield frame;
  }

  #next(typed) {
    const offset = typed ? 1 : 0;
    if (this.#size < offset + 4) return null;
    this.#gather(offset + 4);
    const length = offset + this.#buffer.readInt32BE(offset);
    if (length < offset + 4) throw new Error("invalid message length");
    if (this.#size < length) return null;
    this.#gather(length);
    const frame = this.#buffer.subarray(0, length);
    this.#buffer = this.#buffer.subarray(length);
    this.#size -= length;
    return frame;
  }

  #gather(bytes) {
    if (this.#buffer.length >= bytes) return;
    // Most messages arrive whole in one chunk: take it as it is rather than copying it.
    this.#buffer =
      this.#buffer.length === 0 && this.#chunks.length === 1
        ? this.#chunks[0]
        : Buffer.concat([this.#buffer, ...this.#chunks]);
    this.#chunks = [];
  }
}

export const int32 = (value) => {
  const bytes = Buffer.alloc(4);
  bytes.writeInt32BE(value);
  return bytes;
};
export const cstring = (...texts) => Buffer.from(texts.map((text) => `${text}\0`).join(""));
export const message = (type, ...parts) => {
  const body = Buffer.concat(parts);
  return Buffer.concat([Buffer.from(type), int32(body.length + 4), body]);
};
export const errorResponse = (code, text, detail) =>
  message("E", cstring("SFATAL", "VFATAL", `C${code}`, `M${text}`, ...(detail ? [`D${detail}`] : []), ""));

/** Rebuilds `frame` with the C string between `start` and `end` replaced by `name`. */
export const withName = (frame, start, end, name) =>
  message(String.fromCharCode(frame[0]), frame.subarray(5, start), cstring(name), frame.subarray(end + 1));

export function errorCode(frame) {
  const fields = frame.toString("utf8", 5).split("\0");
  return fields.find((field) => field.startsWith("C"))?.slice(1);
}

export function errorText(frame) {
  const fields = frame.toString("utf8", 5).split("\0");
  return (fields.find((field) => field.startsWith("M")) ?? "Mserver error").slice(1);
}

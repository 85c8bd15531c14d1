// Logging in to the real database: where it is, and the answers to its authentication requests.
import { createHash, createHmac, pbkdf2Sync, randomBytes } from "node:crypto";
import { cstring, int32, message } from "./wire.mjs";

/** The server and credentials in a postgres:// URL. */
export function parseTarget(target) {
  const url = new URL(target);
  const user = decodeURIComponent(url.username);
  return {
    host: url.hostname.replace(/^\[(.*)\]$/, "$1"),
    port: Number(url.port) || 5432,
    user,
    password: decodeURIComponent(url.password),
    database: decodeURIComponent(url.pathname.slice(1)) || user,
  };
}

/** Answers the server's authentication requests ('R' messages: cleartext, MD5, SCRAM-SHA-256); `send` writes the replies. */
export function authenticator({ user, password }, send) {
  const hmac = (key, text) => createHmac("sha256", key).update(text).digest();
  const md5 = (data) => createHash("md5").update(data).digest("hex");
  let clientFirstBare;
  let nonce;
  let serverSignature;
  return (frame) => {
    const code = frame.readInt32BE(5);
    const text = frame.toString("utf8", 9);
    if (code === 0) return;
    if (code === 3) return send(message("p", cstring(password)));
    if (code === 5) {
      const salt = frame.subarray(9, 13);
      return send(message("p", cstring(`md5${md5(Buffer.concat([Buffer.from(md5(password + user)), salt]))}`)));
    }
    if (code === 10) {
      if (!text.split("\0").includes("SCRAM-SHA-256")) throw new Error("server offers no supported SASL mechanism");
      nonce = randomBytes(18).toString("base64");
      clientFirstBare = `n=*,r=${nonce}`;
      const first = Buffer.from(`n,,${clientFirstBare}`);
      return send(message("p", cstring("SCRAM-SHA-256"), int32(first.length), first));
    }
    const attributes = Object.fromEntries(text.split(",").map((pair) => [pair[0], pair.slice(2)]));
    if (code === 11) {
      if (!attributes.r?.startsWith(nonce)) throw new Error("SCRAM: server nonce does not extend ours");
      const salted = pbkdf2Sync(password, Buffer.from(attributes.s, "base64"), Number(attributes.i), 32, "sha256");
      const clientKey = hmac(salted, "Client Key");
      const withoutProof = `c=biws,r=${attributes.r}`;
      const authMessage = `${clientFirstBare},${text},${withoutProof}`;
      const signature = hmac(createHash("sha256").update(clientKey).digest(), authMessage);
      const proof = Buffer.from(clientKey.map((byte, i) => byte ^ signature[i]));
      serverSignature = hmac(hmac(salted, "Server Key"), authMessage).toString("base64");
      return send(message("p", Buffer.from(`${withoutProof},p=${proof.toString("base64")}`)));
    }
    if (code === 12) {
      if (attributes.v !== serverSignature) throw new Error("SCRAM: server signature mismatch");
      return;
    }
    throw new Error(`unsupported authentication request ${code}`);
  };
}

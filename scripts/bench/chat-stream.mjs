// Streamed replies: POST /api/chat (through the chat's Durable Object) against the same model streamed
// by a bare Worker route with no Durable Object, in the same run. The app runs with BENCH_STREAM_CHUNKS,
// so every reply streams that many chunks from a local model as fast as it can.
import { randomUUID } from "node:crypto";
import { signUpBenchUser } from "./scenarios.mjs";

export const STREAM_CHUNKS = 2000;
const ROUNDS = Number(process.env.BENCH_STREAM_ROUNDS ?? 12);
const READERS = 50;

async function timeStream(responsePromise, label = "stream") {
  try {
    return await timeStreamUnlabelled(responsePromise);
  } catch (error) {
    throw new Error(`${label}: ${error.message}`, { cause: error });
  }
}

async function timeStreamUnlabelled(responsePromise) {
  const started = performance.now();
  const response = await responsePromise;
  if (!response.ok || !response.body) throw new Error(`stream answered ${response.status}: ${await response.text()}`);
  const reader = response.body.getReader();
  let firstByte;
  let bytes = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    firstByte ??= performance.now() - started;
    bytes += value.byteLength;
  }
  return { ttfb: firstByte ?? 0, total: performance.now() - started, bytes };
}

let retries = 0;

/**
 * Node's fetch sometimes reuses a keep-alive socket the local server is closing, and the read fails
 * with "terminated": such a round is run again (and counted), since it says nothing about the app.
 */
async function withRetry(run) {
  for (let attempt = 1; ; attempt++) {
    try {
      return await run();
    } catch (error) {
      if (attempt >= 3 || !/terminated|other side closed|ECONNRESET/i.test(String(error?.message))) throw error;
      retries++;
    }
  }
}

const median = (values) => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] ?? 0;
};

function sendMessage(url, user, chatId) {
  return fetch(`${url}/api/chat`, {
    method: "POST",
    headers: { ...user.headers, "content-type": "application/json" },
    body: JSON.stringify({
      id: chatId,
      trigger: "submit-message",
      messages: [{ id: randomUUID(), role: "user", parts: [{ type: "text", text: "Benchmark reply please" }] }],
    }),
  });
}

/** The sender plus 49 readers attached to the same reply; resolves with the time until all finished. */
async function fiftyReaders(url, user) {
  const chatId = randomUUID();
  const started = performance.now();
  // The reply exists once the sender has its response headers; readers attach from then on.
  const response = await sendMessage(url, user, chatId);
  const sender = timeStream(Promise.resolve(response), "sender");
  const readers = Array.from({ length: READERS - 1 }, () =>
    timeStream(fetch(`${url}/api/chat/${chatId}/stream`, { headers: user.headers }), "reader"),
  );
  const results = await Promise.all([sender, ...readers]);
  const sizes = new Set(results.map((result) => result.bytes));
  if (sizes.size !== 1) throw new Error(`readers got different streams: ${[...sizes].join(", ")} bytes`);
  return performance.now() - started;
}

export const chatStreamMeasurement = {
  name: "Streamed reply (2,000 chunks)",
  async measure({ url }) {
    const user = await signUpBenchUser(url);
    const bare = () => fetch(`${url}/api/dev/bench-stream`, { method: "POST", headers: user.headers });

    // Warm both paths (compilation, first Durable Object).
    await timeStream(bare());
    await timeStream(sendMessage(url, user, randomUUID()));

    const viaObject = [];
    const viaBare = [];
    for (let round = 0; round < ROUNDS; round++) {
      viaBare.push(await withRetry(() => timeStream(bare(), "bare route")));
      viaObject.push(await withRetry(() => timeStream(sendMessage(url, user, randomUUID()), "POST /api/chat")));
    }

    // One reader versus fifty on the same reply: the sender plus 49 readers attached right after.
    const oneReader = [];
    const manyReaders = [];
    for (let round = 0; round < Math.max(3, ROUNDS / 3); round++) {
      oneReader.push((await withRetry(() => timeStream(sendMessage(url, user, randomUUID()), "one reader"))).total);
      manyReaders.push(await withRetry(() => fiftyReaders(url, user)));
    }

    const ttfbRatio = median(viaObject.map((r) => r.ttfb)) / median(viaBare.map((r) => r.ttfb));
    const totalRatio = median(viaObject.map((r) => r.total)) / median(viaBare.map((r) => r.total));
    const readersRatio = median(manyReaders) / median(oneReader);
    const checks = [
      { label: "time to first byte vs bare route", value: ttfbRatio, max: 2 },
      { label: "total time vs bare route", value: totalRatio, max: 1.25 },
      { label: `${READERS} readers vs one reader`, value: readersRatio, max: 2 },
    ];
    const ms = (value) => `${value.toFixed(1)} ms`;
    const lines = [
      `Streamed reply, ${STREAM_CHUNKS} chunks, median of ${ROUNDS} rounds:`,
      `  bare Worker route     ttfb ${ms(median(viaBare.map((r) => r.ttfb)))}  total ${ms(median(viaBare.map((r) => r.total)))}`,
      `  POST /api/chat (DO)   ttfb ${ms(median(viaObject.map((r) => r.ttfb)))}  total ${ms(median(viaObject.map((r) => r.total)))}`,
      `  one reader ${ms(median(oneReader))}   ${READERS} readers ${ms(median(manyReaders))}   (rounds retried after a dropped local socket: ${retries})`,
      ...checks.map(
        (check) =>
          `  ${check.label.padEnd(36)} ${check.value.toFixed(2)}x  ${check.value <= check.max ? "PASS" : "FAIL"} (target ≤ ${check.max}x)`,
      ),
    ];
    return { lines, failed: checks.some((check) => check.value > check.max) };
  },
};

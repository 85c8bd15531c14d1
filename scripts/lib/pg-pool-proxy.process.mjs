// Runs the local pooling proxy in a process of its own, apart from the process that started it, as Hyperdrive
// runs apart from the Worker: the benchmark's load generator (or anything else in the starting process) then
// never delays the database's answers. The child reports its URL over IPC; it stops when told to, or when its
// parent goes away. Ctrl-C reaches it too, but the parent decides when it stops (after wrangler).
import { fork } from "node:child_process";
import { fileURLToPath } from "node:url";
import { startPoolProxy } from "./pg-pool-proxy.mjs";

const self = fileURLToPath(import.meta.url);

if (process.argv[1] === self && process.send) {
  process.on("SIGINT", () => {});
  const proxy = await startPoolProxy(JSON.parse(process.argv[2]));
  let stopping = false;
  const stop = async () => {
    if (stopping) return;
    stopping = true;
    await proxy.close();
    process.exit(0);
  };
  process.on("message", (message) => message === "stop" && stop());
  process.on("disconnect", stop);
  process.on("SIGTERM", stop);
  process.send({ url: proxy.url, port: proxy.port });
}

/**
 * Starts the pooling proxy (see pg-pool-proxy.mjs) in a child process. `onUnexpectedExit` is called when
 * it stops without being closed (by default the reason is logged).
 * @param {{ target: string, poolSize?: number }} options
 * @param {{ onUnexpectedExit?: (reason: string) => void }} [hooks]
 * @returns {Promise<{ url: string, port: number, pid: number, close: () => Promise<void> }>}
 */
export function startPoolProxyProcess(options, hooks = {}) {
  const child = fork(self, [JSON.stringify(options)], { stdio: ["ignore", "inherit", "inherit", "ipc"] });
  const exited = new Promise((resolve) => child.once("exit", resolve));
  return new Promise((resolve, reject) => {
    const failed = (code) => reject(new Error(`the pooling proxy exited (${code}) before it started`));
    child.once("error", reject);
    child.once("exit", failed);
    child.once("message", ({ url, port }) => {
      child.off("exit", failed);
      let closing = false;
      child.once("exit", (code, signal) => {
        if (closing) return;
        const reason = `the local pooling proxy stopped unexpectedly (${signal ?? code})`;
        if (hooks.onUnexpectedExit) hooks.onUnexpectedExit(reason);
        else console.error(reason);
      });
      resolve({
        url,
        port,
        pid: child.pid,
        async close() {
          closing = true;
          if (child.exitCode !== null || child.signalCode !== null) return;
          try {
            child.send("stop");
          } catch {
            child.kill("SIGTERM");
          }
          const timer = setTimeout(() => child.kill("SIGKILL"), 5000);
          await exited;
          clearTimeout(timer);
        },
      });
    });
  });
}

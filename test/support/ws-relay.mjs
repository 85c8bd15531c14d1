// A WebSocket-to-TCP relay in the shape Neon's proxy speaks (`/v2?address=host:port`), so the Neon
// serverless driver can be tested against a local Postgres. Only relays to the one target it was given.
import net from "node:net";
import { WebSocketServer } from "ws";

export async function startWsRelay(target) {
  const wss = new WebSocketServer({ host: "127.0.0.1", port: 0 });
  wss.on("connection", (ws) => {
    const socket = net.connect(target.port, target.host);
    const pending = [];
    let open = false;
    socket.on("connect", () => {
      open = true;
      for (const chunk of pending) socket.write(chunk);
      pending.length = 0;
    });
    socket.on("data", (data) => ws.readyState === ws.OPEN && ws.send(data));
    socket.on("close", () => ws.close());
    socket.on("error", () => ws.close());
    ws.on("message", (data) => (open ? socket.write(data) : pending.push(data)));
    ws.on("close", () => socket.destroy());
    ws.on("error", () => socket.destroy());
  });
  await new Promise((resolve) => wss.on("listening", resolve));
  const { port } = wss.address();
  return {
    url: `127.0.0.1:${port}/v2`,
    close: () =>
      new Promise((resolve) => {
        for (const client of wss.clients) client.terminate();
        wss.close(() => resolve());
      }),
  };
}

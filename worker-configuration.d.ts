// Types the Worker's own exports for `ctx.exports` / `import { exports } from "cloudflare:workers"`.
declare namespace Cloudflare {
  interface GlobalProps {
    mainModule: typeof import("./src/index");
    durableNamespaces: "ChatStream";
  }
}

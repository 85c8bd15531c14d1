import { Scalar } from "@scalar/hono-api-reference";
import type { BootstrapOptions } from "./bootstrap";
import { toErrorResponse } from "./http/error-envelope";
import { buildRouteIndex } from "./http/method-not-allowed";
import { limitBody } from "./http/middleware/body-limit";
import { requestContext } from "./http/middleware/context";
import { corsForTrustedOrigins } from "./http/middleware/cors";
import { requestIdentity } from "./http/middleware/request-id";
import { shortcutSwitch } from "./http/middleware/shortcuts";
import { createRouter, registerSecuritySchemes } from "./http/openapi";
import { AppError } from "./lib/errors";
import { authRouter } from "./routes/auth/auth.router";
import { billingRouter } from "./routes/billing/billing.router";
import { chatRouter } from "./routes/chat/chat.router";
import { chatsRouter } from "./routes/chats/chats.router";
import { configRouter } from "./routes/config/config.router";
import { healthRouter } from "./routes/health/health.router";
import { lookoutsRouter } from "./routes/lookouts/lookouts.router";
import { meRouter } from "./routes/me/me.router";
import { webhooksRouter } from "./routes/webhooks/webhooks.router";

/**
 * The API reference page loads the pinned standalone script the web build copies into the app's own
 * assets (src/web/vite.config.ts, `apiReferenceScript`), and nothing from a third party: no CDN, no
 * hosted fonts, no telemetry, no hosted AI agent or MCP integration, and no developer toolbar (whose
 * share and SDK buttons post the document to Scalar's registry). With no `proxyUrl` the request client
 * sends requests straight from the browser.
 */
export const apiReferenceOptions = {
  url: "/openapi.json",
  pageTitle: "Mylo API reference",
  cdn: "/vendor/scalar-api-reference.js",
  withDefaultFonts: false,
  telemetry: false,
  agent: { disabled: true },
  mcp: { disabled: true },
  showDeveloperTools: "never",
} satisfies Parameters<typeof Scalar>[0];

/** The entry's wiring: `onQuery` sees every database statement (tests count round trips per request). */
export type AppOptions = BootstrapOptions;

export function createApp(options: AppOptions = {}) {
  const app = createRouter();

  app.use("*", requestIdentity());
  app.use("*", requestContext(options));
  app.use("*", shortcutSwitch());
  app.use("*", corsForTrustedOrigins());
  app.use("*", limitBody());

  app.route("/", healthRouter);
  app.route("/", configRouter);
  app.route("/", authRouter);
  app.route("/", chatRouter);
  app.route("/", chatsRouter);
  app.route("/", meRouter);
  app.route("/", billingRouter);
  app.route("/", webhooksRouter);
  app.route("/", lookoutsRouter);

  registerSecuritySchemes(app);
  // The document describes routes fixed at startup: built on its first request, then served as is
  // (building it takes several milliseconds of CPU).
  let document: string | undefined;
  app.get("/openapi.json", (c) => {
    document ??= JSON.stringify(
      app.getOpenAPI31Document({
        openapi: "3.1.0",
        info: {
          title: "Mylo API",
          version: "1.0.0",
          description: "Mylo, the AI travel concierge at the edge. Errors always use the `Error` envelope.",
        },
      }),
    );
    return c.body(document, 200, { "content-type": "application/json" });
  });
  app.get("/docs", Scalar(apiReferenceOptions));

  const allowedMethods = buildRouteIndex(app.routes);

  app.notFound((c) => {
    const methods = allowedMethods(c.req.path);
    if (methods.length > 0) {
      return toErrorResponse(
        c,
        new AppError("METHOD_NOT_ALLOWED", `${c.req.method} is not allowed here`, {
          headers: { Allow: methods.join(", ") },
          details: { allow: methods },
        }),
      );
    }
    return toErrorResponse(c, new AppError("NOT_FOUND", `No route for ${c.req.method} ${c.req.path}`));
  });
  app.onError((error, c) => toErrorResponse(c, error));

  return app;
}

export type App = ReturnType<typeof createApp>;

import { cloudflareTest } from "@cloudflare/vitest-plugin";
import { defineConfig } from "vitest/config";

// Closing a postgres.js client after a response leaves these harmless rejections behind.
const harmlessSocketErrors = [/Stream was cancelled/, /This socket has been closed/, /Network connection lost/];

export default defineConfig({
  plugins: [
    cloudflareTest(({ inject }) => ({
      // The real entry points with the test seams (test/support/worker.ts).
      main: "./test/support/worker.ts",
      wrangler: { configPath: "./wrangler.toml" },
      remoteBindings: false,
      miniflare: {
        hyperdrives: { HYPERDRIVE: inject("pgUrl") },
        bindings: {
          APP_ENV: "test",
          AI_PROVIDER: "offline",
          LOG_LEVEL: "warn",
          BETTER_AUTH_URL: "http://localhost:8787",
          BETTER_AUTH_SECRET: "test-secret-0123456789-0123456789-abcdef",
          TRUSTED_ORIGINS: "http://localhost:8787,https://app.mylo.test",
          TEST_DATABASE_URL: inject("pgUrl"),
          TEST_NEON_PROXY: inject("neonProxy"),
          TEST_FAULT_CONTROL: inject("faultControl"),
          // Billing: the Standard Webhooks test-vector secret, and the fixtures' Pro product ids.
          POLAR_WEBHOOK_SECRET: "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw",
          DODO_WEBHOOK_SECRET: "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw",
          POLAR_PRO_PRODUCT_IDS: "5a6b7c8d-9e0f-4a1b-8c2d-3e4f5a6b7c8d",
          DODO_PRO_PRODUCT_IDS: "pdt_mylo_pro_test",
        },
      },
    })),
  ],
  test: {
    globalSetup: ["./test/global-setup.ts"],
    include: ["test/**/*.test.ts"],
    testTimeout: 30_000,
    hookTimeout: 60_000,
    onUnhandledError(error) {
      const message = String((error as { message?: unknown })?.message ?? error);
      if (harmlessSocketErrors.some((pattern) => pattern.test(message))) return false;
    },
  },
});

import { cloudflareTest } from "@cloudflare/vitest-plugin";
import { defineConfig } from "vitest/config";

// Closing a postgres.js client after a response leaves these harmless rejections behind.
const harmlessSocketErrors = [/Stream was cancelled/, /This socket has been closed/, /Network connection lost/];

export default defineConfig({
  plugins: [
    cloudflareTest(({ inject }) => ({
      main: "./src/index.ts",
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

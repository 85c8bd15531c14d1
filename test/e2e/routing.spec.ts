import { expect, isForeign, test } from "./support";

test.describe("routing between the Worker and the page", () => {
  test.skip(({ isMobile }) => isMobile, "the same on every screen");

  test("API paths reach the Worker and other paths get the page", async ({ request }) => {
    for (const path of ["/api/nope", "/api/nope/deeper"]) {
      const response = await request.get(path);
      expect(response.status(), path).toBe(404);
      expect(response.headers()["content-type"], path).toContain("application/json");
      expect(response.headers()["x-request-id"], path).toBeTruthy();
      const body = (await response.json()) as { error?: { code?: string } };
      expect(body.error?.code, path).toBe("NOT_FOUND");
    }
    for (const path of ["/api/me", "/api/chats"]) {
      const response = await request.get(path);
      expect(response.status(), path).toBe(401);
      expect(response.headers()["content-type"], path).toContain("application/json");
      expect(response.headers()["x-request-id"], path).toBeTruthy();
    }

    const health = await request.get("/health");
    expect(health.status()).toBe(200);
    expect(health.headers()["x-request-id"]).toBeTruthy();
    expect(health.headers()["content-type"]).toContain("application/json");

    const ready = await request.get("/ready");
    expect(ready.status()).toBe(200);
    expect(ready.headers()["x-request-id"]).toBeTruthy();
    expect(((await ready.json()) as { status?: string }).status).toBe("ready");

    const openapi = await request.get("/openapi.json");
    expect(openapi.status()).toBe(200);
    expect(openapi.headers()["x-request-id"]).toBeTruthy();
    expect(((await openapi.json()) as { openapi?: string }).openapi).toBe("3.1.0");

    const docs = await request.get("/docs");
    expect(docs.status()).toBe(200);
    expect(docs.headers()["x-request-id"]).toBeTruthy();
    expect(docs.headers()["content-type"]).toContain("text/html");
    expect(await docs.text()).not.toContain('<div id="root">');

    for (const path of ["/some/page", "/chat/does-not-exist", "/lookouts/nope"]) {
      const page = await request.get(path);
      expect(page.status(), path).toBe(200);
      expect(page.headers()["content-type"], path).toContain("text/html");
      expect(await page.text(), path).toContain('<div id="root"></div>');
    }
  });

  test("an unknown page path shows the app's not-found page", async ({ page }) => {
    const response = await page.goto("/some/page");
    expect(response?.status()).toBe(200);
    await expect(page.locator("div#root")).not.toBeEmpty();
    await expect(page.getByRole("link", { name: "Mylo" }).first()).toBeVisible();
  });

  test("/docs loads the API reference from this origin only", async ({ page }) => {
    const requested: string[] = [];
    page.on("request", (request) => {
      requested.push(request.url());
    });
    const response = await page.goto("/docs");
    expect(response?.status()).toBe(200);
    await expect(page.getByText("Mylo API").first()).toBeVisible();
    // The reference keeps working after its first paint (fonts, the document, icons): give it time.
    await page.waitForTimeout(2000);
    expect(requested.filter(isForeign)).toEqual([]);
    expect(requested.length).toBeGreaterThan(1);
  });
});

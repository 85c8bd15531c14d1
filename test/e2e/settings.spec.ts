import { readFile } from "node:fs/promises";
import { expect, freshUser, signUp, submitSignIn, test } from "./support";

test("settings export the user's data and delete the account", async ({ page }) => {
  const user = await signUp(page, freshUser("settings"));
  await page.goto("/settings");

  const exportControl = page
    .getByRole("button", { name: "Export my data" })
    .or(page.getByRole("link", { name: "Export my data" }));
  const downloading = page.waitForEvent("download");
  await exportControl.click();
  const download = await downloading;
  const file = await download.path();
  const exported = await readFile(file, "utf8");
  expect(() => JSON.parse(exported), "the export is JSON").not.toThrow();
  expect(exported).toContain(user.email);
  expect(download.suggestedFilename()).toMatch(/\.json$/);

  await page.getByRole("button", { name: "Delete account" }).click();
  const dialog = page.getByRole("dialog", { name: "Delete account" });
  await expect(dialog).toBeVisible();
  const password = dialog.getByLabel("Password", { exact: true });
  if ((await password.count()) > 0) await password.fill(user.password);
  await dialog.getByRole("button", { name: "Yes, delete my account" }).click();
  await expect.poll(async () => (await page.request.get("/api/me")).status()).toBe(401);

  await page.goto("/settings");
  await page.waitForURL((url) => url.pathname === "/sign-in");

  await submitSignIn(page, user);
  await expect(page.getByRole("alert")).toBeVisible();
  await expect(page).toHaveURL(/\/sign-in/);
  expect((await page.request.get("/api/me")).status()).toBe(401);
});

import { expect, freshUser, makePro, signUp, test } from "./support";

test("lookouts are Pro only; a Pro user creates, pauses, resumes and runs one", async ({ page }) => {
  await signUp(page, freshUser("lookouts"));
  await page.goto("/lookouts");
  await expect(page.getByRole("heading", { name: "Lookouts are a Pro feature" })).toBeVisible();
  await expect(page.getByRole("button", { name: "New lookout" })).toHaveCount(0);

  await makePro(page.request);
  await page.reload();
  await expect(page.getByRole("heading", { name: "Lookouts are a Pro feature" })).toHaveCount(0);
  await page.getByRole("button", { name: "New lookout" }).click();

  const title = `Lisbon weekend watch ${Date.now()}`;
  await page.getByRole("textbox", { name: "Title" }).fill(title);
  await page
    .getByRole("textbox", { name: "Prompt" })
    .fill("What is on in Lisbon this weekend, and what will the weather be?");
  await page.getByRole("combobox", { name: "Frequency" }).selectOption({ label: "Daily" });
  await page.getByLabel("Time", { exact: true }).fill("08:30");
  const timeZone = page
    .getByRole("combobox", { name: "Time zone" })
    .or(page.getByRole("textbox", { name: "Time zone" }));
  await expect(timeZone).toHaveValue("Europe/Lisbon");
  await page.getByRole("button", { name: "Save lookout" }).click();
  await expect(page.getByRole("alert")).toHaveCount(0);

  await expect(page.getByText(title).first()).toBeVisible();
  await page.getByRole("button", { name: "Pause" }).click();
  await expect(page.getByRole("button", { name: "Resume" })).toBeVisible();
  await expect(page.getByRole("button", { name: "Pause" })).toHaveCount(0);
  await page.getByRole("button", { name: "Resume" }).click();
  await expect(page.getByRole("button", { name: "Pause" })).toBeVisible();

  const runs = page.waitForResponse(
    (response) =>
      /^\/api\/lookouts\/[^/]+\/run$/.test(new URL(response.url()).pathname) && response.request().method() === "POST",
  );
  await page.getByRole("button", { name: "Run now" }).click();
  const response = await runs;
  expect(response.status(), await response.text()).toBeLessThan(300);
  await page.waitForTimeout(500);
  await expect(page.getByRole("alert")).toHaveCount(0);
  await page.reload();
  await expect(page.getByText(title).first()).toBeVisible();
  await expect(page.getByRole("alert")).toHaveCount(0);
});

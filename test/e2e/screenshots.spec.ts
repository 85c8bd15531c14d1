import path from "node:path";
import { fileURLToPath } from "node:url";
import type { Page } from "@playwright/test";
import { chat, currentChatId, expect, signUp, test } from "./support";

const folder = path.join(path.dirname(fileURLToPath(import.meta.url)), "screenshots");

async function shoot(page: Page, project: string, name: string) {
  // Let fonts and transitions settle.
  await page.evaluate(() => document.fonts.ready.then(() => undefined));
  await page.waitForTimeout(300);
  await page.screenshot({ path: path.join(folder, `${project}-${name}.png`), fullPage: true });
}

test("screenshots of the main pages", async ({ page }, testInfo) => {
  const project = testInfo.project.name;
  await page.goto("/sign-in");
  await expect(page.getByRole("button", { name: "Sign in" })).toBeVisible();
  await shoot(page, project, "sign-in");

  await page.goto("/");
  await expect(page.getByRole("link", { name: /create an? account|sign up/i }).first()).toBeVisible();
  await shoot(page, project, "home-signed-out");

  await signUp(page);
  await page.goto("/");
  await expect(page.getByRole("textbox", { name: "Message" })).toBeVisible();
  await shoot(page, project, "home");

  await chat(page, "What's the weather in Lisbon?");
  await page.goto(`/chat/${await currentChatId(page)}`);
  await expect(page.getByRole("article", { name: "Mylo", exact: true })).toBeVisible();
  await shoot(page, project, "chat");

  await page.goto("/lookouts");
  await expect(page.getByRole("heading").first()).toBeVisible();
  await shoot(page, project, "lookouts");

  await page.goto("/settings");
  await expect(page.getByRole("button", { name: "Delete account" })).toBeVisible();
  await shoot(page, project, "settings");
});

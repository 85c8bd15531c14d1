import { chat, currentChatId, expect, expectNoHorizontalScroll, signUp, test } from "./support";

test("on a phone nothing scrolls sideways and the history is a drawer", async ({ page, isMobile }) => {
  test.skip(!isMobile, "phone layout only");
  await page.goto("/sign-in");
  await expect(page.getByRole("button", { name: "Sign in" })).toBeVisible();
  await expectNoHorizontalScroll(page, "/sign-in");

  await signUp(page);
  await page.goto("/");
  await expect(page.getByRole("textbox", { name: "Message" })).toBeVisible();
  await expectNoHorizontalScroll(page, "/");
  await chat(page, "Where should I eat in Lisbon on a Sunday night near the river?");
  const chatId = await currentChatId(page);
  await page.goto(`/chat/${chatId}`);
  await expect(page.getByRole("article", { name: "Mylo", exact: true })).toBeVisible();
  await expectNoHorizontalScroll(page, "/chat/:id");

  const chats = page.getByRole("navigation", { name: "Chats" });
  await expect(chats).toBeHidden();
  await page.getByRole("button", { name: "Open chat history" }).click();
  await expect(chats).toBeVisible();
  await expect(chats.getByRole("link")).not.toHaveCount(0);
  await expectNoHorizontalScroll(page, "/chat/:id with the drawer open");

  await page.goto("/lookouts");
  await expect(page.getByRole("heading", { name: "Lookouts are a Pro feature" })).toBeVisible();
  await expectNoHorizontalScroll(page, "/lookouts");

  await page.goto("/settings");
  await expect(page.getByRole("button", { name: "Delete account" })).toBeVisible();
  await expectNoHorizontalScroll(page, "/settings");
});

import {
  chat,
  composer,
  currentChatId,
  expect,
  expectNotFound,
  offlineSentence,
  replies,
  signUp,
  test,
  userMessages,
} from "./support";

test("a public chat opens read-only for anyone; a private one is not found", async ({ page, newContext }) => {
  await signUp(page);
  await page.goto("/");
  await chat(page, "Three days in Kyoto in April, please");
  const chatId = await currentChatId(page);

  // Private: neither a visitor without an account nor another user can read it.
  const visitor = await (await newContext()).newPage();
  await visitor.goto(`/chat/${chatId}`);
  await expectNotFound(visitor);

  const other = await (await newContext()).newPage();
  await signUp(other);
  await other.goto(`/chat/${chatId}`);
  await expectNotFound(other);

  // The owner makes it public and copies its link.
  await page.context().grantPermissions(["clipboard-read", "clipboard-write"]);
  await page.getByRole("button", { name: "Share" }).click();
  const dialog = page.getByRole("dialog");
  await expect(dialog).toBeVisible();
  const visibility = dialog.getByRole("switch", { name: "Public" });
  await expect(visibility).not.toBeChecked();
  await visibility.click();
  await expect(visibility).toBeChecked();
  await dialog.getByRole("button", { name: "Copy link" }).click();
  await expect(dialog.getByRole("alert")).toHaveCount(0);
  const link = await page.evaluate(() => navigator.clipboard.readText());
  expect(new URL(link).pathname).toBe(`/chat/${chatId}`);
  await page.keyboard.press("Escape");

  for (const reader of [visitor, other]) {
    await reader.goto(new URL(link).pathname);
    await expect(userMessages(reader)).toHaveCount(1);
    await expect(userMessages(reader).first()).toContainText("Three days in Kyoto in April");
    await expect(replies(reader)).toHaveCount(1);
    await expect(replies(reader).first()).toContainText(offlineSentence);
    await expect(reader.getByText("Read-only")).toBeVisible();
    await expect(composer(reader)).toHaveCount(0);
    await expect(reader.getByRole("alert")).toHaveCount(0);
  }

  // Private again: the link stops working.
  await page.getByRole("button", { name: "Share" }).click();
  await page.getByRole("dialog").getByRole("switch", { name: "Public" }).click();
  await expect(page.getByRole("dialog").getByRole("switch", { name: "Public" })).not.toBeChecked();
  await visitor.goto(`/chat/${chatId}`);
  await expectNotFound(visitor);
});

import { freeDailyMessages } from "./server-config.mjs";
import {
  composer,
  conversation,
  currentChatId,
  expect,
  occurrences,
  offlineSentence,
  replies,
  replyEnd,
  sendAndStop,
  sendMessage,
  signUp,
  stopButton,
  test,
  textOf,
  userMessages,
  waitForReplyDone,
} from "./support";

// A long question: the offline reply quotes it, so the reply streams for longer.
const longQuestion =
  "Plan four slow days in Porto in late spring: riverside walks, a port lodge, tiled churches, and one day trip by train.";

test("a reply streams, survives a reload in the middle, and is shown exactly once", async ({ page }) => {
  await signUp(page);
  await page.goto("/");
  await sendMessage(page, longQuestion);

  await expect(userMessages(page)).toHaveCount(1);
  await expect(userMessages(page).first()).toContainText("Plan four slow days in Porto");
  const reply = replies(page).last();
  await expect(stopButton(page)).toBeVisible();
  await expect(reply).toContainText("Mylo is");
  const chatId = await currentChatId(page);
  // Still streaming: the reply has not reached its end when the page is reloaded.
  await expect(stopButton(page)).toBeVisible();
  expect(await textOf(reply)).not.toMatch(replyEnd);

  await page.reload();
  expect(await currentChatId(page)).toBe(chatId);
  const resumed = await waitForReplyDone(page);
  await expect(replies(page)).toHaveCount(1);
  expect(occurrences(await textOf(resumed), offlineSentence)).toBe(1);
  expect(occurrences(await textOf(conversation(page)), offlineSentence)).toBe(1);
  await expect(userMessages(page)).toHaveCount(1);

  await page.reload();
  await expect(replies(page)).toHaveCount(1);
  await expect(replies(page).first()).toContainText(replyEnd);
  expect(occurrences(await textOf(conversation(page)), offlineSentence)).toBe(1);
  await expect(userMessages(page)).toHaveCount(1);
});

test("Stop keeps the partial answer, on screen and on the server", async ({ page }) => {
  await signUp(page);
  await page.goto("/");
  await sendMessage(page, longQuestion);
  const reply = replies(page).last();
  await expect(reply).toContainText(offlineSentence);
  await stopButton(page).click();
  await expect(stopButton(page)).toBeHidden();
  await expect(page.getByRole("button", { name: "Send" })).toBeVisible();

  const partial = await textOf(reply);
  expect(partial).toContain(offlineSentence);
  expect(partial, "Stop ended the reply before its end").not.toMatch(replyEnd);
  // Nothing more arrives after Stop.
  await page.waitForTimeout(1500);
  expect(await textOf(reply)).toBe(partial);

  await page.reload();
  await expect(replies(page)).toHaveCount(1);
  const saved = await textOf(replies(page).first());
  expect(saved, "the partial answer was saved").toContain(offlineSentence);
  expect(saved).not.toMatch(replyEnd);
  expect(saved.startsWith(partial.slice(0, 40)), `saved "${saved}" continues shown "${partial}"`).toBe(true);
  expect(occurrences(saved, offlineSentence)).toBe(1);
});

test("after Stop the next message can be sent at once", async ({ page }) => {
  await signUp(page);
  await page.goto("/");
  await sendMessage(page, longQuestion);
  await expect(replies(page).last()).toContainText(offlineSentence);
  await stopButton(page).click();
  await expect(page.getByRole("button", { name: "Send" })).toBeVisible();
  // As a traveller would: the composer is ready again, so the next question goes straight away.
  await sendMessage(page, "And what about a day trip to Sintra?");
  await expect(userMessages(page)).toHaveCount(2);
  await expect(replies(page)).toHaveCount(2);
  await expect(replies(page).last()).toContainText(offlineSentence);
  await expect(page.getByRole("alert")).toHaveCount(0);
  await waitForReplyDone(page);
  await expect(page.getByRole("alert")).toHaveCount(0);
});

test("a tool call shows as a card that reaches its done state", async ({ page }) => {
  await signUp(page);
  await page.goto("/");
  await sendMessage(page, "What's the weather in Lisbon?");
  const reply = replies(page).last();
  const card = reply.getByRole("group", { name: "Weather" });
  await expect(card).toBeVisible();
  const done = await waitForReplyDone(page);
  // The fake forecast's figures: the card shows the place and its days, the reply summarises them.
  await expect(card).toContainText("Lisbon");
  await expect(card).toContainText(/partly cloudy|light rain|clear sky|27\.5|28|16\.5|17/i);
  await expect(card).not.toHaveAttribute("aria-busy", "true");
  await expect(card.getByRole("alert")).toHaveCount(0);
  await expect(done).toContainText("23.4");
});

test("a used-up daily allowance says when it resets", async ({ page }) => {
  test.setTimeout(90_000);
  await signUp(page);
  const me = (await (await page.request.get("/api/me")).json()) as {
    usage: { messages: { used: number; limit: number | null } };
  };
  expect(me.usage.messages.limit).toBe(freeDailyMessages);
  const left = (me.usage.messages.limit ?? 0) - me.usage.messages.used;

  await page.goto("/");
  // Each message counts when it is sent: stopping its reply early keeps the test short.
  for (let sent = 0; sent < left; sent++) {
    await sendAndStop(page, `Short question number ${sent + 1}`);
    await expect(page.getByRole("alert")).toHaveCount(0);
  }
  await sendMessage(page, "One question too many");
  const alert = page.getByRole("alert").filter({ hasText: "resets" });
  await expect(alert).toBeVisible();
  await expect(composer(page)).toBeVisible();
});

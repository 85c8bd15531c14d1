import { useCallback } from "react";
import { mutate } from "swr";
import useSWRInfinite, { unstable_serialize } from "swr/infinite";
import { api } from "../lib/api";
import type { Chat, Page } from "../lib/types";

const key = (index: number, previous: Page<Chat> | null): [string, string | null] | null => {
  if (previous && !previous.nextCursor) return null;
  return ["chats", index === 0 ? null : (previous?.nextCursor ?? null)];
};

/** The signed-in user's chats, newest first, one keyset page at a time. */
export function useChats(enabled: boolean) {
  const result = useSWRInfinite<Page<Chat>>(enabled ? key : () => null, ([, cursor]: [string, string | null]) =>
    api.chats(cursor),
  );
  const pages = result.data ?? [];
  const chats = pages.flatMap((page) => page.items);
  const hasMore = pages.length > 0 && Boolean(pages.at(-1)?.nextCursor);
  const loadMore = useCallback(() => result.setSize((size) => size + 1), [result]);
  return { ...result, chats, hasMore, loadMore };
}

/** Reloads the history (a chat was created, renamed or deleted). */
export function refreshChats() {
  return mutate(unstable_serialize(key));
}

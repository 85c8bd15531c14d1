import { type FormEvent, useEffect, useRef, useState } from "react";
import { Link, useLocation, useRoute } from "wouter";
import { refreshChats, useChats } from "../hooks/use-chats";
import { api } from "../lib/api";
import type { Chat } from "../lib/types";
import { ErrorAlert } from "./alert";
import { PencilIcon, TrashIcon } from "./icons";
import { UserMenu } from "./user-menu";

function ChatItem({ chat, active, onError }: { chat: Chat; active: boolean; onError: (error: unknown) => void }) {
  const [, navigate] = useLocation();
  const [renaming, setRenaming] = useState(false);
  const [confirming, setConfirming] = useState(false);
  const [title, setTitle] = useState(chat.title);
  const save = async (event: FormEvent) => {
    event.preventDefault();
    const next = title.trim();
    setRenaming(false);
    if (!next || next === chat.title) return;
    try {
      await api.updateChat(chat.id, { title: next });
      await refreshChats();
    } catch (error) {
      onError(error);
    }
  };
  const remove = async () => {
    setConfirming(false);
    try {
      await api.deleteChat(chat.id);
      await refreshChats();
      if (active) navigate("/", { replace: true });
    } catch (error) {
      onError(error);
    }
  };
  if (confirming) {
    return (
      <li className="rounded-lg bg-muted px-2 py-1.5 text-sm">
        <p className="mb-1 truncate">Delete “{chat.title}” and its messages?</p>
        <div className="flex gap-1">
          <button type="button" className="btn-danger px-2 py-1 text-xs" onClick={remove}>
            Delete chat
          </button>
          <button type="button" className="btn px-2 py-1 text-xs" onClick={() => setConfirming(false)}>
            Cancel
          </button>
        </div>
      </li>
    );
  }
  if (renaming) {
    return (
      <li>
        <form onSubmit={save} className="flex gap-1 px-2 py-1">
          <label htmlFor={`rename-${chat.id}`} className="sr-only">
            New title
          </label>
          <input
            id={`rename-${chat.id}`}
            className="input py-1"
            value={title}
            maxLength={200}
            onChange={(event) => setTitle(event.target.value)}
            onKeyDown={(event) => event.key === "Escape" && setRenaming(false)}
            // biome-ignore lint/a11y/noAutofocus: the field appears because the traveller asked to rename
            autoFocus
          />
          <button type="submit" className="btn px-2 py-1 text-xs">
            Save
          </button>
        </form>
      </li>
    );
  }
  return (
    <li className={`group flex items-center rounded-lg ${active ? "bg-muted" : "hover:bg-muted"}`}>
      <Link
        href={`/chat/${chat.id}`}
        className="min-w-0 flex-1 truncate px-2 py-1.5 text-sm"
        aria-current={active ? "page" : undefined}
      >
        {chat.title}
      </Link>
      <button
        type="button"
        className="btn-ghost px-1.5 py-1 text-xs opacity-70 group-hover:opacity-100"
        aria-label={`Rename ${chat.title}`}
        onClick={() => {
          setTitle(chat.title);
          setRenaming(true);
        }}
      >
        <PencilIcon />
      </button>
      <button
        type="button"
        className="btn-ghost px-1.5 py-1 text-xs opacity-70 group-hover:opacity-100"
        aria-label={`Delete ${chat.title}`}
        onClick={() => setConfirming(true)}
      >
        <TrashIcon />
      </button>
    </li>
  );
}

/** The traveller's chats, newest first, loading the next keyset page as the list scrolls to its end. */
export function HistorySidebar() {
  const [, params] = useRoute("/chat/:id");
  const [, navigate] = useLocation();
  const { chats, hasMore, loadMore, isLoading, isValidating, error } = useChats(true);
  const [actionError, setActionError] = useState<unknown>(null);
  const sentinel = useRef<HTMLLIElement>(null);

  useEffect(() => {
    const element = sentinel.current;
    if (!element || !hasMore) return;
    const observer = new IntersectionObserver((entries) => {
      if (entries.some((entry) => entry.isIntersecting) && !isValidating) void loadMore();
    });
    observer.observe(element);
    return () => observer.disconnect();
  }, [hasMore, isValidating, loadMore]);

  return (
    <div className="flex h-full min-h-0 flex-col">
      <div className="p-2">
        <button type="button" className="btn w-full" onClick={() => navigate("/")}>
          New chat
        </button>
      </div>
      <nav aria-label="Chats" className="min-h-0 flex-1 overflow-y-auto px-2 pb-2">
        {error && <ErrorAlert error={error} />}
        <ErrorAlert error={actionError} onDismiss={() => setActionError(null)} />
        {isLoading && <p className="px-2 text-sm text-muted-foreground">Loading chats…</p>}
        {!isLoading && chats.length === 0 && !error && (
          <p className="px-2 text-sm text-muted-foreground">No chats yet. Ask Mylo anything to start one.</p>
        )}
        <ul className="space-y-0.5">
          {chats.map((chat) => (
            <ChatItem key={chat.id} chat={chat} active={params?.id === chat.id} onError={setActionError} />
          ))}
          {hasMore && (
            <li ref={sentinel}>
              <button type="button" className="btn-ghost w-full text-xs" onClick={() => void loadMore()}>
                Load more chats
              </button>
            </li>
          )}
        </ul>
      </nav>
      <div className="border-t border-border p-2 sm:hidden">
        <UserMenu compact />
      </div>
    </div>
  );
}

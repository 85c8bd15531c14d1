import { useEffect, useState } from "react";
import useSWR from "swr";
import { Link, useLocation } from "wouter";
import { ErrorAlert } from "../components/alert";
import { ChatHeader } from "../components/chat/chat-header";
import { Conversation } from "../components/chat/conversation";
import { LiveChat } from "../components/chat/live-chat";
import { api } from "../lib/api";
import { ApiError } from "../lib/api-error";
import { useSession } from "../lib/auth-client";
import { toUIMessage } from "../lib/messages";
import type { StoredMessage } from "../lib/types";
import { NotFound } from "./not-found";

/** New chats whose first message was sent: their id is now a real chat's. */
const startedDrafts = new Set<string>();

/** Every message of a chat, oldest first, following the keyset pages. */
async function loadMessages(id: string): Promise<StoredMessage[]> {
  const all: StoredMessage[] = [];
  let cursor: string | null = null;
  do {
    const page = await api.messages(id, cursor);
    all.push(...page.items);
    cursor = page.nextCursor;
  } while (cursor && all.length < 5000);
  return all;
}

function Pitch() {
  return (
    <div className="mx-auto max-w-xl space-y-5 px-4 py-12 text-center">
      <h1 className="text-3xl font-semibold">Mylo, your travel concierge</h1>
      <p className="text-muted-foreground">
        Ask about any trip and get a streamed answer drawing on live weather, currency rates, places and local time.
        Save and share conversations, and let lookouts watch prices and news for you on a schedule.
      </p>
      <div className="flex justify-center gap-3">
        <Link href="/sign-up" className="btn-primary">
          Create an account
        </Link>
        <Link href="/sign-in" className="btn">
          Sign in
        </Link>
      </div>
    </div>
  );
}

function Loading() {
  return (
    <p className="p-6 text-sm text-muted-foreground" aria-live="polite">
      Loading…
    </p>
  );
}

/** The header of a new chat once its first message made it a real chat. */
function NewChatHeader({ id }: { id: string }) {
  // Read when the reply has started (the live chat revalidates this key), not while it is being created.
  const chat = useSWR(["chat", id], () => api.chat(id), { revalidateOnMount: false });
  return chat.data ? <ChatHeader chat={chat.data} /> : null;
}

/** A saved chat: the owner's live conversation, or a read-only view of a public chat for anyone else. */
function SavedChat({ id }: { id: string }) {
  const chat = useSWR(["chat", id], () => api.chat(id));
  // Read afresh on every visit: useChat takes the messages once, so a cached copy could miss a reply.
  const [visit] = useState(() => crypto.randomUUID());
  const messages = useSWR(chat.data ? ["messages", id, visit] : null, () => loadMessages(id));
  const error = chat.error ?? messages.error;
  if (error instanceof ApiError && error.status === 404) return <NotFound what="chat" />;
  if (error) {
    return (
      <div className="p-6">
        <ErrorAlert error={error} />
      </div>
    );
  }
  if (!chat.data || !messages.data) return <Loading />;
  const initial = messages.data.map(toUIMessage);
  if (!chat.data.isOwner) {
    return (
      <div className="mx-auto flex h-full w-full max-w-3xl flex-col">
        <ChatHeader chat={chat.data} />
        <p className="mx-3 mt-3 rounded-lg bg-muted px-3 py-2 text-sm">
          Read-only: this chat was shared with you.{" "}
          <Link href="/" className="underline">
            Start your own chat
          </Link>
        </p>
        <Conversation messages={initial} streaming={false} />
      </div>
    );
  }
  return <LiveChat id={id} initialMessages={initial} resume header={<ChatHeader chat={chat.data} />} />;
}

export default function ChatRoute({ chatId }: { chatId?: string }) {
  const session = useSession();
  const [, navigate] = useLocation();
  const [draft, setDraft] = useState(() => crypto.randomUUID());

  // Back on "/" after a draft became a chat: the next new chat gets a new id.
  useEffect(() => {
    if (!chatId && startedDrafts.has(draft)) setDraft(crypto.randomUUID());
  }, [chatId, draft]);

  // A new chat keeps its live state when its address changes to /chat/:id after the first message.
  if (!chatId || (chatId === draft && startedDrafts.has(draft))) {
    if (session.isPending) return <Loading />;
    if (!session.data?.user) return <Pitch />;
    return (
      <LiveChat
        key={draft}
        id={draft}
        initialMessages={[]}
        resume={false}
        header={chatId === draft ? <NewChatHeader id={draft} /> : null}
        onStarted={() => {
          startedDrafts.add(draft);
          navigate(`/chat/${draft}`);
        }}
      />
    );
  }
  return <SavedChat key={chatId} id={chatId} />;
}

import { useState } from "react";
import type { Chat } from "../../lib/types";
import { ShareDialog } from "./share-dialog";

/** The chat's title and, for its owner, the share button. */
export function ChatHeader({ chat }: { chat: Chat }) {
  const [sharing, setSharing] = useState(false);
  return (
    <div className="flex items-center gap-2 border-b border-border px-3 py-2">
      <h1 className="min-w-0 flex-1 truncate font-medium">{chat.title}</h1>
      {chat.visibility === "public" && (
        <span className="rounded-full bg-muted px-2 py-0.5 text-xs text-muted-foreground">Public</span>
      )}
      {chat.isOwner && (
        <button type="button" className="btn" onClick={() => setSharing(true)}>
          Share
        </button>
      )}
      {sharing && <ShareDialog chatId={chat.id} onClose={() => setSharing(false)} />}
    </div>
  );
}

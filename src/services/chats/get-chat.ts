import { type ChatsContext, type ChatView, findReadableChat, toChatView } from "./chat-view";

export async function getChat({ ctx, input }: { ctx: ChatsContext; input: { chatId: string } }): Promise<ChatView> {
  return toChatView(await findReadableChat(ctx, input.chatId), ctx.userId);
}

export default function ChatRoute({ chatId }: { chatId?: string }) {
  return <p className="p-6">Chat {chatId}</p>;
}

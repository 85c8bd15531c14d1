export function HistorySidebar() {
  return <nav aria-label="Chats" />;
}

/** About four characters a token: close enough to keep a request within a model's context. */
export function estimateTokens(value: unknown): number {
  const text = typeof value === "string" ? value : (JSON.stringify(value) ?? "");
  return Math.ceil(text.length / 4);
}

interface HistoryEntry {
  role: string;
  parts: unknown[];
}

/**
 * The newest part of the history that fits `budget` estimated tokens together with `reservedTokens`
 * (the system prompt). Whole turns go, oldest first: a turn is a user message with the replies after
 * it, so the history still starts with a user message. The newest turn is always kept, even alone over
 * the budget, since it is what the reply answers.
 */
export function fitHistory<T extends HistoryEntry>(
  messages: readonly T[],
  { budget, reservedTokens = 0 }: { budget: number; reservedTokens?: number },
): T[] {
  const turnStarts: number[] = [];
  messages.forEach((entry, index) => {
    if (entry.role === "user" || index === 0) turnStarts.push(index);
  });
  if (turnStarts.length <= 1) return [...messages];
  const costOf = (from: number, to: number) =>
    messages.slice(from, to).reduce((sum, entry) => sum + estimateTokens(entry.parts), 0);

  let keptFrom = turnStarts[turnStarts.length - 1] ?? 0;
  let total = reservedTokens + costOf(keptFrom, messages.length);
  for (let turn = turnStarts.length - 2; turn >= 0; turn--) {
    const start = turnStarts[turn] ?? 0;
    const cost = costOf(start, keptFrom);
    if (total + cost > budget) break;
    total += cost;
    keptFrom = start;
  }
  return messages.slice(keptFrom);
}

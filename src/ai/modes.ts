export const chatModes = ["chat", "extreme"] as const;

export type ChatMode = (typeof chatModes)[number];

/** Steps (model calls, each possibly followed by tool runs) a reply may take, per mode. */
export const maxStepsByMode: Record<ChatMode, number> = { chat: 5, extreme: 10 };

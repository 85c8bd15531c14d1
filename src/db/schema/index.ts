export * from "./auth";
export * from "./billing";
export * from "./chats";
export * from "./features";
export * from "./lookout-runs";
export * from "./rate-limit";
export * from "./usage";
export * from "./webhook-events";

import { createWorker } from "./worker";

// Only entry points are exported here: the runtime treats every export of the main module as one.
export { ChatStream } from "./durable-objects/chat-stream.do";

export default createWorker();

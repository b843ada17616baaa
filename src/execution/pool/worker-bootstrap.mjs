// Workers start from plain JavaScript: register tsx's loader in this thread,
// then import the TypeScript entry named in workerData.
import { workerData } from "node:worker_threads";
import { register } from "tsx/esm/api";

register();
await import(workerData.entry);

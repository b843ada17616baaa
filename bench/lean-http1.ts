/**
 * A lean HTTP/1.1 load client, for the one case h2load cannot drive: CreateAction.
 * h2load sends one body again and again, and actiond refuses a second action of
 * the same name in an org (AlreadyExists: a unique constraint on the name; there
 * is no cap on actions per org); the org comes from a header, fixed too. So each
 * call here gets a fresh name: the request's bytes are built once with a
 * placeholder of digits, and each call writes its number over the placeholder in
 * a copy. Like `h2load --h1` it keeps one call in flight per keep-alive
 * connection, writes raw bytes on a socket and reads only the status line and
 * Content-Length, which keeps its CPU small next to the server's; it is reported
 * beside the figures. The answer's content is checked once, with fetch, before a run.
 */
import net from "node:net";
import type { LoadRun } from "./case-run.js";
import { percentile } from "./load.js";

/** `bytes` with every copy of `placeholder` (ASCII digits) replaced by `n`, zero-padded to its width. */
export function numbered(bytes: Buffer, placeholder: string): (n: number) => Buffer {
  const at: number[] = [];
  for (let i = bytes.indexOf(placeholder); i >= 0; i = bytes.indexOf(placeholder, i + 1)) at.push(i);
  if (at.length === 0) throw new Error(`numbered: no "${placeholder}" in the bytes`);
  return (n) => {
    const digits = String(n).padStart(placeholder.length, "0");
    if (digits.length > placeholder.length) throw new Error(`numbered: ${n} is wider than the placeholder`);
    const copy = Buffer.from(bytes);
    for (const i of at) copy.write(digits, i, "latin1");
    return copy;
  };
}

/** A raw HTTP/1.1 request. */
export function http1Request(method: string, port: number, path: string, headers: Record<string, string>, body: string): Buffer {
  const lines = [`${method} ${path} HTTP/1.1`, `Host: 127.0.0.1:${port}`, ...Object.entries(headers).map(([k, v]) => `${k}: ${v}`)];
  lines.push(`Content-Length: ${Buffer.byteLength(body)}`);
  return Buffer.from(`${lines.join("\r\n")}\r\n\r\n${body}`);
}

const headEnd = Buffer.from("\r\n\r\n");

/** Sends `request` on `socket` and resolves with the answer's status once its body (Content-Length) is in; 0 if the socket ends first. */
function exchange(socket: net.Socket, request: Buffer): Promise<number> {
  return new Promise((resolve) => {
    let got: Buffer = Buffer.alloc(0);
    const done = (status: number) => {
      socket.off("data", onData);
      socket.off("close", onClose);
      resolve(status);
    };
    const onData = (chunk: Buffer) => {
      got = got.length ? Buffer.concat([got, chunk]) : chunk;
      const end = got.indexOf(headEnd);
      if (end < 0) return;
      const length = /\r\ncontent-length: *(\d+)/i.exec(got.toString("latin1", 0, end));
      if (got.length >= end + 4 + Number(length?.[1] ?? 0)) done(Number(got.toString("latin1", 9, 12)));
    };
    const onClose = () => done(0);
    socket.on("data", onData);
    socket.once("close", onClose);
    socket.write(request);
  });
}

/** A count-based closed-loop run: `requests` calls over `connections` keep-alive connections, the i-th sending `request(i)`. */
export async function runLeanHttp1(port: number, connections: number, requests: number, request: (i: number) => Buffer): Promise<LoadRun> {
  const status = { "2xx": 0, "3xx": 0, "4xx": 0, "5xx": 0 };
  const latencies = new Float64Array(requests);
  let next = 0;
  let done = 0;
  const cpu0 = process.cpuUsage();
  const t0 = performance.now();
  const lane = async () => {
    const socket = net.connect(port, "127.0.0.1").setNoDelay(true);
    socket.on("error", () => {});
    await new Promise((resolve) => socket.once("connect", resolve).once("close", resolve));
    try {
      for (let i = next++; i < requests && !socket.destroyed; i = next++) {
        const t = performance.now();
        const code = await exchange(socket, request(i));
        if (code === 0) break;
        latencies[done++] = performance.now() - t;
        const group = `${Math.floor(code / 100)}xx`;
        if (group in status) status[group as keyof typeof status]++;
      }
    } finally {
      socket.destroy();
    }
  };
  await Promise.all(Array.from({ length: connections }, lane));
  const elapsedMs = performance.now() - t0;
  const cpu = process.cpuUsage(cpu0);
  const sorted = latencies.subarray(0, done).sort();
  return {
    requests,
    done,
    status,
    unanswered: requests - done,
    elapsedMs,
    rps: (done / elapsedMs) * 1_000,
    meanMs: sorted.reduce((a, b) => a + b, 0) / done,
    p50Ms: percentile(sorted, 0.5),
    p99Ms: percentile(sorted, 0.99),
    cpuSeconds: (cpu.user + cpu.system) / 1e6,
    inProcess: true,
  };
}

/** Structured log lines (one JSON object per line) on stderr. Never pass secrets. */
export type LogLevel = "debug" | "info" | "warn" | "error";

export interface Logger {
  debug(msg: string, fields?: Record<string, unknown>): void;
  info(msg: string, fields?: Record<string, unknown>): void;
  warn(msg: string, fields?: Record<string, unknown>): void;
  error(msg: string, fields?: Record<string, unknown>): void;
}

const rank: Record<LogLevel, number> = { debug: 10, info: 20, warn: 30, error: 40 };

export function createLogger(
  minLevel: LogLevel = "info",
  write: (line: string) => void = (line) => process.stderr.write(line + "\n"),
): Logger {
  const emit = (level: LogLevel) => (msg: string, fields?: Record<string, unknown>) => {
    if (rank[level] < rank[minLevel]) return;
    write(JSON.stringify({ time: new Date().toISOString(), level, msg, ...fields }, errorReplacer));
  };
  return { debug: emit("debug"), info: emit("info"), warn: emit("warn"), error: emit("error") };
}

function errorReplacer(_key: string, value: unknown): unknown {
  return value instanceof Error ? { name: value.name, message: value.message, stack: value.stack } : value;
}

export interface LineBuffer {
  line(line: string): void;
  /** Writes what is buffered now (on shutdown, and at exit). */
  flush(): void;
}

const maxBufferedChars = 64 * 1024;

/**
 * Joins the log lines of one event-loop turn into one write. A write to
 * stderr is a synchronous system call for a file or a pipe, and one per call
 * line cost the server about 5% of its main thread under load
 * (docs/benchmarks.md). A kill -9 can lose the lines of the current turn.
 */
export function lineBuffer(write: (text: string) => void): LineBuffer {
  let buffered = "";
  let scheduled: NodeJS.Immediate | undefined;
  const flush = () => {
    if (scheduled) clearImmediate(scheduled);
    scheduled = undefined;
    if (buffered === "") return;
    const text = buffered;
    buffered = "";
    write(text);
  };
  return {
    line(line) {
      buffered += line + "\n";
      if (buffered.length >= maxBufferedChars) flush();
      else scheduled ??= setImmediate(flush);
    },
    flush,
  };
}

import * as ngPackage from "@jitl/quickjs-ng-wasmfile-release-sync";
import {
  type CustomizeVariantOptions,
  newQuickJSWASMModuleFromVariant,
  newVariant,
  type QuickJSSyncVariant,
  type QuickJSWASMModule,
} from "quickjs-emscripten";

const MiB = 1024 * 1024;
const wasmPageBytes = 64 * 1024;
// The prebuilt module declares 16 MiB of initial memory; a smaller Memory is refused.
const initialBytes = 16 * MiB;

type WasmMemory = Extract<NonNullable<CustomizeVariantOptions["wasmMemory"]>, { buffer: unknown }>;
// The ES lib of this project declares no WebAssembly constructors.
const { Memory } = (globalThis as unknown as {
  WebAssembly: { Memory: new (descriptor: { initial: number; maximum: number }) => WasmMemory };
}).WebAssembly;

export interface SandboxModuleOptions {
  /** Hard cap of the module's WASM memory: every run in it together can never use more. */
  memoryCapBytes?: number;
  /** WASM memory never shrinks, so a module grown past this is replaced after its run. */
  recycleAboveBytes?: number;
  /** Another sync variant (the DEBUG_SYNC build for leak checks); quickjs-ng release by default. */
  variant?: QuickJSSyncVariant;
  /**
   * What the WASM module itself prints (Emscripten's print and printErr, such
   * as "Aborted(...)" when QuickJS fails an assertion) goes here instead of
   * to stdout and stderr, where it would land between the server's JSON log
   * lines. Scripts never print this way: their console goes to the run's logs.
   */
  onOutput?: (text: string) => void;
}

/** One QuickJS WASM module, meant to be owned by one thread and used by one run at a time. */
export interface SandboxModule {
  readonly quickjs: QuickJSWASMModule;
  readonly memoryCapBytes: number;
  readonly recycleAboveBytes: number;
  /** Set when a dispose threw or WASM failed mid-call: the module's state is in doubt. */
  tainted: boolean;
  taintReason?: string;
  runs: number;
}

export async function loadSandboxModule(options: SandboxModuleOptions = {}): Promise<SandboxModule> {
  const memoryCapBytes = Math.max(initialBytes, options.memoryCapBytes ?? 64 * MiB);
  const recycleAboveBytes = options.recycleAboveBytes ?? Math.max(initialBytes, memoryCapBytes / 2);
  // The prebuilt WASM imports its memory, whose own maximum is 2 GiB; this Memory is what caps it.
  const wasmMemory = new Memory({
    initial: initialBytes / wasmPageBytes,
    maximum: Math.floor(memoryCapBytes / wasmPageBytes),
  });
  // Emscripten reads print and printErr from the module object; the loader's type does not list them.
  const output = options.onOutput && ({ print: options.onOutput, printErr: options.onOutput } as CustomizeVariantOptions["emscriptenModule"]);
  const quickjs = await newQuickJSWASMModuleFromVariant(newVariant(options.variant ?? defaultVariant, { wasmMemory, emscriptenModule: output }));
  return { quickjs, memoryCapBytes, recycleAboveBytes, tainted: false, runs: 0 };
}

export function wasmMemoryBytes(module: SandboxModule): number {
  return module.quickjs.getWasmMemory().buffer.byteLength;
}

/** A retired module must not run again: it is tainted or has grown past its recycle threshold. */
export function isRetired(module: SandboxModule): boolean {
  return module.tainted || wasmMemoryBytes(module) > module.recycleAboveBytes;
}

export function markTainted(module: SandboxModule, reason: string): void {
  if (module.tainted) return;
  module.tainted = true;
  module.taintReason = reason;
}

// The package's types describe its CommonJS build while Node loads its ES build, so
// the two disagree on how deep `default` goes; unwrap until the variant itself.
const defaultVariant = unwrapVariant(ngPackage);

function unwrapVariant(value: unknown): QuickJSSyncVariant {
  let current = value;
  for (let depth = 0; depth < 3; depth++) {
    if (typeof current === "object" && current !== null && (current as { type?: unknown }).type === "sync") {
      return current as QuickJSSyncVariant;
    }
    current = (current as { default?: unknown } | null)?.default;
  }
  throw new Error("@jitl/quickjs-ng-wasmfile-release-sync did not export a sync variant");
}

let cached: SandboxModule | undefined;
let loading: Promise<SandboxModule> | undefined;
let cacheOptions: SandboxModuleOptions = {};

/**
 * This thread's module (every worker_thread has its own copy of this ES
 * module, hence its own cache). Resolves at once while the cached module is
 * healthy; after a retirement it resolves with the replacement, whose load
 * was started as soon as the old one retired.
 */
export function getSandboxModule(options?: SandboxModuleOptions): Promise<SandboxModule> {
  if (options) cacheOptions = options;
  if (cached && !isRetired(cached)) return Promise.resolve(cached);
  cached = undefined;
  return (loading ??= startLoading());
}

/** The cached module for a synchronous caller; throws when `getSandboxModule` has not resolved yet. */
export function currentSandboxModule(): SandboxModule {
  if (!cached || isRetired(cached)) {
    throw new Error("no sandbox module is ready in this thread: await getSandboxModule() before runAction");
  }
  return cached;
}

/** Called after every run: drops a retired cached module and preloads its replacement. */
export function recycleIfRetired(module: SandboxModule): void {
  if (module !== cached || !isRetired(module)) return;
  cached = undefined;
  loading ??= startLoading();
}

function startLoading(): Promise<SandboxModule> {
  const promise = loadSandboxModule(cacheOptions).then(
    (module) => {
      cached = module;
      loading = undefined;
      return module;
    },
    (error: unknown) => {
      loading = undefined;
      throw error;
    },
  );
  // A preload nobody awaits yet must not become an unhandled rejection; the next get retries.
  promise.catch(() => undefined);
  return promise;
}

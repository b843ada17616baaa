import type { QuickJSHandle } from "quickjs-emscripten";
import type { GuestEnv } from "./guest-env.js";
import type { JsonValue } from "./types.js";

/**
 * A guest value to build: a handle as is (a host function, a list), JSON
 * data, or an object of further values. JSON objects and arrays take one
 * guest `JSON.parse`; primitives and objects of values are made directly.
 */
export type GuestValue = { handle: QuickJSHandle } | { json: JsonValue } | { tree: Record<string, GuestValue> };

/** A property of a lazy object: a value at once, or one built on first access. */
export type LazyEntry = { value: QuickJSHandle } | { lazy: () => QuickJSHandle };

/** `{lazy: build}`, written as a call so tsx's keepNames does not wrap a named arrow on every run. */
export function lazy(build: () => QuickJSHandle): LazyEntry {
  return { lazy: build };
}

export function held(handle: QuickJSHandle): GuestValue {
  return { handle };
}

export function data(value: JsonValue): GuestValue {
  return { json: value };
}

export function object(entries: Record<string, GuestValue>): GuestValue {
  return { tree: entries };
}

/**
 * A fresh guest object whose lazy properties are accessors that build their
 * value on first access and return the same value afterwards. A trivial
 * action that never reads `ctx.v1` never pays for building it: a host
 * function costs a few µs, a JSON.parse call about ten.
 */
export function newLazyObject(env: GuestEnv, entries: Record<string, LazyEntry>): QuickJSHandle {
  const { vm } = env;
  const root = env.keep(vm.newObject());
  for (const [key, entry] of Object.entries(entries)) {
    if ("value" in entry) {
      vm.setProp(root, key, entry.value);
      continue;
    }
    let built: QuickJSHandle | undefined;
    const get = env.guard(key, () => {
      built ??= env.keep(entry.lazy());
      return built.dup();
    });
    vm.defineProp(root, key, { get: get as (this: QuickJSHandle) => QuickJSHandle, enumerable: true, configurable: true });
  }
  return root;
}

/**
 * Builds a guest value; the handle belongs to the run. Properties are
 * defined, not assigned, so a setter the script put on a prototype never
 * runs; safe after user code ran. (Defined properties are read-only.)
 */
export function build(env: GuestEnv, value: GuestValue): QuickJSHandle {
  if ("handle" in value) return value.handle;
  if ("json" in value) return env.keep(jsonValue(env, value.json));
  const object = env.keep(env.vm.newObject());
  for (const [key, child] of Object.entries(value.tree)) {
    env.vm.defineProp(object, key, { value: build(env, child), enumerable: true, configurable: true });
  }
  return object;
}

/** Defines `name` on each element of a guest list, e.g. a getter per grant; `make` gets the element's index. */
export function defineOnEach(env: GuestEnv, list: QuickJSHandle, count: number, name: string, make: (index: number) => QuickJSHandle): void {
  for (let i = 0; i < count; i++) {
    const element = env.ops.get(list, i);
    try {
      env.vm.defineProp(element, name, { value: make(i), enumerable: true, configurable: true });
    } finally {
      element.dispose();
    }
  }
}

function jsonValue(env: GuestEnv, value: JsonValue): QuickJSHandle {
  const { vm } = env;
  switch (typeof value) {
    case "string":
      return vm.newString(value);
    case "number":
      return vm.newNumber(value);
    case "boolean":
      return value ? vm.true.dup() : vm.false.dup();
    default:
      return value === null ? vm.null.dup() : env.ops.parse(JSON.stringify(value));
  }
}

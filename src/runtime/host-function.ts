import type { QuickJSContext, QuickJSHandle, VmCallResult } from "quickjs-emscripten";
import { ApiError, GuestThrow } from "./guest-errors.js";

export type HostImpl = (this: QuickJSHandle, ...args: QuickJSHandle[]) => QuickJSHandle | undefined;
type HostCallback = (this: QuickJSHandle, ...args: QuickJSHandle[]) => VmCallResult<QuickJSHandle> | QuickJSHandle | undefined;

/**
 * Wraps host code called by the guest. `ApiError` becomes a guest error with
 * its message, `GuestThrow` is rethrown as is (an interrupt stays
 * uncatchable), and anything else is a host bug or a broken WASM call: it is
 * reported to `onInternalError` (which taints the module) and the guest sees
 * only "internal error". A returned handle must be owned; it is disposed after the call.
 */
export function guardHostCall(vm: QuickJSContext, name: string, impl: HostImpl, onInternalError: (error: unknown) => void): HostCallback {
  return function (this: QuickJSHandle, ...args: QuickJSHandle[]) {
    try {
      return impl.apply(this, args);
    } catch (error) {
      if (error instanceof GuestThrow) return { error: error.handle };
      if (error instanceof ApiError) return { error: newGuestError(vm, error.errorName, error.message) };
      onInternalError(error);
      return { error: newGuestError(vm, "InternalError", `internal error in ${name}`) };
    }
  };
}

export function newHostFunction(vm: QuickJSContext, name: string, impl: HostImpl, onInternalError: (error: unknown) => void): QuickJSHandle {
  return vm.newFunction(name, guardHostCall(vm, name, impl, onInternalError));
}

/** An Error whose message (and name, when not "Error") are non-enumerable own properties, as `new Error()` makes them. */
function newGuestError(vm: QuickJSContext, name: string, message: string): QuickJSHandle {
  const error = vm.newError();
  for (const [key, value] of name === "Error" ? [["message", message]] : [["message", message], ["name", name]]) {
    const text = vm.newString(value as string);
    vm.defineProp(error, key as string, { value: text, configurable: true });
    text.dispose();
  }
  return error;
}

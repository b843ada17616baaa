import { type FormEvent, useEffect, useRef, useState } from "react";
import { type ApiError, fieldError } from "../api/api-error.js";

/** Where the API's answer to a SetSecret belongs: a name or value violation, or the org's limit, which a new name meets. */
export function secretFieldErrors(error: ApiError | undefined): { name?: string; value?: string } {
  const value = fieldError(error, "value");
  const name = fieldError(error, "name") ?? (error?.code === "ResourceExhausted" ? error.message : undefined);
  return { name, value };
}

interface SetSecretFormProps {
  error: ApiError | undefined;
  busy: boolean;
  /** A name chosen in the list to replace: fills the name and moves to the value. */
  replacing: { name: string } | undefined;
  onSet(name: string, value: string): Promise<boolean>;
}

/**
 * Name and value of a secret to create or replace. The value field is
 * uncontrolled: React would mirror a controlled value into the element's
 * `value` attribute, and so into the page's HTML. It is emptied once the
 * server has the value, which is then never shown again.
 */
export function SetSecretForm({ error, busy, replacing, onSet }: SetSecretFormProps) {
  const [name, setName] = useState("");
  const valueInput = useRef<HTMLInputElement>(null);
  const { name: nameError, value: valueError } = secretFieldErrors(error);

  useEffect(() => {
    if (!replacing) return;
    setName(replacing.name);
    valueInput.current?.focus();
  }, [replacing]);

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    const input = valueInput.current!;
    if (await onSet(name, input.value)) {
      input.value = "";
      setName("");
    }
  };

  return (
    <form className="create" aria-labelledby="set-secret-heading" onSubmit={submit}>
      <h2 id="set-secret-heading">Set a secret</h2>
      <p className="help">A new name creates the secret, an existing one replaces its value. Scripts read it with require("actiond/secrets").get(name).</p>
      <div className="row">
        <div className="field">
          <label htmlFor="secret-name">Name</label>
          <input
            id="secret-name"
            value={name}
            autoCapitalize="characters"
            spellCheck={false}
            aria-required
            aria-invalid={nameError ? true : undefined}
            aria-describedby={nameError ? "secret-name-error" : "secret-name-help"}
            onChange={(e) => setName(e.target.value)}
          />
          <span id="secret-name-help" className="help">
            A–Z first, then A–Z, 0–9 or _ (64 at most)
          </span>
          {nameError && (
            <span id="secret-name-error" className="field-error">
              {nameError}
            </span>
          )}
        </div>
        <div className="field">
          <label htmlFor="secret-value">Value (shown never again)</label>
          <input
            id="secret-value"
            ref={valueInput}
            type="password"
            autoComplete="off"
            aria-required
            aria-invalid={valueError ? true : undefined}
            aria-describedby={valueError ? "secret-value-error" : undefined}
          />
          {valueError && (
            <span id="secret-value-error" className="field-error">
              {valueError}
            </span>
          )}
        </div>
      </div>
      <button type="submit" className="primary" disabled={busy}>
        Save secret
      </button>
    </form>
  );
}

import { type FormEvent, useState } from "react";
import { FailurePolicy, PayloadType, type ZitadelTarget } from "../../../gen/actiond/v1/zitadel_target_pb.js";
import { type ApiError, fieldError } from "../api/api-error.js";
import { api } from "../api/clients.js";
import { formatTimestamp } from "../api/format.js";
import { useLoad } from "../api/use-load.js";
import { ErrorBanner } from "../components/error-banner.js";
import { useChange } from "../api/use-change.js";
import { ConfirmDelete } from "../components/confirm-delete.js";
import { SelectField } from "../components/select-field.js";

const payloadTypes: [PayloadType, string][] = [
  [PayloadType.JSON, "JSON (ZITADEL-Signature)"],
  [PayloadType.JWT, "JWT"],
  [PayloadType.JWE, "JWE"],
];
const failurePolicies: [FailurePolicy, string][] = [
  [FailurePolicy.FORWARD_403, "forward 403"],
  [FailurePolicy.SERVER_ERROR, "server error"],
];
const payloadText = (t: PayloadType) => payloadTypes.find(([p]) => p === t)?.[1] ?? "JSON (ZITADEL-Signature)";

/**
 * The instance's ZITADEL targets (docs/zitadel-v2-target.md): list, create,
 * rotate signing keys (add the new one, then remove the old), delete. A
 * signing key is entered once, in a password field cleared after use: the
 * API never answers it, only its id.
 */
export function ZitadelTargetsPage() {
  const list = useLoad(() => api.zitadelTargets.listZitadelTargets({ limit: 1000 }), []);
  const { error, status, change: write } = useChange();
  const change = (call: () => Promise<unknown>, done: string) => write(call, done, list.reload);

  return (
    <>
      <h1>ZITADEL targets</h1>
      <p className="help">Endpoints ZITADEL Actions v2 calls; each runs an org's v1 flows.</p>
      <ErrorBanner error={list.error ?? error} />
      <p role="status" className="status">
        {status}
      </p>
      <CreateTarget error={error} onCreate={(body) => change(() => api.zitadelTargets.createZitadelTarget(body), `Created ${body.name}.`)} />
      {list.data?.result.map((t) => <TargetCard key={t.id} target={t} change={change} />)}
    </>
  );
}

interface CreateBody {
  name: string;
  payloadType: PayloadType;
  orgId: string;
  issuer: string;
  failurePolicy: FailurePolicy;
  signingKeys: string[];
}

function CreateTarget({ error, onCreate }: { error: ApiError | undefined; onCreate(body: CreateBody): Promise<boolean> }) {
  const [body, setBody] = useState<CreateBody>({ name: "", payloadType: PayloadType.JSON, orgId: "", issuer: "", failurePolicy: FailurePolicy.FORWARD_403, signingKeys: [] });
  const [key, setKey] = useState("");
  const set = (patch: Partial<CreateBody>) => setBody((b) => ({ ...b, ...patch }));
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    const created = await onCreate({ ...body, signingKeys: key ? [key] : [] });
    setKey("");
    if (created) set({ name: "", orgId: "", issuer: "" });
  };
  const fieldMessage = (field: string) => {
    const message = fieldError(error, field);
    return message && <span className="field-error">{message}</span>;
  };
  return (
    <form className="create" aria-labelledby="create-target-heading" onSubmit={submit}>
      <h2 id="create-target-heading">Create a target</h2>
      <div className="row">
        <label>
          Name
          <input value={body.name} onChange={(e) => set({ name: e.target.value })} aria-required />
          {fieldMessage("name")}
        </label>
        <SelectField label="Payload type" value={String(body.payloadType)} options={payloadTypes.map(([v, text]) => [String(v), text] as const)} onChange={(v) => set({ payloadType: Number(v) })} />
        <label>
          Org ID (empty: the payload's org)
          <input value={body.orgId} onChange={(e) => set({ orgId: e.target.value })} />
          {fieldMessage("orgId")}
        </label>
        <label>
          Issuer (JWT, JWE)
          <input value={body.issuer} onChange={(e) => set({ issuer: e.target.value })} placeholder="https://…" />
          {fieldMessage("issuer")}
        </label>
        <SelectField label="On failure" value={String(body.failurePolicy)} options={failurePolicies.map(([v, text]) => [String(v), text] as const)} onChange={(v) => set({ failurePolicy: Number(v) })} />
        <label>
          Signing key (from ZITADEL; shown never again)
          <input type="password" autoComplete="off" value={key} onChange={(e) => setKey(e.target.value)} />
          {fieldMessage("signingKeys")}
        </label>
      </div>
      <button type="submit" className="primary">
        Create target
      </button>
    </form>
  );
}

function TargetCard({ target: t, change }: { target: ZitadelTarget; change(call: () => Promise<unknown>, done: string): Promise<boolean> }) {
  const [key, setKey] = useState("");
  const [confirmDelete, setConfirmDelete] = useState(false);
  const headingId = `target-${t.id}`;
  return (
    <section className="target" aria-labelledby={headingId}>
      <h2 id={headingId}>{t.name}</h2>
      <dl className="facts">
        <dt>Endpoint</dt>
        <dd>
          <code>{t.endpointPath}</code>
        </dd>
        <dt>Payload</dt>
        <dd>{payloadText(t.payloadType)}</dd>
        <dt>Org</dt>
        <dd>{t.orgId || "the payload's org"}</dd>
        {t.issuer && (
          <>
            <dt>Issuer</dt>
            <dd>{t.issuer}</dd>
          </>
        )}
      </dl>
      {t.publicKeyPem && (
        <details>
          <summary>Public key for ZITADEL (JWE)</summary>
          <pre tabIndex={0}>{t.publicKeyPem}</pre>
        </details>
      )}
      <h3>Signing keys</h3>
      {t.signingKeys.length === 0 && <p>None.</p>}
      <ul className="keys">
        {t.signingKeys.map((k) => (
          <li key={k.id}>
            Key <code>{k.id}</code>, added {formatTimestamp(k.creationDate)}
            <button type="button" aria-label={`Remove key ${k.id} of ${t.name}`} onClick={() => change(() => api.zitadelTargets.removeZitadelTargetKey({ id: t.id, keyId: k.id }), "Key removed.")}>
              Remove
            </button>
          </li>
        ))}
      </ul>
      <form
        className="row"
        onSubmit={async (e) => {
          e.preventDefault();
          await change(() => api.zitadelTargets.addZitadelTargetKey({ id: t.id, signingKeys: [key] }), "Key added: remove the old one once ZITADEL signs with the new.");
          setKey("");
        }}
      >
        <label>
          New signing key for {t.name}
          <input type="password" autoComplete="off" value={key} onChange={(e) => setKey(e.target.value)} />
        </label>
        <button type="submit" disabled={!key}>
          Add key
        </button>
      </form>
      {!confirmDelete ? (
        <button type="button" className="danger" onClick={() => setConfirmDelete(true)}>
          Delete target
        </button>
      ) : (
        <ConfirmDelete
          id={`${headingId}-confirm`}
          text={`Delete ${t.name}? ZITADEL's calls to it are refused from then on.`}
          onDelete={() => change(() => api.zitadelTargets.deleteZitadelTarget({ id: t.id }), `Deleted ${t.name}.`)}
          onCancel={() => setConfirmDelete(false)}
        />
      )}
    </section>
  );
}

/** A labelled select over `[value, text]` options; values are strings, as the DOM gives them back. */
export function SelectField({ label, value, options, onChange }: { label: string; value: string; options: readonly (readonly [string, string])[]; onChange(value: string): void }) {
  return (
    <label>
      {label}
      <select value={value} onChange={(e) => onChange(e.target.value)}>
        {options.map(([v, text]) => (
          <option key={v} value={v}>
            {text}
          </option>
        ))}
      </select>
    </label>
  );
}

/** Flow or trigger types as options: their localized names, or their ids when they have none. */
export function typeOptions(types: readonly { id: string; name?: { localizedMessage: string } }[] | undefined): [string, string][] {
  return (types ?? []).map((t) => [t.id, t.name?.localizedMessage || t.id]);
}

/** A labelled text input (or a text area with `rows`), the building block of the portal's forms. */
export function TextField({
  label,
  value,
  onChange,
  placeholder,
  type = "text",
  required = false,
  grow = true,
  rows,
  disabled,
  maxLength,
}: {
  label: string;
  value: string;
  onChange(v: string): void;
  placeholder?: string;
  type?: string;
  required?: boolean;
  grow?: boolean;
  rows?: number;
  disabled?: boolean;
  maxLength?: number;
}) {
  const common = { className: "input", value, placeholder, required, disabled, maxLength, spellCheck: false };
  return (
    // biome-ignore lint/a11y/noLabelWithoutControl: the input or text area below is inside the label.
    <label className={grow ? "field field-grow" : "field"}>
      <span className="field-label">{label}</span>
      {rows ? (
        <textarea {...common} rows={rows} onChange={(e) => onChange(e.target.value)} />
      ) : (
        <input
          {...common}
          type={type}
          step={type === "number" ? "any" : undefined}
          onChange={(e) => onChange(e.target.value)}
        />
      )}
    </label>
  );
}

/** `"a, b; c"` → `["a", "b", "c"]`: a list typed on one line (commas or semicolons). */
export function splitList(text: string): string[] {
  return text
    .split(/[;,]/)
    .map((t) => t.trim())
    .filter((t) => t !== "");
}

/** A labelled choice among named things (sites, telescopes, datasets), with an optional "none" first. */
export function PickField({
  label,
  value,
  onChange,
  items,
  none,
  grow = true,
}: {
  label: string;
  value: string;
  onChange(id: string): void;
  items: readonly { id: string; name: string }[];
  /** Text of the empty choice; without it there is none. */
  none?: string;
  grow?: boolean;
}) {
  return (
    <label className={grow ? "field field-grow" : "field"}>
      <span className="field-label">{label}</span>
      <select className="input" value={value} onChange={(e) => onChange(e.target.value)}>
        {none !== undefined ? <option value="">{none}</option> : null}
        {items.map((t) => (
          <option key={t.id} value={t.id}>
            {t.name}
          </option>
        ))}
      </select>
    </label>
  );
}

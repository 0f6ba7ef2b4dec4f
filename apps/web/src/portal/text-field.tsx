/** A labelled text input, the building block of the portal's forms. */
export function TextField({
  label,
  value,
  onChange,
  placeholder,
  type = "text",
  required = false,
  grow = true,
}: {
  label: string;
  value: string;
  onChange(v: string): void;
  placeholder?: string;
  type?: string;
  required?: boolean;
  grow?: boolean;
}) {
  return (
    <label className={grow ? "field field-grow" : "field"}>
      <span className="field-label">{label}</span>
      <input
        className="input"
        type={type}
        value={value}
        placeholder={placeholder}
        required={required}
        step={type === "number" ? "any" : undefined}
        spellCheck={false}
        onChange={(e) => onChange(e.target.value)}
      />
    </label>
  );
}

/** The site field: free text (`lat,lon,elev` or a name) with the sites you can pick from suggested. */
import { useEffect, useId, useState } from "react";
import { fetchSites, type SiteChoice } from "./plan-api.js";

export function SiteInput({ value, onChange }: { value: string; onChange(value: string): void }) {
  const listId = useId();
  const [sites, setSites] = useState<SiteChoice[]>([]);
  useEffect(() => {
    fetchSites().then(setSites, () => setSites([]));
  }, []);
  return (
    <label className="field field-grow">
      <span className="field-label">Site</span>
      <input
        className="input"
        list={listId}
        value={value}
        onChange={(e) => onChange(e.target.value)}
        placeholder="lat,lon,elev or a site name"
      />
      <datalist id={listId}>
        {sites.map((s) => (
          <option key={`${s.source}-${s.key}`} value={s.key}>
            {`${s.name} (${s.source === "database" ? "portal" : "observatory"}, ${s.latitude.toFixed(2)}°, ${s.longitude.toFixed(2)}°)`}
          </option>
        ))}
      </datalist>
    </label>
  );
}

/**
 * Satellite check: which satellites cross a field of view during an exposure. The field is drawn
 * on a small sky chart with each crossing's track; the list gives entry and exit, angular rate,
 * range, whether the satellite is sunlit, and the element set used with its age (old sets flagged).
 * Element sets come from the server's catalogue, pasted TLE/OMM text, or a URL the server fetches.
 */
import { type FormEvent, useEffect, useState } from "react";
import { isApiError } from "../api-error.js";
import { ErrorAlert } from "../components/error-alert.js";
import { hhmmss } from "../plan/chart-scale.js";
import { FieldChart } from "../plan/field-chart.js";
import {
  addToCatalogue,
  type CatalogueInfo,
  type Field,
  fetchCatalogueInfo,
  fetchSatcheck,
  type Pointing,
  type SatcheckRequest,
  type SatcheckResponse,
} from "../plan/plan-api.js";
import "../plan/plan.css";
import { SiteInput } from "../plan/site-input.js";
import { useLocation } from "../router.js";
import { useSignedIn } from "../session.js";

interface FormState {
  site: string;
  mode: "radec" | "altaz";
  ra: string;
  dec: string;
  alt: string;
  az: string;
  shape: "circle" | "rectangle";
  radius: string;
  width: string;
  height: string;
  pa: string;
  start: string;
  duration: string;
  source: "catalogue" | "text" | "url";
  text: string;
  url: string;
  sunlitOnly: boolean;
  maxAge: string;
}

function initial(search: URLSearchParams): FormState {
  const g = (k: string, d = "") => search.get(k) ?? d;
  return {
    site: g("site", "-30.2407,-70.7366,2715"),
    mode: g("alt") ? "altaz" : "radec",
    ra: g("ra", "20:00:00"),
    dec: g("dec", "-10"),
    alt: g("alt", "60"),
    az: g("az", "180"),
    shape: g("width") ? "rectangle" : "circle",
    radius: g("radius", "1"),
    width: g("width", "1.2"),
    height: g("height", "0.8"),
    pa: g("pa", "0"),
    start: g("start", new Date(Math.floor(Date.now() / 60000) * 60000).toISOString().replace(".000Z", "Z")),
    duration: g("duration", "600"),
    source: (g("source", "catalogue") as FormState["source"]) ?? "catalogue",
    text: "",
    url: g("url"),
    sunlitOnly: g("sunlitOnly") === "true",
    maxAge: g("maxAge", "3"),
  };
}

function num(text: string): number {
  return Number(text.trim());
}

function toRequest(f: FormState): SatcheckRequest {
  const pointing: Pointing =
    f.mode === "radec"
      ? {
          ra: /^[\d.]+$/.test(f.ra.trim()) ? num(f.ra) : f.ra.trim(),
          dec: /^[+-]?[\d.]+$/.test(f.dec.trim()) ? num(f.dec) : f.dec.trim(),
        }
      : { alt: num(f.alt), az: num(f.az) };
  const field: Field =
    f.shape === "circle"
      ? { radius: num(f.radius) }
      : { width: num(f.width), height: num(f.height), pa: num(f.pa) || 0 };
  return {
    site: f.site.trim(),
    pointing,
    field,
    start: f.start.trim(),
    duration: num(f.duration),
    elements:
      f.source === "text"
        ? { text: f.text }
        : f.source === "url"
          ? { url: f.url.trim() }
          : { catalogue: true },
    ...(f.sunlitOnly ? { sunlitOnly: true } : {}),
    ...(f.maxAge.trim() ? { maxAgeDays: num(f.maxAge) } : {}),
  };
}

/** Field centre for the chart in degrees (sexagesimal RA is hours). */
function centreOf(req: SatcheckRequest): { lon: number; lat: number } {
  const p = req.pointing;
  if ("alt" in p) return { lon: p.az, lat: p.alt };
  if (typeof p.ra === "number" && typeof p.dec === "number") return { lon: p.ra, lat: p.dec };
  // Sexagesimal RA is hours: 12:30:00 → 187.5°.
  const parts = (s: string) =>
    s
      .split(/[:\s hmsd°'"]+/)
      .filter(Boolean)
      .map(Number);
  const [h = 0, m = 0, s = 0] = parts(String(p.ra));
  const dp = parts(String(p.dec).replace(/^[+-]/, ""));
  const sign = String(p.dec).trim().startsWith("-") ? -1 : 1;
  return {
    lon: (h + m / 60 + s / 3600) * 15,
    lat: sign * ((dp[0] ?? 0) + (dp[1] ?? 0) / 60 + (dp[2] ?? 0) / 3600),
  };
}

export function SatcheckPage() {
  const { csrfToken, expired } = useSignedIn();
  const { search } = useLocation();
  const [form, setForm] = useState<FormState>(() => initial(search));
  const [result, setResult] = useState<{ req: SatcheckRequest; res: SatcheckResponse } | null>(null);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const [catalogue, setCatalogue] = useState<CatalogueInfo | null>(null);
  const [added, setAdded] = useState<string | null>(null);

  useEffect(() => {
    fetchCatalogueInfo().then(setCatalogue, () => setCatalogue(null));
  }, []);

  async function addSets(): Promise<void> {
    setBusy(true);
    setError(null);
    try {
      const r = await addToCatalogue(
        csrfToken,
        form.source === "url" ? { url: form.url.trim() } : { text: form.text },
      );
      setAdded(
        `${r.added} element set${r.added === 1 ? "" : "s"} added${r.problems.length ? `, ${r.problems.length} skipped` : ""}`,
      );
      setCatalogue(await fetchCatalogueInfo());
    } catch (err) {
      if (isApiError(err, "UNAUTHENTICATED")) expired();
      else setError(err);
    } finally {
      setBusy(false);
    }
  }
  const set =
    <K extends keyof FormState>(k: K) =>
    (e: { target: { value: string } }) =>
      setForm({ ...form, [k]: e.target.value as FormState[K] });

  async function submit(event: FormEvent<HTMLFormElement>): Promise<void> {
    event.preventDefault();
    setBusy(true);
    setError(null);
    const req = toRequest(form);
    try {
      setResult({ req, res: await fetchSatcheck(csrfToken, req) });
    } catch (err) {
      if (isApiError(err, "UNAUTHENTICATED")) expired();
      else setError(err);
    } finally {
      setBusy(false);
    }
  }

  return (
    <section className="page">
      <header className="page-header">
        <h1>Satellite check</h1>
        <p className="muted">
          Which satellites cross your field during an exposure: topocentric positions from SGP4, coarse to
          fine search, the element set used and its age. Times are UTC.
        </p>
      </header>
      <form className="card form" onSubmit={(e) => void submit(e)} aria-label="Check an exposure">
        <div className="form-row">
          <SiteInput value={form.site} onChange={(site) => setForm({ ...form, site })} />
          <label className="field field-grow">
            <span className="field-label">Exposure start (UTC)</span>
            <input className="input" value={form.start} onChange={set("start")} />
          </label>
          <label className="field">
            <span className="field-label">Duration (s)</span>
            <input className="input" inputMode="decimal" value={form.duration} onChange={set("duration")} />
          </label>
        </div>
        <div className="form-row">
          <label className="field">
            <span className="field-label">Pointing</span>
            <select className="input" value={form.mode} onChange={set("mode")}>
              <option value="radec">RA / Dec (tracking)</option>
              <option value="altaz">Alt / Az (parked)</option>
            </select>
          </label>
          {form.mode === "radec" ? (
            <>
              <label className="field">
                <span className="field-label">RA (h:m:s or °)</span>
                <input className="input" value={form.ra} onChange={set("ra")} />
              </label>
              <label className="field">
                <span className="field-label">Dec (°)</span>
                <input className="input" value={form.dec} onChange={set("dec")} />
              </label>
            </>
          ) : (
            <>
              <label className="field">
                <span className="field-label">Altitude (°)</span>
                <input className="input" value={form.alt} onChange={set("alt")} />
              </label>
              <label className="field">
                <span className="field-label">Azimuth (°)</span>
                <input className="input" value={form.az} onChange={set("az")} />
              </label>
            </>
          )}
          <label className="field">
            <span className="field-label">Field</span>
            <select className="input" value={form.shape} onChange={set("shape")}>
              <option value="circle">circle</option>
              <option value="rectangle">rectangle</option>
            </select>
          </label>
          {form.shape === "circle" ? (
            <label className="field">
              <span className="field-label">Radius (°)</span>
              <input className="input" value={form.radius} onChange={set("radius")} />
            </label>
          ) : (
            <>
              <label className="field">
                <span className="field-label">Width (°)</span>
                <input className="input" value={form.width} onChange={set("width")} />
              </label>
              <label className="field">
                <span className="field-label">Height (°)</span>
                <input className="input" value={form.height} onChange={set("height")} />
              </label>
              <label className="field">
                <span className="field-label">PA (°)</span>
                <input className="input" value={form.pa} onChange={set("pa")} />
              </label>
            </>
          )}
        </div>
        <div className="form-row">
          <label className="field">
            <span className="field-label">Element sets</span>
            <select className="input" value={form.source} onChange={set("source")}>
              <option value="catalogue">the server's catalogue</option>
              <option value="text">paste TLE or OMM</option>
              <option value="url">fetch from a URL</option>
            </select>
          </label>
          {form.source === "text" ? (
            <label className="field field-grow">
              <span className="field-label">TLE or OMM text</span>
              <textarea className="input plan-textarea" rows={4} value={form.text} onChange={set("text")} />
            </label>
          ) : null}
          {form.source === "url" ? (
            <label className="field field-grow">
              <span className="field-label">URL</span>
              <input className="input" type="url" value={form.url} onChange={set("url")} />
            </label>
          ) : null}
          <label className="field">
            <span className="field-label">Flag sets older than (days)</span>
            <input className="input" value={form.maxAge} onChange={set("maxAge")} />
          </label>
          <label className="check check-inline">
            <input
              type="checkbox"
              checked={form.sunlitOnly}
              onChange={(e) => setForm({ ...form, sunlitOnly: e.target.checked })}
            />
            Sunlit only
          </label>
        </div>
        <p className="muted plan-small" data-testid="catalogue-info">
          Server catalogue:{" "}
          {catalogue
            ? `${catalogue.objects} objects, ${catalogue.elementSets} element sets${
                catalogue.oldestEpoch && catalogue.newestEpoch
                  ? `, epochs ${catalogue.oldestEpoch.slice(0, 10)} to ${catalogue.newestEpoch.slice(0, 10)}`
                  : ""
              }`
            : "—"}
          {added ? ` · ${added}` : ""}
        </p>
        <div className="form-actions">
          <button className="button" type="submit" disabled={busy}>
            {busy ? "Checking…" : "Check"}
          </button>
          {form.source !== "catalogue" ? (
            <button
              className="button button-secondary"
              type="button"
              disabled={busy}
              onClick={() => void addSets()}
            >
              Add to the server's catalogue
            </button>
          ) : null}
        </div>
      </form>
      <ErrorAlert error={error} />
      {result ? (
        <div className="card">
          <h2 className="section-title" data-testid="sat-summary">
            {result.res.crossings.length} crossing{result.res.crossings.length === 1 ? "" : "s"} among{" "}
            {result.res.stats.objects} objects ({result.res.stats.milliseconds.toFixed(0)} ms)
          </h2>
          {result.res.problems.length > 0 ? (
            <details className="muted plan-small">
              <summary>{result.res.problems.length} element set(s) skipped</summary>
              <ul>
                {result.res.problems.slice(0, 50).map((p) => (
                  <li key={`${p.line}-${p.code}`}>
                    line {p.line}: {p.message}
                  </li>
                ))}
              </ul>
            </details>
          ) : null}
          <div className="sat-layout">
            <div className="sat-chart">
              <FieldChart
                centre={centreOf(result.req)}
                mode={"alt" in result.req.pointing ? "altaz" : "radec"}
                field={result.req.field}
                crossings={result.res.crossings}
              />
            </div>
            <div className="table-wrap">
              <table className="table" data-testid="crossings">
                <thead>
                  <tr>
                    <th>Satellite</th>
                    <th>Entry</th>
                    <th>Exit</th>
                    <th>Rate</th>
                    <th>Range</th>
                    <th>Sunlit</th>
                    <th>Elements</th>
                  </tr>
                </thead>
                <tbody>
                  {result.res.crossings.map((c) => (
                    <tr key={`${c.satnum}-${c.entry.time}`} data-crossing={c.name}>
                      <td className="cell-strong">
                        {c.name}
                        <div className="muted plan-small">NORAD {c.satnum}</div>
                      </td>
                      <td>
                        {c.inFieldAtStart ? "(in field) " : ""}
                        {hhmmss(c.entry.time)}
                        {c.entry.time.slice(19, 23)}
                      </td>
                      <td>
                        {hhmmss(c.exit.time)}
                        {c.exit.time.slice(19, 23)}
                        {c.inFieldAtEnd ? " (in field)" : ""}
                      </td>
                      <td>{c.angularRate.toFixed(3)} °/s</td>
                      <td>{c.rangeKm.toFixed(0)} km</td>
                      <td>{c.sunlit ? <span className="badge badge-warn">sunlit</span> : "shadow"}</td>
                      <td
                        className="plan-small"
                        title={[c.elements.line1, c.elements.line2].filter(Boolean).join("\n")}
                      >
                        epoch {c.elements.epoch.slice(0, 16).replace("T", " ")}
                        <br />
                        age {c.elements.ageDays.toFixed(2)} d{" "}
                        {c.elements.stale ? <span className="badge badge-error">old</span> : null}
                      </td>
                    </tr>
                  ))}
                </tbody>
              </table>
              {result.res.crossings.length === 0 ? (
                <p className="empty">No satellite crosses the field.</p>
              ) : null}
            </div>
          </div>
        </div>
      ) : null}
    </section>
  );
}

/**
 * The planner: targets from a site on a night under constraints — an interactive airmass chart
 * (twilight shading, Moon, hover readout, target toggles), star tracks on a polar sky chart, a
 * table of rise/transit/set and windows, the best months over a year, and CSV/SVG/PNG exports.
 * The form's values live in the URL (`?site=…&date=…&targets=M 83;Vega`), so a plan is a link.
 */
import { type FormEvent, useEffect, useRef, useState } from "react";
import { isApiError } from "../api-error.js";
import { ErrorAlert } from "../components/error-alert.js";
import { AirmassChart, chartSpan } from "../plan/airmass-chart.js";
import { planCsv } from "../plan/chart-export.js";
import { colourOf, hhmmss } from "../plan/chart-scale.js";
import { ClockContext, offsetClock, UTC_CLOCK, useClock } from "../plan/clock.js";
import { ExportButtons } from "../plan/export-buttons.js";
import {
  fetchPlan,
  fetchYearly,
  type PlanConstraints,
  type PlanRequest,
  type PlanResponse,
  type YearlyResponse,
} from "../plan/plan-api.js";
import { SiteInput } from "../plan/site-input.js";
import { SkyTracksChart } from "../plan/sky-tracks-chart.js";
import { WindowsTable } from "../plan/windows-table.js";
import { YearlyChart } from "../plan/yearly-chart.js";
import "../plan/plan.css";
import { useLocation } from "../router.js";
import { useSignedIn } from "../session.js";

interface FormState {
  site: string;
  telescope: string;
  targetList: string;
  date: string;
  targets: string;
  maxAirmass: string;
  minAltitude: string;
  moonSep: string;
  twilight: string;
  haMin: string;
  haMax: string;
  horizon: string;
}

const FIELDS: (keyof FormState)[] = [
  "site",
  "telescope",
  "targetList",
  "date",
  "targets",
  "maxAirmass",
  "minAltitude",
  "moonSep",
  "twilight",
  "haMin",
  "haMax",
  "horizon",
];

function initialForm(search: URLSearchParams): FormState {
  const get = (k: string, d = "") => search.get(k) ?? d;
  return {
    site: get("site", "paranal"),
    telescope: get("telescope"),
    targetList: get("targetList"),
    date: get("date", new Date().toISOString().slice(0, 10)),
    targets: get("targets", "M 83\nOmega Centauri\nSaturn").replaceAll(";", "\n"),
    maxAirmass: get("maxAirmass", "2"),
    minAltitude: get("minAltitude"),
    moonSep: get("moonSep"),
    twilight: get("twilight", "astronomical"),
    haMin: get("haMin"),
    haMax: get("haMax"),
    horizon: get("horizon"),
  };
}

function numberOrUndefined(text: string): number | undefined {
  const t = text.trim();
  if (t === "") return undefined;
  const n = Number(t);
  return Number.isFinite(n) ? n : undefined;
}

function toRequest(f: FormState, csv: { name: string; text: string } | null): PlanRequest {
  const c: PlanConstraints = {};
  const maxAirmass = numberOrUndefined(f.maxAirmass);
  const minAltitude = numberOrUndefined(f.minAltitude);
  const moonSep = numberOrUndefined(f.moonSep);
  const haMin = numberOrUndefined(f.haMin);
  const haMax = numberOrUndefined(f.haMax);
  if (maxAirmass !== undefined) c.maxAirmass = maxAirmass;
  if (minAltitude !== undefined) c.minAltitude = minAltitude;
  if (moonSep !== undefined) c.minMoonSeparation = moonSep;
  if (f.twilight === "none") c.twilight = null;
  else if (f.twilight) c.twilight = f.twilight as PlanConstraints["twilight"];
  if (haMin !== undefined || haMax !== undefined) c.hourAngle = { min: haMin ?? -12, max: haMax ?? 12 };
  if (f.horizon.trim() !== "") c.horizon = f.horizon;
  return {
    ...(f.site.trim() ? { site: f.site.trim() } : {}),
    ...(f.telescope.trim() ? { telescope: f.telescope.trim() } : {}),
    ...(f.targetList.trim() ? { targetList: f.targetList.trim() } : {}),
    ...(csv ? { targetsCsv: csv.text } : {}),
    date: f.date,
    targets: f.targets
      .split("\n")
      .map((t) => t.trim())
      .filter((t) => t !== ""),
    constraints: c,
  };
}

function Readout({
  plan,
  index,
  visible,
}: {
  plan: PlanResponse;
  index: number | null;
  visible: readonly boolean[];
}) {
  const clock = useClock();
  if (index === null) {
    return (
      <p className="muted plan-readout" data-testid="airmass-readout">
        Move the pointer over the chart to read values.
      </p>
    );
  }
  const n = plan.night.series[index];
  return (
    <div className="plan-readout" data-testid="airmass-readout">
      <strong data-testid="readout-time">{n ? `${clock.hm(n.time)} ${clock.label}` : "—"}</strong>
      <span className="muted">
        Sun {n?.sunAltitude.toFixed(1)}° · Moon {n?.moonAltitude.toFixed(1)}°
      </span>
      {plan.targets.map((t, i) => {
        const s = t.series?.[index];
        if (!visible[i] || !s) return null;
        return (
          <span key={t.name} data-readout={t.name}>
            <span className="plan-swatch" style={{ background: colourOf(i) }} /> {t.name}: alt{" "}
            <span data-testid={`readout-alt-${t.name}`}>{s.altitude.toFixed(2)}</span>°, az{" "}
            {s.azimuth.toFixed(1)}°, airmass {s.airmass === null ? "—" : s.airmass.toFixed(3)}
            {s.observable ? " ✓" : ""}
          </span>
        );
      })}
    </div>
  );
}

const EVENTS: [string, string][] = [
  ["sunset", "Sunset"],
  ["civilDusk", "Civil dusk"],
  ["nauticalDusk", "Nautical dusk"],
  ["astronomicalDusk", "Astronomical dusk"],
  ["astronomicalDawn", "Astronomical dawn"],
  ["nauticalDawn", "Nautical dawn"],
  ["civilDawn", "Civil dawn"],
  ["sunrise", "Sunrise"],
  ["moonrise", "Moonrise"],
  ["moonset", "Moonset"],
];

export function PlanPage() {
  const { csrfToken, expired } = useSignedIn();
  const { search } = useLocation();
  const [form, setForm] = useState<FormState>(() => initialForm(search));
  const [csv, setCsv] = useState<{ name: string; text: string } | null>(null);
  const [localTime, setLocalTime] = useState(false);
  const [plan, setPlan] = useState<PlanResponse | null>(null);
  const [yearly, setYearly] = useState<YearlyResponse | null>(null);
  const [visible, setVisible] = useState<boolean[]>([]);
  const [hover, setHover] = useState<number | null>(null);
  const [busy, setBusy] = useState<"plan" | "yearly" | null>(null);
  const [error, setError] = useState<unknown>(null);
  const airmassRef = useRef<SVGSVGElement>(null);
  const skyRef = useRef<SVGSVGElement>(null);
  const yearlyRef = useRef<SVGSVGElement>(null);

  async function run(f: FormState): Promise<void> {
    setBusy("plan");
    setError(null);
    const params = new URLSearchParams();
    for (const k of FIELDS)
      if (f[k].trim() !== "") params.set(k, k === "targets" ? f[k].split("\n").join(";") : f[k]);
    window.history.replaceState(null, "", `${window.location.pathname}?${params}`);
    try {
      const p = await fetchPlan(csrfToken, toRequest(f, csv));
      setPlan(p);
      setYearly(null);
      setVisible(p.targets.map(() => true));
      setHover(null);
    } catch (err) {
      if (isApiError(err, "UNAUTHENTICATED")) expired();
      else setError(err);
    } finally {
      setBusy(null);
    }
  }

  async function runYearly(): Promise<void> {
    setBusy("yearly");
    setError(null);
    try {
      setYearly(
        await fetchYearly(csrfToken, { ...toRequest(form, csv), date: `${form.date.slice(0, 4)}-01-01` }),
      );
    } catch (err) {
      if (isApiError(err, "UNAUTHENTICATED")) expired();
      else setError(err);
    } finally {
      setBusy(null);
    }
  }

  // A link with targets in it plans at once.
  // biome-ignore lint/correctness/useExhaustiveDependencies: only on first render
  useEffect(() => {
    if (search.get("targets")) void run(form);
  }, []);

  function submit(event: FormEvent<HTMLFormElement>): void {
    event.preventDefault();
    void run(form);
  }

  const set = (k: keyof FormState) => (e: { target: { value: string } }) =>
    setForm({ ...form, [k]: e.target.value });
  const base = `plan-${form.date}`;
  const span = plan ? chartSpan(plan) : null;
  const siteOffset = plan ? (plan.site.utcOffsetHours ?? Math.round(plan.site.longitude / 15)) : 0;
  const clock = localTime ? offsetClock(siteOffset) : UTC_CLOCK;

  return (
    <section className="page">
      <header className="page-header">
        <h1>Planner</h1>
        <p className="muted">
          When your targets are observable from a site on a night: airmass, twilights, the Moon,
          rise/transit/set and the best windows under your constraints. Times in UTC or the site's local time.
        </p>
      </header>
      <form className="card form" onSubmit={submit} aria-label="Plan a night">
        <div className="form-row">
          <SiteInput value={form.site} onChange={(site) => setForm({ ...form, site })} />
          <label className="field field-grow">
            <span className="field-label">Telescope (optional)</span>
            <input className="input" value={form.telescope} onChange={set("telescope")} />
          </label>
          <label className="field">
            <span className="field-label">Night of</span>
            <input className="input" type="date" required value={form.date} onChange={set("date")} />
          </label>
        </div>
        <div className="form-row">
          <label className="field field-grow">
            <span className="field-label">Targets (one per line: a name or RA Dec)</span>
            <textarea
              className="input plan-textarea"
              rows={4}
              value={form.targets}
              onChange={set("targets")}
            />
          </label>
          <div className="field field-grow">
            <label className="field">
              <span className="field-label">Portal target list (optional)</span>
              <input className="input" value={form.targetList} onChange={set("targetList")} />
            </label>
            <label className="field">
              <span className="field-label">CSV target file (name,ra,dec)</span>
              <input
                className="input"
                type="file"
                accept=".csv,text/csv,text/plain"
                onChange={(e) => {
                  const file = e.target.files?.[0];
                  if (!file) setCsv(null);
                  else void file.text().then((text) => setCsv({ name: file.name, text }), setError);
                }}
              />
            </label>
          </div>
          <label className="field field-grow">
            <span className="field-label">Horizon profile (optional: "azimuth altitude" per line)</span>
            <textarea
              className="input plan-textarea"
              rows={4}
              value={form.horizon}
              onChange={set("horizon")}
            />
          </label>
        </div>
        <div className="form-row">
          <label className="field">
            <span className="field-label">Max airmass</span>
            <input
              className="input"
              inputMode="decimal"
              value={form.maxAirmass}
              onChange={set("maxAirmass")}
            />
          </label>
          <label className="field">
            <span className="field-label">Min altitude (°)</span>
            <input
              className="input"
              inputMode="decimal"
              value={form.minAltitude}
              onChange={set("minAltitude")}
            />
          </label>
          <label className="field">
            <span className="field-label">Moon separation (°)</span>
            <input className="input" inputMode="decimal" value={form.moonSep} onChange={set("moonSep")} />
          </label>
          <label className="field">
            <span className="field-label">Sun below</span>
            <select className="input" value={form.twilight} onChange={set("twilight")}>
              <option value="astronomical">astronomical twilight (−18°)</option>
              <option value="nautical">nautical twilight (−12°)</option>
              <option value="civil">civil twilight (−6°)</option>
              <option value="sunset">sunset</option>
              <option value="none">no limit</option>
            </select>
          </label>
          <label className="field">
            <span className="field-label">HA min (h)</span>
            <input className="input" inputMode="decimal" value={form.haMin} onChange={set("haMin")} />
          </label>
          <label className="field">
            <span className="field-label">HA max (h)</span>
            <input className="input" inputMode="decimal" value={form.haMax} onChange={set("haMax")} />
          </label>
        </div>
        <div className="form-actions">
          <button className="button" type="submit" disabled={busy !== null}>
            {busy === "plan" ? "Planning…" : "Plan"}
          </button>
        </div>
      </form>
      <ErrorAlert error={error} />
      {plan && span ? (
        <ClockContext.Provider value={clock}>
          <div className="card">
            <div className="card-header plan-header">
              <h2 className="section-title">
                {plan.site.name ?? `${plan.site.latitude.toFixed(4)}°, ${plan.site.longitude.toFixed(4)}°`} ·
                night of {plan.night.start.slice(0, 10)}
                {plan.telescope ? ` · ${plan.telescope.name}` : ""}
              </h2>
              <div className="plan-actions">
                <label className="plan-toggle plan-small">
                  Times in
                  <select
                    className="input"
                    value={localTime ? "local" : "utc"}
                    onChange={(e) => setLocalTime(e.target.value === "local")}
                  >
                    <option value="utc">UTC</option>
                    <option value="local">site time ({offsetClock(siteOffset).label})</option>
                  </select>
                </label>
                <ExportButtons
                  chart={airmassRef}
                  name={`${base}-airmass`}
                  csv={() => planCsv(plan)}
                  onError={setError}
                />
              </div>
            </div>
            <dl className="plan-events" data-testid="night-events">
              {EVENTS.map(([k, label]) => (
                <div key={k}>
                  <dt>{label}</dt>
                  <dd data-testid={`event-${k}`}>{hhmmss(plan.night.events[k], clock.offsetMs)}</dd>
                </div>
              ))}
              <div>
                <dt>Moon lit</dt>
                <dd data-testid="moon-illumination">{Math.round(plan.night.moonIllumination * 100)}%</dd>
              </div>
            </dl>
            <fieldset className="plan-legend">
              <legend className="visually-hidden">Targets shown</legend>
              {plan.targets.map((t, i) => (
                <label key={t.name} className="plan-toggle">
                  <input
                    type="checkbox"
                    checked={visible[i] ?? true}
                    onChange={() => setVisible(visible.map((v, j) => (j === i ? !v : v)))}
                  />
                  <span className="plan-swatch" style={{ background: colourOf(i) }} />
                  {t.name}
                </label>
              ))}
              <span className="plan-toggle muted">
                <span className="plan-swatch plan-swatch-moon" /> Moon (
                {Math.round(plan.night.moonIllumination * 100)}%)
              </span>
            </fieldset>
            <div className="plan-charts">
              <div className="plan-chart-main">
                <AirmassChart
                  ref={airmassRef}
                  plan={plan}
                  visible={visible}
                  hover={hover}
                  onHover={setHover}
                />
                <Readout plan={plan} index={hover} visible={visible} />
              </div>
              <div className="plan-chart-side">
                <SkyTracksChart ref={skyRef} plan={plan} visible={visible} hover={hover} span={span} />
                <p className="muted plan-small">
                  Tracks above the horizon, zenith in the centre, north up, east left; dots every hour.
                </p>
              </div>
            </div>
          </div>
          <div className="card">
            <h2 className="section-title">Windows</h2>
            <WindowsTable
              targets={plan.targets}
              visible={visible}
              onToggle={(i) => setVisible(visible.map((v, j) => (j === i ? !v : v)))}
            />
          </div>
          <div className="card">
            <div className="card-header plan-header">
              <h2 className="section-title">Best months</h2>
              <div className="plan-actions">
                <button
                  className="button button-secondary button-small"
                  type="button"
                  disabled={busy !== null}
                  onClick={() => void runYearly()}
                >
                  {busy === "yearly"
                    ? "Computing…"
                    : yearly
                      ? "Recompute"
                      : `Hours per night in ${form.date.slice(0, 4)}`}
                </button>
                {yearly ? (
                  <ExportButtons chart={yearlyRef} name={`${base}-yearly`} onError={setError} />
                ) : null}
              </div>
            </div>
            {yearly ? (
              <>
                <YearlyChart ref={yearlyRef} yearly={yearly} visible={visible} />
                <div className="table-wrap">
                  <table className="table" data-testid="best-months">
                    <thead>
                      <tr>
                        <th>Target</th>
                        {yearly.targets[0]?.monthly.map((m) => (
                          <th key={m.month}>{m.month.slice(5)}</th>
                        ))}
                      </tr>
                    </thead>
                    <tbody>
                      {yearly.targets.map((t) => {
                        const best = Math.max(...t.monthly.map((m) => m.meanHours));
                        return (
                          <tr key={t.name}>
                            <td className="cell-strong">{t.name}</td>
                            {t.monthly.map((m) => (
                              <td
                                key={m.month}
                                className={m.meanHours === best && best > 0 ? "plan-best" : ""}
                              >
                                {m.meanHours.toFixed(1)}
                              </td>
                            ))}
                          </tr>
                        );
                      })}
                    </tbody>
                  </table>
                </div>
                <p className="muted plan-small">
                  Mean hours observable per night each month under the constraints above; grey: hours of
                  astronomical darkness.
                </p>
              </>
            ) : (
              <p className="muted">
                Hours each target is observable on every night of the year, with the same site and
                constraints.
              </p>
            )}
          </div>
        </ClockContext.Provider>
      ) : null}
    </section>
  );
}

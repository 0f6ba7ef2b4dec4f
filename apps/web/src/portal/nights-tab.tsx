/**
 * Night logs: a month calendar of the nights logged, the log's editor (observers, weather, notes,
 * timestamped entries) and the night rebuilt from its files beside the entries.
 */
import { type FormEvent, useState } from "react";
import { ErrorAlert } from "../components/error-alert.js";
import { formatDuration } from "../format.js";
import { navigate } from "../router.js";
import { useSession } from "../session.js";
import { type NightLog, portalApi } from "./portal-api.js";
import type { TabProps } from "./portal-view.js";
import { SimpleTable } from "./simple-table.js";
import { PickField, splitList, TextField } from "./text-field.js";
import { TimelineChart } from "./timeline-chart.js";
import { portalHref, ROLE_RANK, useAction, useLoad } from "./use-load.js";

const WEEKDAYS = ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"];

function monthDays(month: string): (string | null)[] {
  const [y, m] = month.split("-").map(Number) as [number, number];
  const first = new Date(Date.UTC(y, m - 1, 1));
  const days = new Date(Date.UTC(y, m, 0)).getUTCDate();
  const lead = (first.getUTCDay() + 6) % 7;
  const cells: (string | null)[] = Array.from({ length: lead }, () => null);
  for (let d = 1; d <= days; d++) cells.push(`${month}-${String(d).padStart(2, "0")}`);
  while (cells.length % 7 !== 0) cells.push(null);
  return cells;
}

function shiftMonth(month: string, by: number): string {
  const [y, m] = month.split("-").map(Number) as [number, number];
  const d = new Date(Date.UTC(y, m - 1 + by, 1));
  return d.toISOString().slice(0, 7);
}

function Editor({
  org,
  log,
  canWrite,
  onSaved,
}: {
  org: string;
  log: NightLog;
  canWrite: boolean;
  onSaved(): void;
}) {
  const { csrfToken } = useSession();
  const [observers, setObservers] = useState(log.observers.join(", "));
  const [weather, setWeather] = useState(log.weather);
  const [notes, setNotes] = useState(log.notes);
  const { error, run } = useAction();
  const [saved, setSaved] = useState(false);

  async function submit(event: FormEvent<HTMLFormElement>): Promise<void> {
    event.preventDefault();
    setSaved(false);
    const body = { observers: splitList(observers), weather, notes };
    if (await run(() => portalApi.updateNightLog(csrfToken, org, log.id, body))) {
      setSaved(true);
      onSaved();
    }
  }

  return (
    <form className="form" onSubmit={submit} aria-label="Night log">
      <TextField
        label="Observers (comma-separated)"
        disabled={!canWrite}
        value={observers}
        onChange={setObservers}
      />
      <TextField label="Weather" disabled={!canWrite} value={weather} onChange={setWeather} />
      <TextField label="Notes" rows={3} disabled={!canWrite} value={notes} onChange={setNotes} />
      <ErrorAlert error={error} />
      {saved ? (
        <div className="alert alert-ok" role="status">
          Saved.
        </div>
      ) : null}
      {canWrite ? (
        <div className="form-actions">
          <button type="submit" className="button">
            Save log
          </button>
        </div>
      ) : null}
    </form>
  );
}

function NightView({
  org,
  log,
  canWrite,
  onChanged,
}: {
  org: string;
  log: NightLog;
  canWrite: boolean;
  onChanged(): void;
}) {
  const { csrfToken } = useSession();
  const [gap, setGap] = useState(300);
  const loaded = useLoad(() => portalApi.timeline(org, log.id, gap), `timeline:${org}:${log.id}:${gap}`);
  const timeline = loaded.value;
  const action = useAction();
  const error = action.error ?? loaded.error;
  const [text, setText] = useState("");
  const [at, setAt] = useState("");

  async function addEntry(event: FormEvent<HTMLFormElement>): Promise<void> {
    event.preventDefault();
    const body = { text: text.trim(), ...(at ? { at: new Date(at).toISOString() } : {}) };
    if (await action.run(() => portalApi.addEntry(csrfToken, org, log.id, body))) {
      setText("");
      setAt("");
      loaded.reload();
    }
  }

  async function removeEntry(id: string): Promise<void> {
    if (await action.run(() => portalApi.deleteEntry(csrfToken, org, log.id, id))) loaded.reload();
  }

  return (
    <>
      <section className="card card-wide" aria-label={`Night of ${log.night}`}>
        <div className="card-header">
          <h2>
            Night of {log.night}
            {timeline ? ` · ${timeline.telescope.name}` : ""}
          </h2>
          <label className="field">
            <span className="field-label">Gap from (s)</span>
            <input
              className="input"
              type="number"
              min={1}
              value={gap}
              onChange={(e) => Number(e.target.value) > 0 && setGap(Number(e.target.value))}
            />
          </label>
        </div>
        {timeline ? <TimelineChart timeline={timeline} /> : null}
        {timeline ? (
          <dl className="facts portal-facts-4">
            <div>
              <dt>Science exposure</dt>
              <dd>{formatDuration(timeline.scienceSeconds)}</dd>
            </div>
            <div>
              <dt>Filters</dt>
              <dd>{timeline.filters.join(", ") || "—"}</dd>
            </div>
            <div>
              <dt>Calibrations</dt>
              <dd>
                {Object.entries(timeline.calibrations)
                  .map(([k, n]) => `${n} ${k}`)
                  .join(", ") || "—"}
              </dd>
            </div>
            <div>
              <dt>Gaps</dt>
              <dd>
                {timeline.gaps.length} ({formatDuration(timeline.gaps.reduce((s, g) => s + g.seconds, 0))})
              </dd>
            </div>
          </dl>
        ) : null}
        {timeline && timeline.targets.length > 0 ? (
          <SimpleTable
            label="Targets of the night"
            rows={timeline.targets}
            rowKey={(t) => t.object}
            columns={[
              { head: "Target", cell: (t) => t.object },
              { head: "Frames", cell: (t) => t.frames },
              { head: "Exposure", cell: (t) => formatDuration(t.exposureSeconds) },
              { head: "Filters", cell: (t) => t.filters.join(", ") },
            ]}
          />
        ) : null}
        {timeline && timeline.observations.length + timeline.declaredCalibrations.length > 0 ? (
          <SimpleTable
            label="Declared in the log"
            rows={[
              ...timeline.observations.map((o) => ({ ...o, what: `observation: ${o.targetName ?? "?"}` })),
              ...timeline.declaredCalibrations.map((c) => ({ ...c, what: `calibration: ${c.kind}` })),
            ]}
            rowKey={(r) => r.id}
            columns={[
              { head: "Declared", cell: (r) => r.what },
              { head: "Filter", cell: (r) => r.filter ?? "—" },
              { head: "From (UTC)", cell: (r) => r.startAt?.slice(11, 16) ?? "—" },
              { head: "To (UTC)", cell: (r) => r.endAt?.slice(11, 16) ?? "—" },
              { head: "Notes", cell: (r) => r.notes || "—" },
            ]}
          />
        ) : null}
        {timeline && timeline.undated > 0 ? (
          <p className="muted">{timeline.undated} file(s) without DATE-OBS are not drawn.</p>
        ) : null}
        <ErrorAlert error={error} />
      </section>
      <div className="card">
        <h2>Log</h2>
        <Editor key={log.id} org={org} log={log} canWrite={canWrite} onSaved={onChanged} />
      </div>
      <div className="card">
        <h2>Entries</h2>
        <ol className="portal-entries">
          {timeline?.entries.map((e) => (
            <li key={e.id}>
              <time dateTime={e.at}>{e.at.slice(11, 16)} UTC</time> {e.text}
              {canWrite ? (
                <button
                  type="button"
                  className="button button-danger-quiet button-small"
                  onClick={() => void removeEntry(e.id)}
                >
                  Delete
                </button>
              ) : null}
            </li>
          ))}
        </ol>
        {timeline && timeline.entries.length === 0 ? <p className="empty">No entries yet.</p> : null}
        {canWrite ? (
          <form className="form" onSubmit={addEntry} aria-label="New entry">
            <label className="field">
              <span className="field-label">Entry</span>
              <input className="input" required value={text} onChange={(e) => setText(e.target.value)} />
            </label>
            <label className="field">
              <span className="field-label">At (your local time; empty: now)</span>
              <input
                className="input"
                type="datetime-local"
                value={at}
                onChange={(e) => setAt(e.target.value)}
              />
            </label>
            <div className="form-actions">
              <button type="submit" className="button">
                Add entry
              </button>
            </div>
          </form>
        ) : null}
      </div>
    </>
  );
}

export function NightsTab({ org, page, params }: TabProps) {
  const { csrfToken } = useSession();
  const logs = useLoad((signal) => portalApi.nightLogs(org, signal), `nights:${org}`);
  const items = logs.value?.items ?? [];
  const chosen = items.find((l) => l.id === params.get("nightLog")) ?? null;
  const latest = items
    .map((l) => l.night)
    .sort()
    .at(-1);
  const month =
    params.get("month") ??
    chosen?.night.slice(0, 7) ??
    latest?.slice(0, 7) ??
    new Date().toISOString().slice(0, 7);
  const [telescope, setTelescope] = useState(page.telescopes[0]?.id ?? "");
  const { error, run } = useAction();
  const canWrite = ROLE_RANK[page.role] >= ROLE_RANK.member;
  const scope = (id: string) => page.telescopes.find((t) => t.id === id)?.name ?? "telescope";
  const go = (extra: Record<string, string>) => navigate(portalHref(org, "nights", { month, ...extra }));

  function create(night: string): void {
    void run(async () => {
      const { nightLog } = await portalApi.createNightLog(csrfToken, org, { telescopeId: telescope, night });
      logs.reload();
      go({ nightLog: nightLog.id });
    });
  }

  return (
    <div className="grid grid-2 grid-top">
      <div className="card card-wide">
        <div className="card-header">
          <h2>Night logs</h2>
          <div className="form-actions">
            <button
              type="button"
              className="button button-secondary button-small"
              onClick={() => go({ month: shiftMonth(month, -1) })}
            >
              ‹ Previous
            </button>
            <strong data-testid="calendar-month">{month}</strong>
            <button
              type="button"
              className="button button-secondary button-small"
              onClick={() => go({ month: shiftMonth(month, 1) })}
            >
              Next ›
            </button>
          </div>
        </div>
        {canWrite && page.telescopes.length > 0 ? (
          <PickField
            label="Telescope for a new log (click a day's +)"
            value={telescope}
            onChange={setTelescope}
            items={page.telescopes}
            grow={false}
          />
        ) : null}
        <ErrorAlert error={logs.error ?? error} />
        <div className="portal-calendar" data-testid="calendar">
          {WEEKDAYS.map((d) => (
            <div key={d} className="portal-cal-head">
              {d}
            </div>
          ))}
          {monthDays(month).map((day, i) => (
            <div key={day ?? `pad-${i}`} className={day ? "portal-cal-day" : "portal-cal-day portal-cal-pad"}>
              {day ? (
                <>
                  <span className="portal-cal-num">{Number(day.slice(8))}</span>
                  {items
                    .filter((l) => l.night === day)
                    .map((l) => (
                      <button
                        key={l.id}
                        type="button"
                        className={
                          l.id === chosen?.id ? "portal-cal-log portal-cal-log-active" : "portal-cal-log"
                        }
                        onClick={() => go({ nightLog: l.id })}
                      >
                        {scope(l.telescopeId)}
                      </button>
                    ))}
                  {canWrite &&
                  telescope &&
                  !items.some((l) => l.night === day && l.telescopeId === telescope) ? (
                    <button
                      type="button"
                      className="portal-cal-add"
                      aria-label={`New night log for ${day}`}
                      onClick={() => create(day)}
                    >
                      +
                    </button>
                  ) : null}
                </>
              ) : null}
            </div>
          ))}
        </div>
      </div>
      {chosen ? (
        <NightView key={chosen.id} org={org} log={chosen} canWrite={canWrite} onChanged={logs.reload} />
      ) : null}
    </div>
  );
}

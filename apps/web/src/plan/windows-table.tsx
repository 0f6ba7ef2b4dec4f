/** Per-target summary of a night: rise, transit, set, highest altitude, hours observable, windows. */
import { colourOf } from "./chart-scale.js";
import { useClock } from "./clock.js";
import type { PlannedTarget } from "./plan-api.js";

export function WindowsTable({
  targets,
  visible,
  onToggle,
}: {
  targets: readonly PlannedTarget[];
  visible: readonly boolean[];
  onToggle(index: number): void;
}) {
  const { hm: hhmm, hms: hhmmss } = useClock();
  return (
    <div className="table-wrap">
      <table className="table" data-testid="windows-table">
        <thead>
          <tr>
            <th>Show</th>
            <th>Target</th>
            <th>Rise</th>
            <th>Transit</th>
            <th>Set</th>
            <th>Max alt</th>
            <th>Observable</th>
            <th>Best window</th>
            <th>Windows</th>
            <th>Moon</th>
          </tr>
        </thead>
        <tbody>
          {targets.map((t, i) => (
            <tr key={t.name} data-target={t.name}>
              <td>
                <label className="plan-toggle">
                  <input
                    type="checkbox"
                    checked={visible[i] ?? true}
                    onChange={() => onToggle(i)}
                    aria-label={`Show ${t.name}`}
                  />
                  <span className="plan-swatch" style={{ background: colourOf(i) }} />
                </label>
              </td>
              <td className="cell-strong">
                {t.name}
                <div className="muted plan-small">{t.type}</div>
              </td>
              <td>{hhmm(t.rise)}</td>
              <td data-testid={`transit-${t.name}`}>{hhmmss(t.transit)}</td>
              <td>{hhmm(t.set)}</td>
              <td data-testid={`maxalt-${t.name}`}>{t.maxAltitude.toFixed(1)}°</td>
              <td>{t.observableHours.toFixed(2)} h</td>
              <td>{t.bestWindow ? `${hhmm(t.bestWindow.start)}–${hhmm(t.bestWindow.end)}` : "—"}</td>
              <td className="plan-small">
                {t.windows.length === 0
                  ? "—"
                  : t.windows.map((w) => `${hhmm(w.start)}–${hhmm(w.end)}`).join(", ")}
              </td>
              <td>{t.moonSeparation.toFixed(0)}°</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

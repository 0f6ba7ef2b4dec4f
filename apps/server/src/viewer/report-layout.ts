/**
 * `meridian-view.json` (or `.yaml`) at the top of the tree: a pipeline's ready-made report. Sections name a
 * glob and how to show what it matches. Validated here; problems are reported, not thrown, so a
 * broken layout never hides the automatic overview.
 *
 * ```json
 * { "title": "Run 42",
 *   "sections": [
 *     { "title": "Plots", "glob": "plots/*.png", "display": "gallery" },
 *     { "title": "Images", "glob": "**\/*.fits", "display": "fits", "stretch": "asinh", "cmap": "viridis" },
 *     { "title": "Logs", "glob": "logs/*.log", "display": "log-tail", "lines": 10 } ] }
 * ```
 */
import { readFile } from "node:fs/promises";
import { join } from "node:path";
import { parseLayoutYaml } from "./layout-yaml.js";

export const LAYOUT_FILE = "meridian-view.json";
/** The same layout in YAML, read when there is no JSON file. */
export const LAYOUT_YAML_FILES = ["meridian-view.yaml", "meridian-view.yml"] as const;

export const DISPLAYS = ["gallery", "table", "log-tail", "fits", "reports", "list"] as const;
export type Display = (typeof DISPLAYS)[number];

export interface LayoutSection {
  readonly title: string;
  readonly glob: string;
  readonly display: Display;
  readonly stretch?: string;
  readonly cmap?: string;
  readonly lines?: number;
}

export interface ReportLayout {
  readonly title: string | null;
  readonly sections: LayoutSection[];
}

/** The layout of the tree at `rootReal`, null when it has none, or the problems found in it. */
export async function readReportLayout(
  rootReal: string,
): Promise<{ layout: ReportLayout | null; problems: string[] }> {
  const json = await readFile(join(rootReal, LAYOUT_FILE), "utf8").catch(() => null);
  if (json !== null) {
    let doc: unknown;
    try {
      doc = JSON.parse(json);
    } catch (err) {
      return { layout: null, problems: [`${LAYOUT_FILE}: not valid JSON (${(err as Error).message})`] };
    }
    return validateLayout(doc, LAYOUT_FILE);
  }
  for (const name of LAYOUT_YAML_FILES) {
    const yaml = await readFile(join(rootReal, name), "utf8").catch(() => null);
    if (yaml === null) continue;
    let doc: unknown;
    try {
      doc = parseLayoutYaml(yaml);
    } catch (err) {
      return { layout: null, problems: [`${name}: ${(err as Error).message}`] };
    }
    return validateLayout(doc, name);
  }
  return { layout: null, problems: [] };
}

/** Check a parsed layout document. */
export function validateLayout(
  doc: unknown,
  file: string = LAYOUT_FILE,
): { layout: ReportLayout | null; problems: string[] } {
  const problems: string[] = [];
  if (doc === null || typeof doc !== "object" || Array.isArray(doc)) {
    return { layout: null, problems: [`${file}: the top level must be an object`] };
  }
  const d = doc as Record<string, unknown>;
  const title = typeof d.title === "string" ? d.title : null;
  const sections: LayoutSection[] = [];
  if (!Array.isArray(d.sections)) problems.push(`${file}: "sections" must be an array`);
  else
    d.sections.forEach((raw, i) => {
      const where = `${file}: sections[${i}]`;
      if (raw === null || typeof raw !== "object") {
        problems.push(`${where} must be an object`);
        return;
      }
      const s = raw as Record<string, unknown>;
      if (typeof s.glob !== "string" || s.glob === "") {
        problems.push(`${where}.glob must be a non-empty string`);
        return;
      }
      const display = s.display ?? "list";
      if (typeof display !== "string" || !(DISPLAYS as readonly string[]).includes(display)) {
        problems.push(`${where}.display must be one of ${DISPLAYS.join(", ")}`);
        return;
      }
      sections.push({
        title: typeof s.title === "string" ? s.title : s.glob,
        glob: s.glob,
        display: display as Display,
        ...(typeof s.stretch === "string" ? { stretch: s.stretch } : {}),
        ...(typeof s.cmap === "string" ? { cmap: s.cmap } : {}),
        ...(typeof s.lines === "number" && Number.isInteger(s.lines) && s.lines > 0 && s.lines <= 1000
          ? { lines: s.lines }
          : {}),
      });
    });
  return { layout: { title, sections }, problems };
}

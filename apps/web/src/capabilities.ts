/** The seven things Meridian offers; the navigation groups pages under them. */

/** Identifier of one of the seven capabilities. */
export type CapabilityId = "observatory" | "planning" | "find" | "analysis" | "radio" | "sessions" | "viewer";

/** A capability as the UI names it. */
export interface Capability {
  id: CapabilityId;
  title: string;
  summary: string;
}

/** In the order the navigation shows them (ARCHITECTURE.md). */
export const CAPABILITIES: readonly Capability[] = [
  {
    id: "observatory",
    title: "Observatory cloud",
    summary: "Organisations, sites, telescopes, night logs, datasets and searchable FITS metadata.",
  },
  {
    id: "planning",
    title: "Planning",
    summary: "Observability of targets, twilights and the Moon, and satellite crossings.",
  },
  {
    id: "find",
    title: "Find data",
    summary: "Describe the data you need and resolve it against our holdings and IVOA services.",
  },
  {
    id: "analysis",
    title: "Analysis",
    summary: "Labeled arrays and catalogues, lazy and chunked, on all cores or a cluster.",
  },
  { id: "radio", title: "Radio", summary: "CASA tables and Measurement Sets as labeled, chunked datasets." },
  {
    id: "sessions",
    title: "Sessions",
    summary: "Interactive sessions you can checkpoint, restore and migrate.",
  },
  {
    id: "viewer",
    title: "Product viewer",
    summary: "Browse a pipeline's logs, plots, FITS images, tables and reports.",
  },
];

/**
 * The server's satellite catalogue: every element set ever added, kept by object and epoch
 * (`SatelliteCatalogue`), persisted as the original text files under `$MERIDIAN_HOME/tools/elements`
 * (one file per upload, never rewritten), and read back lazily on first use. An administrator may
 * also drop TLE or OMM files there (e.g. a CelesTrak download) before starting the server.
 */
import { createHash } from "node:crypto";
import { mkdir, readdir, readFile, rename, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { type ElementSet, parseElements, SatelliteCatalogue, type TleProblem } from "@meridian/plan";

const ELEMENT_FILE = /\.(tle|3le|2le|txt|json|xml|csv)$/i;

/** Result of adding element text to the store. */
export interface ElementsAdded {
  readonly added: number;
  readonly objects: number;
  readonly problems: TleProblem[];
}

export class ElementStore {
  readonly #dir: string;
  #loading: Promise<SatelliteCatalogue> | undefined;
  /** Names by catalogue number (the newest title seen). */
  readonly #names = new Map<string, string>();

  constructor(dir: string) {
    this.#dir = dir;
  }

  /** The catalogue, loading the stored files the first time. */
  catalogue(): Promise<SatelliteCatalogue> {
    this.#loading ??= this.#load();
    return this.#loading;
  }

  async #load(): Promise<SatelliteCatalogue> {
    const cat = new SatelliteCatalogue();
    let files: string[] = [];
    try {
      files = (await readdir(this.#dir)).filter((f) => ELEMENT_FILE.test(f)).sort();
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== "ENOENT") throw err;
    }
    for (const f of files) {
      const parsed = parseElements(await readFile(join(this.#dir, f), "utf8"));
      this.#remember(parsed.records);
      cat.add(parsed.records);
    }
    return cat;
  }

  #remember(sets: readonly ElementSet[]): void {
    for (const s of sets) this.#names.set(s.satnum.trim(), s.name);
  }

  /** Name of an object, if held. */
  name(satnum: string): string | undefined {
    return this.#names.get(satnum.trim());
  }

  /**
   * Parse `text` and add its good sets; the text is stored (written to a temporary name, then
   * renamed) only when it held at least one good set.
   */
  async add(text: string): Promise<ElementsAdded> {
    const cat = await this.catalogue();
    const parsed = parseElements(text);
    if (parsed.records.length > 0) {
      await mkdir(this.#dir, { recursive: true });
      const sha = createHash("sha256").update(text).digest("hex").slice(0, 12);
      const ext =
        text.trimStart().startsWith("{") || text.trimStart().startsWith("[")
          ? "json"
          : text.trimStart().startsWith("<")
            ? "xml"
            : "txt";
      const name = `${new Date().toISOString().replace(/[:.]/g, "-")}-${sha}.${ext}`;
      await writeFile(join(this.#dir, `.${name}.part`), text, "utf8");
      await rename(join(this.#dir, `.${name}.part`), join(this.#dir, name));
      this.#remember(parsed.records);
      cat.add(parsed.records);
    }
    return { added: parsed.records.length, objects: cat.size, problems: parsed.problems };
  }
}

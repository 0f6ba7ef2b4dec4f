/**
 * Shell-style globs for include/exclude filters: `*` and `?` stay within one path segment, `**`
 * crosses segments, `[abc]`/`[!abc]` are classes and `{a,b}` alternatives. A pattern without `/`
 * matches the last segment (the file name), as in .gitignore.
 */

function escapeRegex(c: string): string {
  return /[\\^$.*+?()[\]{}|/]/.test(c) ? `\\${c}` : c;
}

/** Compile one glob to a RegExp matching a whole `/`-separated relative path. */
export function globToRegExp(glob: string): RegExp {
  let re = "";
  let braces = 0;
  for (let i = 0; i < glob.length; i++) {
    const c = glob[i]!;
    if (c === "*") {
      if (glob[i + 1] === "*") {
        i++;
        if (glob[i + 1] === "/") {
          i++;
          re += "(?:.*/)?";
        } else re += ".*";
      } else re += "[^/]*";
    } else if (c === "?") re += "[^/]";
    else if (c === "[") {
      const end = glob.indexOf("]", i + 2);
      if (end < 0) re += "\\[";
      else {
        let body = glob.slice(i + 1, end);
        if (body.startsWith("!")) body = `^${body.slice(1)}`;
        re += `[${body.replace(/\\/g, "\\\\")}]`;
        i = end;
      }
    } else if (c === "{") {
      braces++;
      re += "(?:";
    } else if (c === "}" && braces > 0) {
      braces--;
      re += ")";
    } else if (c === "," && braces > 0) re += "|";
    else re += escapeRegex(c);
  }
  while (braces-- > 0) re += ")";
  return new RegExp(`^${re}$`, "i");
}

/** A compiled set of include/exclude globs. */
export type PathFilter = (relPath: string) => boolean;

/** Split a user's filter text ("*.log *.png") into globs. */
export function splitGlobs(text: string | undefined): string[] {
  if (text === undefined) return [];
  return text
    .split(/\s+/)
    .map((s) => s.trim())
    .filter((s) => s !== "");
}

/** Filter that keeps paths matching any include (or all, with none) and no exclude. */
export function pathFilter(include: readonly string[], exclude: readonly string[]): PathFilter {
  const compile = (g: string) => {
    const re = globToRegExp(g);
    return g.includes("/")
      ? (p: string) => re.test(p)
      : (p: string) => re.test(p.slice(p.lastIndexOf("/") + 1));
  };
  const inc = include.map(compile);
  const exc = exclude.map(compile);
  return (p) => (inc.length === 0 || inc.some((f) => f(p))) && !exc.some((f) => f(p));
}

/** The viewer's text helpers: ANSI colour parsing and the Markdown block parser. */
import { describe, expect, test } from "vitest";
import { parseAnsi, stripAnsi } from "../src/viewer/ansi.js";
import { parseBlocks } from "../src/viewer/markdown-blocks.js";
import { resolveRelative } from "../src/viewer/viewer-api.js";

const E = "\u001b";

describe("ANSI", () => {
  test("SGR colours, bold and reset become classes", () => {
    expect(parseAnsi(`${E}[1;31mERROR${E}[0m done`)).toEqual([
      { text: "ERROR", classes: ["ansi-bold", "ansi-fg-1"] },
      { text: " done", classes: [] },
    ]);
    expect(parseAnsi(`${E}[92mok`)).toEqual([{ text: "ok", classes: ["ansi-fg-10"] }]);
  });

  test("256-colour and truecolour become inline colours", () => {
    expect(parseAnsi(`${E}[38;5;196mred${E}[48;2;1;2;3mbg`)).toEqual([
      { text: "red", classes: [], color: "rgb(255,0,0)" },
      { text: "bg", classes: [], color: "rgb(255,0,0)", background: "rgb(1,2,3)" },
    ]);
  });

  test("other escape sequences are dropped", () => {
    expect(stripAnsi(`${E}[2K${E}]0;title\u0007progress ${E}[1A50%`)).toBe("progress 50%");
    expect(parseAnsi("plain")).toEqual([{ text: "plain", classes: [] }]);
  });
});

describe("Markdown blocks", () => {
  test("headings, lists, code, quotes, tables and paragraphs", () => {
    expect(
      parseBlocks(
        "# Title\n\n- a\n- b\n\n```py\nx = 1\n```\n> quoted\n\n| a | b |\n|---|---|\n| 1 | 2 |\n\nsome\ntext\n<script>x</script>",
      ),
    ).toEqual([
      { type: "heading", level: 1, text: "Title" },
      { type: "list", ordered: false, items: ["a", "b"] },
      { type: "code", lang: "py", text: "x = 1" },
      { type: "quote", lines: ["quoted"] },
      { type: "table", header: ["a", "b"], rows: [["1", "2"]] },
      { type: "paragraph", text: "some text <script>x</script>" },
    ]);
  });

  test("relative links stay inside the tree", () => {
    expect(resolveRelative("docs/a", "../img/x.png")).toBe("docs/img/x.png");
    expect(resolveRelative("docs", "../../etc/passwd")).toBeNull();
    expect(resolveRelative("", "./README.md")).toBe("README.md");
  });
});

describe("fuzz", () => {
  test("ANSI and Markdown parsing never throw on junk, and keep the visible text", () => {
    let seed = 11;
    const random = () => {
      seed = (seed * 1103515245 + 12345) % 2 ** 31;
      return seed / 2 ** 31;
    };
    const parts = [
      E,
      "[",
      "]",
      ";",
      "m",
      "38",
      "5",
      "2",
      "1",
      "0",
      "\u0007",
      "x",
      " ",
      "#",
      "*",
      "`",
      "|",
      "-",
      ">",
      "\n",
      "(",
      ")",
      "!",
    ];
    for (let i = 0; i < 3000; i++) {
      const text = Array.from(
        { length: Math.floor(random() * 30) },
        () => parts[Math.floor(random() * parts.length)],
      ).join("");
      const segments = parseAnsi(text);
      expect(segments.map((s) => s.text).join("")).toBe(stripAnsi(text));
      expect(Array.isArray(parseBlocks(text))).toBe(true);
    }
  });
});

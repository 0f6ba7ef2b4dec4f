/** The YAML subset of meridian-view.yaml: what a layout needs, errors with line numbers, fuzz. */
import { describe, expect, test } from "vitest";
import { LayoutYamlError, parseLayoutYaml } from "./layout-yaml.js";

describe("layout YAML", () => {
  test("a layout document", () => {
    const doc = parseLayoutYaml(`# Run 42
title: "Run 42: report"
sections:
  - title: Plots
    glob: plots/*.png   # all plots
    display: gallery
  - title: 'Images'
    glob: "**/*.fits"
    display: fits
    stretch: asinh
    lines: 10
    tags: [a, 2, true]
  -
    glob: logs/*.log
empty:
`);
    expect(doc).toEqual({
      title: "Run 42: report",
      sections: [
        { title: "Plots", glob: "plots/*.png", display: "gallery" },
        {
          title: "Images",
          glob: "**/*.fits",
          display: "fits",
          stretch: "asinh",
          lines: 10,
          tags: ["a", 2, true],
        },
        { glob: "logs/*.log" },
      ],
      empty: null,
    });
  });

  test("sequences at the key's indentation, nested lists", () => {
    expect(parseLayoutYaml("a:\n- 1\n- x\nb:\n  - - 2\n    - 3\n")).toEqual({ a: [1, "x"], b: [[2, 3]] });
  });

  test("errors name the line", () => {
    expect(() => parseLayoutYaml("title: x\n  oops: 1\n")).toThrow("line 2: unexpected indentation");
    expect(() => parseLayoutYaml("a: 1\na: 2\n")).toThrow('line 2: duplicate key "a"');
    expect(() => parseLayoutYaml("a: &anchor x\n")).toThrow('line 1: unsupported YAML feature "&"');
    expect(() => parseLayoutYaml('a: "open\n')).toThrow("line 1: unterminated double-quoted string");
  });

  test("fuzz: junk raises only LayoutYamlError and never hangs", () => {
    let seed = 5;
    const random = () => {
      seed = (seed * 1103515245 + 12345) % 2 ** 31;
      return seed / 2 ** 31;
    };
    const parts = [
      "a",
      ":",
      " ",
      "  ",
      "- ",
      "\n",
      "#",
      '"',
      "'",
      "[",
      "]",
      ",",
      "&",
      "1",
      "-",
      "\t",
      "x: y",
    ];
    for (let i = 0; i < 3000; i++) {
      const text = Array.from(
        { length: Math.floor(random() * 30) },
        () => parts[Math.floor(random() * parts.length)],
      ).join("");
      try {
        parseLayoutYaml(text);
      } catch (err) {
        expect(err, JSON.stringify(text)).toBeInstanceOf(LayoutYamlError);
      }
    }
  });
});

import { readFileSync } from "node:fs";
import { describe, expect, test } from "vitest";
import { sharedFixture } from "../../../test/paths.js";
import { isFitsError } from "./errors.js";
import { cardImages, Header, makeCard, parseCard, parseHeaderBytes, parseHeaderText } from "./header.js";

function block(cards: string[]): Uint8Array {
  const text = cards.map((c) => c.padEnd(80)).join("");
  const n = Math.ceil(text.length / 2880) * 2880;
  const out = new Uint8Array(n).fill(0x20);
  for (let i = 0; i < text.length; i++) out[i] = text.charCodeAt(i);
  return out;
}

describe("parseCard", () => {
  test("typed values and comments", () => {
    expect(parseCard("SIMPLE  =                    T / conforms")).toMatchObject({
      key: "SIMPLE",
      value: true,
      type: "boolean",
      comment: "conforms",
    });
    expect(parseCard("BITPIX  =                  -32")).toMatchObject({ value: -32, type: "integer" });
    expect(parseCard("BIG     = 123456789012345678901")).toMatchObject({ value: 123456789012345678901n });
    expect(parseCard("CDELT1  = -1.5D-03 / deg")).toMatchObject({
      value: -0.0015,
      type: "float",
      comment: "deg",
    });
    expect(parseCard("OBJECT  = 'O''Brien  '  / who")).toMatchObject({ value: "O'Brien", comment: "who" });
    expect(parseCard("Z       = (1.5, -2)")).toMatchObject({ value: { re: 1.5, im: -2 }, type: "complex" });
    expect(parseCard("UNDEF   =          / nothing")).toMatchObject({ value: undefined, type: "undefined" });
    expect(parseCard("HISTORY   made by hand")).toMatchObject({
      kind: "commentary",
      value: "  made by hand",
    });
    expect(parseCard("HIERARCH ESO DET CHIP NAME = 'CCD1' / chip")).toMatchObject({
      key: "ESO DET CHIP NAME",
      value: "CCD1",
      hierarch: true,
    });
  });

  test("bad keyword is a tagged error", () => {
    expect(() => parseCard("BAD KEY = 1", { hdu: 2, offset: 160 })).toThrow(/HDU 2/);
    try {
      parseCard("a       = 1");
    } catch (err) {
      expect(isFitsError(err, "BAD_CARD")).toBe(true);
    }
  });
});

describe("Header", () => {
  test("CONTINUE long strings join and round-trip", () => {
    const bytes = block([
      "SIMPLE  =                    T",
      "LONG    = 'abc&'  / first",
      "CONTINUE  'def&'",
      "CONTINUE  'ghi' / last",
      "END",
    ]);
    const { header, byteLength } = parseHeaderBytes(bytes);
    expect(byteLength).toBe(2880);
    expect(header.get("long")).toBe("abcdefghi");
    expect(header.comment("LONG")).toBe("first last");
    expect(header.length).toBe(2);
    expect(header.toBytes()).toEqual(bytes);
    const long = "x".repeat(150);
    const h = new Header().set("LONGSTR", long, "a comment");
    const again = parseHeaderBytes(h.toBytes()).header;
    expect(again.get("LONGSTR")).toBe(long);
    expect(again.comment("LONGSTR")).toBe("a comment");
  });

  test("editing keeps order and comments", () => {
    const { header } = parseHeaderBytes(
      block([
        "SIMPLE  =                    T",
        "BITPIX  =                    8 / bits",
        "NAXIS   =                    0",
        "END",
      ]),
    );
    header.set("BITPIX", 16);
    header.set("OBJECT", "M31", "target", { after: "SIMPLE" });
    header.addHistory("edited");
    expect(header.keys()).toEqual(["SIMPLE", "OBJECT", "BITPIX", "NAXIS", "HISTORY"]);
    expect(header.comment("BITPIX")).toBe("bits");
    expect(cardImages(header.getCard("BITPIX") ?? makeCard("X", 1))[0]).toBe(
      "BITPIX  =                   16 / bits".padEnd(80),
    );
    header.delete("OBJECT");
    expect(header.has("OBJECT")).toBe(false);
  });

  test("floats keep a decimal point and every digit", () => {
    const h = new Header()
      .set("A", 5, undefined, { type: "float" })
      .set("B", 1.2345678901234568e-300)
      .set("C", 1e21);
    const again = parseHeaderBytes(h.toBytes()).header;
    expect(again.getCard("A")?.type).toBe("float");
    expect(again.get("B")).toBe(1.2345678901234568e-300);
    expect(again.get("C")).toBe(1e21);
  });

  test("missing END and junk bytes are tagged errors with offsets", () => {
    const noEnd = block(["SIMPLE  =                    T"]);
    expect(() => parseHeaderBytes(noEnd, { hdu: 0, offset: 0 })).toThrow(/no END/);
    const junk = block(["SIMPLE  =                    T", "END"]);
    junk[5] = 0x01;
    try {
      parseHeaderBytes(junk, { hdu: 1, offset: 5760 });
      expect.unreachable();
    } catch (err) {
      expect(isFitsError(err, "BAD_CARD")).toBe(true);
      if (isFitsError(err)) expect([err.hdu, err.offset]).toEqual([1, 5765]);
    }
  });

  test("parseHeaderText reads .hdr files with and without newlines", () => {
    const text = readFileSync(sharedFixture("fits/wcs-headers/maps/1904-66_TAN.hdr"), "latin1");
    const h = parseHeaderText(text);
    expect(h.get("NAXIS1")).toBe(192);
    expect(h.getString("CTYPE1")).toBe("RA---TAN");
    const withLines = parseHeaderText(h.toCardImages().join("\n"));
    expect(withLines.keys()).toEqual(h.keys());
  });
});

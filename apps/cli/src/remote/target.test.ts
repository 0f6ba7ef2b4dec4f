/** `[user@]host:DIR` parsing, and remote quoting checked by a real POSIX sh. */
import { execFileSync } from "node:child_process";
import { describe, expect, test } from "vitest";
import { remotePathWord, shCommand, shQuote } from "./shell-quote.js";
import { parseRemoteTarget } from "./target.js";

describe("parseRemoteTarget", () => {
  test("user, host, IPv6 and empty directory", () => {
    expect(parseRemoteTarget("alice@node7:/data/run-42")).toEqual({
      destination: "alice@node7",
      dir: "/data/run-42",
    });
    expect(parseRemoteTarget("cluster:runs/42")).toEqual({ destination: "cluster", dir: "runs/42" });
    expect(parseRemoteTarget("bob@[::1]:/tmp")).toEqual({ destination: "bob@::1", dir: "/tmp" });
    expect(parseRemoteTarget("node7:")).toEqual({ destination: "node7", dir: "~" });
    expect(parseRemoteTarget("node7:a:b")).toEqual({ destination: "node7", dir: "a:b" });
  });

  test("refuses what is not a destination", () => {
    expect(() => parseRemoteTarget("/data/run")).toThrow(/no ":"/);
    expect(() => parseRemoteTarget(":/data")).toThrow(/not a usable ssh destination/);
    expect(() => parseRemoteTarget("-oProxyCommand=x:/d")).toThrow(/not a usable ssh destination/);
    expect(() => parseRemoteTarget("a;b:/d")).toThrow(/not a usable ssh destination/);
    expect(() => parseRemoteTarget("[::1/d")).toThrow(/no "\]:"/);
  });
});

describe("remote shell quoting", () => {
  const sh = (script: string, env: Record<string, string> = {}) =>
    execFileSync("/bin/sh", ["-c", script], { encoding: "utf8", env: { ...process.env, ...env } });

  test("any string survives shQuote as one word", () => {
    let seed = 3;
    const random = () => {
      seed = (seed * 1103515245 + 12345) % 2 ** 31;
      return seed / 2 ** 31;
    };
    const alphabet = ` '"\`$\\;&|<>(){}*?[]~#!%\t\u00e9x`;
    for (let i = 0; i < 100; i++) {
      const s = Array.from({ length: 1 + Math.floor(random() * 12) }, () =>
        alphabet.charAt(Math.floor(random() * alphabet.length)),
      ).join("");
      expect(sh(`printf '%s' ${shQuote(s)}`)).toBe(s);
    }
  });

  test("~ paths expand to the remote home, others stay literal", () => {
    expect(sh(`printf '%s' ${remotePathWord("~/runs/it's here")}`, { HOME: "/h" })).toBe("/h/runs/it's here");
    expect(sh(`printf '%s' ${remotePathWord("~")}`, { HOME: "/h" })).toBe("/h");
    expect(sh(`printf '%s' ${remotePathWord("/data/$x")}`)).toBe("/data/$x");
  });

  test("shCommand runs a one-line script with its label as $0", () => {
    expect(
      execFileSync("/bin/sh", ["-c", shCommand("printf '%s' \"$0\"", "meridian-remote x")], {
        encoding: "utf8",
      }),
    ).toBe("meridian-remote x");
    expect(() => shCommand("a\nb")).toThrow(/one line/);
  });
});

/** Which addresses the element-set fetcher refuses to contact on a user's behalf (SSRF guard). */
import { expect, test } from "vitest";
import { fetchElementsText, isPrivateAddress } from "../src/tools/fetch-elements.js";

test("loopback, private, link-local, CGNAT, multicast and mapped addresses are private; public ones are not", () => {
  const privateOnes = [
    "127.0.0.1",
    "127.255.0.9",
    "10.0.0.1",
    "172.16.5.4",
    "172.31.255.255",
    "192.168.1.1",
    "169.254.169.254",
    "100.64.0.1",
    "0.0.0.0",
    "224.0.0.1",
    "255.255.255.255",
    "::1",
    "::",
    "fe80::1",
    "fc00::1",
    "fd12:3456::1",
    "ff02::1",
    "::ffff:127.0.0.1",
    "::ffff:10.1.2.3",
    "not-an-address",
  ];
  const publicOnes = [
    "8.8.8.8",
    "1.1.1.1",
    "172.32.0.1",
    "192.169.0.1",
    "2001:4860:4860::8888",
    "::ffff:8.8.8.8",
  ];
  expect(privateOnes.filter((a) => !isPrivateAddress(a))).toEqual([]);
  expect(publicOnes.filter((a) => isPrivateAddress(a))).toEqual([]);
});

test("URLs that are not http(s), carry credentials or name a private address are refused before any connection", async () => {
  const limits = { maxBytes: 1000, timeoutMs: 1000, maxRedirects: 1, allowPrivate: false };
  for (const [url, why] of [
    ["ftp://example.org/x.tle", /only http and https/],
    ["http://user:pw@example.org/x", /credentials/],
    ["http://127.0.0.1:1/x", /private or local/],
    ["http://[::ffff:7f00:1]:1/x", /private or local/],
    ["not a url", /is not a URL/],
  ] as const) {
    await expect(fetchElementsText(url, limits), url).rejects.toThrow(why);
  }
});

import * as sky from "@meridian/sky";
import { expect, test } from "vitest";

test("package entry loads", () => {
  expect(typeof sky).toBe("object");
});

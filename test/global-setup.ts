/** Runs once before the whole suite. Service discovery lives in test/services.ts. */
export default function setup(): void {
  process.env.MERIDIAN_TEST = "1";
}

// Child of bench/fits/read.mjs: open a cube, read one plane, print seconds and peak RSS as JSON.
// Run: node bench/fits/read-plane.mjs CUBE.fits PLANE
import { readFileSync } from "node:fs";
import { openFitsFile } from "../../packages/fits/dist/node.js";

const [path, plane] = process.argv.slice(2);
const t0 = performance.now();
const f = await openFitsFile(path);
const { data } = await f.readImage(0, { plane: Number(plane) });
await f.close();
const seconds = (performance.now() - t0) / 1000;
// VmHWM, not getrusage: ru_maxrss survives exec, so it would report the parent's peak.
const hwm = Number(/VmHWM:\s+(\d+)/.exec(readFileSync("/proc/self/status", "utf8"))?.[1]);
console.log(JSON.stringify({ seconds, check: data[10 * 1024 + 10], maxRssKiB: hwm }));

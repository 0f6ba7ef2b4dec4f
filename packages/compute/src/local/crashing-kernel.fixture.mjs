// A kernel that ends its worker thread (process.exit inside a worker thread stops only that
// thread): errors-cancel.test.ts checks the pool reports WORKER_DIED and recovers.
import { defineKernel } from "@meridian/compute";

export const crash = defineKernel(import.meta.url, "crash", {
  run() {
    process.exit(3);
  },
});

/**
 * What each program entry (the Action's `main.ts`, the CLI's) does around its work:
 * in a scan worker thread, serve the scan and nothing else; otherwise do the work in a
 * process started with --liftoff-only (`liftoff-relaunch.ts`), where the repository
 * scan may start worker threads on this same entry file (`context/scan-pool.ts`).
 */
import { enableScanWorkers, serveScanIfWorker } from "./context/scan-pool.js";
import { runWithLiftoff } from "./liftoff-relaunch.js";

export async function runEntry(work: () => Promise<void>): Promise<void> {
  if (serveScanIfWorker()) return;
  await runWithLiftoff(async () => {
    const script = process.argv[1];
    if (script !== undefined) enableScanWorkers(script);
    await work();
  });
}

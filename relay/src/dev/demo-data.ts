import fs from 'node:fs/promises';
import { dataDirInUse } from '../db/data-dir-lock.js';

/**
 * The demo's Stripe sandbox keeps its objects beside the PGlite directory (as the relay's lock file
 * is), so the two stay consistent across restarts: a contact's customer id, a transaction's
 * PaymentIntent and a refund's charge still exist at the sandbox after `npm start` again.
 */
export function demoSandboxStateFile(dataDir: string): string {
  return `${dataDir}.stripe-sandbox.json`;
}

/**
 * `npm run demo:reset`: forgets the demo's database and its Stripe sandbox together (a reset of
 * one alone would leave ids the other does not know). Refuses while a demo holds the directory.
 */
export async function resetDemoData(dataDir: string): Promise<string[]> {
  if (await dataDirInUse(dataDir)) {
    throw new Error(`A relay is using ${dataDir}: stop \`npm start\` first, then reset.`);
  }
  const removed: string[] = [];
  for (const target of [dataDir, demoSandboxStateFile(dataDir)]) {
    const exists = await fs.stat(target).then(
      () => true,
      () => false,
    );
    if (!exists) continue;
    await fs.rm(target, { recursive: true, force: true });
    removed.push(target);
  }
  return removed;
}

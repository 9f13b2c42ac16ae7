/**
 * The HubSpot sandbox in a process of its own for the bench (HubSpot is remote in production, so
 * its work should not share the worker's core). Answers a few control messages over IPC.
 */
import { startHubSpotSandbox } from '@onepagepay/sandbox';

type Request =
  | { id: number; type: 'createPortal' }
  | { id: number; type: 'stats' }
  | { id: number; type: 'resetStats' }
  | { id: number; type: 'dealCount'; portalId: number };

const maxPerWindow = Number(process.env.BENCH_MAX_PER_WINDOW ?? 100);
const windowMs = Number(process.env.BENCH_WINDOW_MS ?? 1000);
const sandbox = await startHubSpotSandbox({ rateLimit: { maxPerWindow, windowMs } });
process.send?.({ type: 'ready', url: sandbox.url });
process.on('message', (request: Request) => {
  const answer = (() => {
    switch (request.type) {
      case 'createPortal':
        return sandbox.createPortal();
      case 'stats':
        return sandbox.stats();
      case 'resetStats':
        return sandbox.resetStats();
      case 'dealCount':
        return sandbox.deals(request.portalId).length;
    }
  })();
  process.send?.({ id: request.id, answer });
});
process.on('disconnect', () => void sandbox.close().then(() => process.exit(0)));

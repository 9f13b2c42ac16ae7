import { startPassThrough } from './pass-through.js';

/** One deal written to HubSpot: which transaction, by which relay's worker, when HubSpot took it. */
export interface DealWrite {
  transactionId: string;
  relay: string;
  at: number;
}

/**
 * A pass-through proxy between one relay and the HubSpot sandbox that notes every deal HubSpot
 * accepted in a batch upsert (the relay's write of a transaction). One tap per relay, so a write is
 * attributed to the relay that made it; all taps note into one shared list.
 */
export class HubSpotTap {
  private proxy!: Awaited<ReturnType<typeof startPassThrough>>;

  static async start(target: string, relay: string, writes: DealWrite[]): Promise<HubSpotTap> {
    const tap = new HubSpotTap();
    tap.proxy = await startPassThrough(target, (exchange, reply) => {
      if (
        exchange.method === 'POST' &&
        exchange.path.startsWith('/crm/v3/objects/deals/batch/upsert') &&
        exchange.upstream &&
        exchange.upstream.status < 300
      ) {
        const { inputs = [] } = JSON.parse(exchange.body.toString()) as { inputs?: Array<{ id: string }> };
        const at = Date.now();
        for (const input of inputs) writes.push({ transactionId: input.id, relay, at });
      }
      reply();
    });
    return tap;
  }

  get url(): string {
    return this.proxy.url;
  }

  close(): Promise<void> {
    return this.proxy.close();
  }
}

/** Deal writes per transaction. */
export function writesPerTransaction(writes: readonly DealWrite[]): Map<string, DealWrite[]> {
  const byTransaction = new Map<string, DealWrite[]>();
  for (const write of writes) {
    byTransaction.set(write.transactionId, [...(byTransaction.get(write.transactionId) ?? []), write]);
  }
  return byTransaction;
}

import { readFile, rename, writeFile } from 'node:fs/promises';
import { IdempotencyStore, type SavedIdempotency } from './idempotency.js';
import { World, type Ledger, type StripeObject } from './store.js';

const FORMAT = 1;

/** What a state file holds: every ledger's objects, the Connect accounts and the idempotency records. */
interface SavedSandbox {
  format: typeof FORMAT;
  platformAccountId: string;
  accounts: StripeObject[];
  ledgers: Record<string, Record<string, unknown[]>>;
  idempotency: SavedIdempotency[];
}

/** The sandbox's objects as JSON text. Indexes are left out: they are rebuilt from the objects. */
export function serializeSandbox(world: World, idempotency: IdempotencyStore): string {
  const ledgers: SavedSandbox['ledgers'] = {};
  for (const [name, ledger] of world.allLedgers()) {
    const fields: Record<string, unknown[]> = {};
    for (const [field, value] of Object.entries(ledger)) {
      if (value instanceof Map || value instanceof Set) fields[field] = [...value];
      else if (Array.isArray(value)) fields[field] = value;
    }
    ledgers[name] = fields;
  }
  const saved: SavedSandbox = {
    format: FORMAT,
    platformAccountId: world.platformAccountId,
    accounts: world.allAccounts(),
    ledgers,
    idempotency: idempotency.exportFinished(),
  };
  return JSON.stringify(saved);
}

/** Reads a state file; a missing file is a fresh sandbox (undefined), a damaged one an error that says so. */
export async function readSandboxState(
  file: string,
): Promise<{ world: World; idempotency: IdempotencyStore } | undefined> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw error;
  }
  let saved: SavedSandbox;
  try {
    saved = JSON.parse(text) as SavedSandbox;
  } catch {
    throw new Error(`The Stripe sandbox state file ${file} is not valid JSON: delete it to start afresh.`);
  }
  if (saved.format !== FORMAT) {
    throw new Error(
      `The Stripe sandbox state file ${file} has an unknown format: delete it to start afresh.`,
    );
  }
  const world = new World(saved.platformAccountId);
  for (const account of saved.accounts) world.addAccount(account);
  for (const [name, fields] of Object.entries(saved.ledgers)) restoreLedger(world.ledgerNamed(name), fields);
  const idempotency = new IdempotencyStore();
  idempotency.importFinished(saved.idempotency);
  return { world, idempotency };
}

function restoreLedger(ledger: Ledger, fields: Record<string, unknown[]>): void {
  for (const [field, items] of Object.entries(fields)) {
    const target: unknown = (ledger as unknown as Record<string, unknown>)[field];
    if (target instanceof Map)
      for (const [key, value] of items as Array<[unknown, unknown]>) target.set(key, value);
    else if (target instanceof Set) for (const item of items) target.add(item);
    else if (Array.isArray(target)) target.push(...items);
  }
  // The indexes in creation order, as the handlers that make each object fill them.
  for (const customer of ledger.customers.values()) ledger.customersByEmail.add(customer, customer.email);
  for (const intent of ledger.paymentIntents.values())
    ledger.paymentIntentsByCustomer.add(intent, intent.customer);
  for (const charge of ledger.charges.values())
    ledger.chargesByPaymentIntent.add(charge, charge.payment_intent);
}

/**
 * Keeps a state file up to date without slowing requests: a change schedules one write a while
 * later, so a burst of requests costs one snapshot; the snapshot goes to a temporary file renamed
 * over the old one, so a crash mid-write leaves the previous state whole. The wait grows with the
 * cost of a snapshot (at least 50 times the last one), which bounds the time spent writing to about
 * 2% however large the state grows.
 */
export class StateFileWriter {
  private timer: NodeJS.Timeout | undefined;
  private writing: Promise<void> = Promise.resolve();
  private lastCostMs = 0;

  constructor(
    private readonly file: string,
    private readonly serialize: () => string,
    private readonly delayMs = 250,
    private readonly onError: (error: unknown) => void = (error) =>
      console.error(`stripe sandbox: could not write ${file}:`, error),
  ) {}

  /** Notes a change: a write follows within the delay. */
  schedule(): void {
    if (this.timer) return;
    this.timer = setTimeout(
      () => {
        this.timer = undefined;
        this.writing = this.writing.then(() => this.write());
      },
      Math.max(this.delayMs, this.lastCostMs * 50),
    );
  }

  /** Writes any scheduled change now (shutdown). */
  async flush(): Promise<void> {
    if (this.timer) {
      clearTimeout(this.timer);
      this.timer = undefined;
      this.writing = this.writing.then(() => this.write());
    }
    await this.writing;
  }

  /** One snapshot; a failed write is reported and the next change tries again. */
  private async write(): Promise<void> {
    try {
      await this.writeSnapshot();
    } catch (error) {
      this.onError(error);
    }
  }

  private async writeSnapshot(): Promise<void> {
    const started = performance.now();
    const text = this.serialize();
    this.lastCostMs = performance.now() - started;
    const temporary = `${this.file}.${process.pid}.tmp`;
    await writeFile(temporary, text);
    await rename(temporary, this.file);
  }
}

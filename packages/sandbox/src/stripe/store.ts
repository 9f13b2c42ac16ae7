import type { CardDetails } from './card-details.js';
import { GroupIndex } from './group-index.js';
import { createId } from './ids.js';
import type { CardOutcome } from './test-cards.js';

/** Any stored Stripe object: `id`, `object`, `livemode` (not every kind has it) and the rest. */
export interface StripeObject {
  id: string;
  object: string;
  /** Absent on kinds Stripe sends without it (refunds). */
  livemode?: boolean;
  [field: string]: unknown;
}

export type PaymentIntentStatus =
  | 'requires_payment_method'
  | 'requires_confirmation'
  | 'requires_action'
  | 'processing'
  | 'succeeded'
  | 'canceled';

export interface PaymentIntent extends StripeObject {
  object: 'payment_intent';
  amount: number;
  amount_received: number;
  currency: string;
  status: PaymentIntentStatus;
  client_secret: string;
  confirmation_method: 'automatic' | 'manual';
  customer: string | null;
  payment_method: string | null;
  latest_charge: string | null;
  last_payment_error: Record<string, unknown> | null;
  next_action: Record<string, unknown> | null;
  metadata: Record<string, string>;
}

export interface Charge extends StripeObject {
  object: 'charge';
  amount: number;
  amount_refunded: number;
  currency: string;
  paid: boolean;
  refunded: boolean;
  status: 'succeeded' | 'failed';
  payment_intent: string | null;
  disputed: boolean;
}

export interface Customer extends StripeObject {
  object: 'customer';
  email: string | null;
  created: number;
  metadata: Record<string, string>;
}

/** Card data waiting inside a confirmation token until a payment confirms with it. */
export interface PendingCard {
  details: CardDetails;
  billing: Record<string, unknown>;
}

/** Where an object lives: test or live mode, the platform or one connected account. */
export interface Scope {
  livemode: boolean;
  account?: string;
}

export function describeScope(scope: Scope): string {
  return `${scope.livemode ? 'live' : 'test'}:${scope.account ?? 'platform'}`;
}

/** Every object of one scope. Nothing here ever holds a full card number. */
export class Ledger {
  readonly paymentIntents = new Map<string, PaymentIntent>();
  readonly customers = new Map<string, Customer>();
  readonly paymentMethods = new Map<string, StripeObject>();
  readonly confirmationTokens = new Map<string, StripeObject>();
  readonly charges = new Map<string, Charge>();
  readonly refunds = new Map<string, StripeObject>();
  readonly disputes = new Map<string, StripeObject>();
  /** Ids of deleted customers: a retrieve answers them with the deleted stub, everything else 404s. */
  readonly deletedCustomers = new Set<string>();
  readonly events: StripeObject[] = [];
  /** What each payment method will do when a payment confirms with it, by payment method id. */
  readonly cardOutcomes = new Map<string, CardOutcome>();
  readonly pendingCards = new Map<string, PendingCard>();
  /** PaymentIntents left `processing` by an async test card, and how each will settle. */
  readonly asyncPayments = new Map<string, 'succeed' | 'fail'>();
  /** Refunds of the async-refund-failure card, which fail when settled. */
  readonly failingRefunds = new Set<string>();
  /** PaymentIntents whose 3-D Secure challenge has passed. */
  readonly authenticated = new Set<string>();
  // What list filters read instead of scanning every object; see GroupIndex for who keeps them.
  readonly customersByEmail = new GroupIndex<Customer>();
  readonly paymentIntentsByCustomer = new GroupIndex<PaymentIntent>();
  readonly chargesByPaymentIntent = new GroupIndex<Charge>();

  /** Finds an object by id through its prefix, for `expand[]`. */
  find(id: string): StripeObject | undefined {
    const prefix = id.slice(0, id.indexOf('_'));
    const table: Record<string, Map<string, StripeObject>> = {
      pi: this.paymentIntents,
      cus: this.customers,
      pm: this.paymentMethods,
      ctoken: this.confirmationTokens,
      ch: this.charges,
      re: this.refunds,
      dp: this.disputes,
    };
    return table[prefix]?.get(id);
  }
}

/** All ledgers and the Connect accounts of one sandbox. */
export class World {
  private readonly ledgers = new Map<string, Ledger>();
  private readonly accounts = new Map<string, StripeObject>();

  /** A restored sandbox passes its saved platform id, so ids already handed out stay the platform's. */
  constructor(readonly platformAccountId = createId('acct').slice(0, 21)) {}

  ledger(scope: Scope): Ledger {
    return this.ledgerNamed(describeScope(scope));
  }

  /** The ledger by its `describeScope` name, made on first use. */
  ledgerNamed(key: string): Ledger {
    let ledger = this.ledgers.get(key);
    if (!ledger) {
      ledger = new Ledger();
      this.ledgers.set(key, ledger);
    }
    return ledger;
  }

  addAccount(account: StripeObject): void {
    this.accounts.set(`${account.livemode}:${account.id}`, account);
  }

  account(livemode: boolean, id: string): StripeObject | undefined {
    return this.accounts.get(`${livemode}:${id}`);
  }

  allLedgers(): Array<[string, Ledger]> {
    return [...this.ledgers.entries()];
  }

  allAccounts(): StripeObject[] {
    return [...this.accounts.values()];
  }
}

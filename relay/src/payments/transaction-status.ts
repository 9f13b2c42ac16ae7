import type { PaymentStatus } from '@onepagepay/protocol';

const ALLOWED: Record<PaymentStatus, ReadonlySet<PaymentStatus>> = {
  processing: new Set(['requires_action', 'succeeded', 'failed']),
  requires_action: new Set(['processing', 'succeeded', 'failed']),
  // Money that moved is the truth: a late success overrides an earlier failure.
  failed: new Set(['succeeded']),
  succeeded: new Set(['partially_refunded', 'refunded', 'disputed']),
  partially_refunded: new Set(['partially_refunded', 'refunded', 'disputed']),
  disputed: new Set(['partially_refunded', 'refunded']),
  refunded: new Set(['disputed']),
};

/**
 * Events arrive out of order (a webhook can overtake the API response), so a status only moves
 * forward: a succeeded payment never goes back to processing or failed.
 */
export function canMoveTo(from: PaymentStatus, to: PaymentStatus): boolean {
  return from === to || ALLOWED[from].has(to);
}

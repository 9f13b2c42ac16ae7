/**
 * What a bench relay needs so its load is measured, not refused: the per-IP payment rate limit and
 * the card-testing caps (issue 14) raised far above any run. The guard still runs and counts every
 * attempt, as in production.
 */
export const UNTHROTTLED_RELAY_ENV = {
  RATE_LIMIT_PAYMENTS_PER_MINUTE: '10000000',
  CARD_ATTEMPTS_PER_IP_PER_HOUR: '10000000',
  CARD_ATTEMPTS_PER_EMAIL_PER_HOUR: '10000000',
  CARD_ATTEMPTS_PER_TENANT_PER_HOUR: '10000000',
  CARD_DECLINES_PER_EMAIL_PER_DAY: '10000000',
  CARD_DECLINES_PER_IP_PER_DAY: '10000000',
  CARD_FAILURES_PER_ATTEMPT: '10000000',
} as const;

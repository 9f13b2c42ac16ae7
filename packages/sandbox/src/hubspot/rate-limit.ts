import { HubSpotHttpError, createCorrelationId } from './http-kit.js';
import { startOfZonedDay } from './portal-settings.js';
import type { Portal, TokenRecord } from './state.js';

export interface RateLimitConfig {
  maxPerWindow: number;
  windowMs: number;
}

/** HubSpot's private-app burst limit: 100 calls per rolling 10 seconds per app and account. */
export const DEFAULT_RATE_LIMIT: RateLimitConfig = { maxPerWindow: 100, windowMs: 10_000 };
/** HubSpot's daily limit for private apps on Free and Starter accounts. */
export const DEFAULT_DAILY_LIMIT = 250_000;

/** Accepted-call timestamps, oldest first; `head` skips expired ones without shifting the array. */
interface Window {
  times: number[];
  head: number;
}

/**
 * Rolling-window and daily limits, counted per app per portal like HubSpot. Rejected calls are not
 * counted, so a client that backs off recovers once the oldest accepted call leaves the window.
 */
export class HubSpotLimiter {
  config: RateLimitConfig;
  readonly dailyLimit: number;
  private readonly windows = new Map<string, Window>();

  constructor(config: RateLimitConfig, dailyLimit: number) {
    this.config = config;
    this.dailyLimit = dailyLimit;
  }

  /** Counts one call, or throws HubSpot's 429 (with its headers) when a limit is reached. */
  admit(token: TokenRecord, portal: Portal, now: number): Record<string, string> {
    const window = this.prune(`${token.portalId}:${token.appKey}`, now);
    const daily = this.readDaily(portal, now);
    const exhaustedUntil = portal.dailyExhaustedUntil ?? 0;
    if (exhaustedUntil > now || (token.kind === 'private' && daily.count >= this.dailyLimit)) {
      // HubSpot documents no Retry-After on the DAILY 429: the limit resets at midnight in the
      // account's time zone, which the client reads from the account details.
      const headers = this.describe(token, window, now, this.dailyLimit);
      throw this.reject(token, 'DAILY', 'You have reached your daily limit.', headers);
    }
    const used = window.times.length - window.head;
    if (used >= this.config.maxPerWindow) {
      const oldest = window.times[window.head] ?? now;
      const headers = this.describe(token, window, now, daily.count);
      headers['Retry-After'] = String(Math.max(1, Math.ceil((oldest + this.config.windowMs - now) / 1000)));
      throw this.reject(
        token,
        'TEN_SECONDLY_ROLLING',
        'You have reached your ten_secondly_rolling limit.',
        headers,
      );
    }
    window.times.push(now);
    if (token.kind === 'private') daily.count++;
    return this.describe(token, window, now, daily.count);
  }

  private prune(key: string, now: number): Window {
    let window = this.windows.get(key);
    if (window === undefined) {
      window = { times: [], head: 0 };
      this.windows.set(key, window);
    }
    const cutoff = now - this.config.windowMs;
    while (window.head < window.times.length && (window.times[window.head] as number) <= cutoff)
      window.head++;
    if (window.head > 1024) {
      window.times = window.times.slice(window.head);
      window.head = 0;
    }
    return window;
  }

  private readDaily(portal: Portal, now: number): Portal['daily'] {
    const dayStart = startOfZonedDay(now, portal.settings.timeZone);
    if (portal.daily.dayStart !== dayStart) portal.daily = { dayStart, count: 0 };
    return portal.daily;
  }

  /** The X-HubSpot-RateLimit-* headers; OAuth calls carry no daily ones, as in HubSpot. */
  private describe(
    token: TokenRecord,
    window: Window,
    now: number,
    dailyCount: number,
  ): Record<string, string> {
    const used = window.times.length - window.head;
    let lastSecond = 0;
    for (let index = window.times.length - 1; index >= window.head; index--) {
      if ((window.times[index] as number) <= now - 1000) break;
      lastSecond++;
    }
    const secondly = Math.max(1, Math.floor((this.config.maxPerWindow * 1000) / this.config.windowMs));
    const headers: Record<string, string> = {
      'X-HubSpot-RateLimit-Interval-Milliseconds': String(this.config.windowMs),
      'X-HubSpot-RateLimit-Max': String(this.config.maxPerWindow),
      'X-HubSpot-RateLimit-Remaining': String(Math.max(0, this.config.maxPerWindow - used)),
      'X-HubSpot-RateLimit-Secondly': String(secondly),
      'X-HubSpot-RateLimit-Secondly-Remaining': String(Math.max(0, secondly - lastSecond)),
    };
    if (token.kind === 'private') {
      headers['X-HubSpot-RateLimit-Daily'] = String(this.dailyLimit);
      headers['X-HubSpot-RateLimit-Daily-Remaining'] = String(Math.max(0, this.dailyLimit - dailyCount));
    }
    return headers;
  }

  private reject(
    token: TokenRecord,
    policyName: 'DAILY' | 'TEN_SECONDLY_ROLLING',
    message: string,
    headers: Record<string, string>,
  ): HubSpotHttpError {
    const period = policyName === 'DAILY' ? 'daily' : 'ten-secondly';
    const group =
      token.kind === 'private'
        ? `publicapi:private-app-api-calls-${period}:${token.appId}:${token.portalId}`
        : `publicapi:oauth-app-api-calls-${period}:${token.appId}:${token.portalId}`;
    return new HubSpotHttpError(
      429,
      {
        status: 'error',
        message,
        errorType: 'RATE_LIMIT',
        correlationId: createCorrelationId(),
        policyName,
        groupName: group,
      },
      headers,
    );
  }
}

import helmet from 'koa-helmet';
import type { Middleware } from 'koa';
import { RelayError } from '../errors.js';

/**
 * The relay serves JSON only, so its CSP forbids everything; HSTS is long-lived with preload, and
 * responses are never cached by intermediaries unless a route says so.
 */
export function securityHeaders(): Middleware {
  const headers = helmet({
    contentSecurityPolicy: {
      useDefaults: false,
      directives: {
        defaultSrc: ["'none'"],
        frameAncestors: ["'none'"],
        baseUri: ["'none'"],
        formAction: ["'none'"],
      },
    },
    strictTransportSecurity: { maxAge: 63_072_000, includeSubDomains: true, preload: true },
    crossOriginResourcePolicy: { policy: 'same-site' },
    referrerPolicy: { policy: 'no-referrer' },
    xFrameOptions: { action: 'deny' },
  }) as unknown as Middleware;
  return async (ctx, next) => {
    await headers(ctx, async () => {
      ctx.set('Cache-Control', 'no-store');
      ctx.set('Permissions-Policy', 'camera=(), microphone=(), geolocation=(), payment=()');
      await next();
    });
  };
}

/** Behind a TLS-terminating proxy, plain HTTP requests are refused rather than served. */
export function requireHttps(enabled: boolean): Middleware {
  return async (ctx, next) => {
    if (enabled && ctx.protocol !== 'https') {
      throw new RelayError('forbidden', 'This relay only answers over HTTPS.');
    }
    await next();
  };
}

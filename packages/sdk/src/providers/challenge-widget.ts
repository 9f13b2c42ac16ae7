import { OnePagePayError } from '../errors.js';
import type { FormConfig } from '../relay-client.js';

export type Challenge = NonNullable<FormConfig['challenge']>;

/** What Turnstile's and hCaptcha's api.js both define (window.turnstile, window.hcaptcha). */
export interface WidgetApi {
  render(
    container: HTMLElement,
    params: {
      sitekey: string;
      callback(token: string): void;
      'error-callback'(): void;
      'expired-callback'(): void;
    },
  ): string;
  reset(widgetId?: string): void;
  remove(widgetId?: string): void;
}

/** The providers' own scripts; a relay talking to the sandbox fake names its copy (`scriptUrl`). */
const SCRIPTS = {
  turnstile: 'https://challenges.cloudflare.com/turnstile/v0/api.js',
  hcaptcha: 'https://js.hcaptcha.com/1/api.js',
};

const loads = new Map<string, Promise<WidgetApi>>();
let callbacks = 0;

/**
 * The provider's api.js, once per window and URL, in explicit-render mode with an `onload`
 * callback (as both providers document for scripts added after the page loaded). A failed load is
 * removed and forgotten, so the next payment step retries; a page that loaded the API itself is
 * reused as it is.
 */
export function loadWidgetApi(challenge: Challenge, doc: Document, nonce?: string): Promise<WidgetApi> {
  const win = doc.defaultView as unknown as Record<string, unknown>;
  const existing = win[challenge.provider] as WidgetApi | undefined;
  if (existing?.render) return Promise.resolve(existing);
  const src = new URL(challenge.scriptUrl ?? SCRIPTS[challenge.provider]);
  const key = src.href;
  let load = loads.get(key);
  if (!load) {
    load = new Promise<WidgetApi>((resolve, reject) => {
      const onload = `onepagepayChallengeLoaded${(callbacks += 1)}`;
      const tag = doc.createElement('script');
      src.searchParams.set('render', 'explicit');
      src.searchParams.set('onload', onload);
      tag.src = src.href;
      tag.async = true;
      if (nonce) tag.nonce = nonce;
      const fail = () => {
        tag.remove();
        delete win[onload];
        reject(new OnePagePayError('provider_load_failed', `Could not load the CAPTCHA from ${src.origin}.`));
      };
      win[onload] = () => {
        delete win[onload];
        const api = win[challenge.provider] as WidgetApi | undefined;
        if (api?.render) resolve(api);
        else fail();
      };
      tag.onerror = fail;
      doc.head.append(tag);
    });
    load.catch(() => loads.delete(key));
    loads.set(key, load);
  }
  return load;
}

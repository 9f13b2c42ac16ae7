// The script-tag build: one global, OnePagePay, and auto-attach from the tag's data-* attributes:
// <script src=".../onepagepay.min.js" data-tenant="UUID" data-relay="https://..." async></script>
// data-providers="paypal" (or "stripe") offers only those of the providers a form's config enables.
import { attach, attachAll, VERSION } from '@onepagepay/sdk';

const script = document.currentScript as HTMLScriptElement | null;
const api = { attach, attachAll, version: VERSION };
(window as unknown as { OnePagePay: typeof api }).OnePagePay = api;

const tenantId = script?.dataset.tenant;
const relayUrl = script?.dataset.relay;
if (tenantId && relayUrl) {
  // The tag's own nonce (CSP) also goes on everything the SDK injects; data-providers narrows the
  // providers each form takes (e.g. "paypal").
  attachAll({
    tenantId,
    relayUrl,
    only: script!.dataset.providers,
    nonce: script!.nonce || script!.getAttribute('nonce') || undefined,
  });
} else if (script && (tenantId || relayUrl)) {
  console.error('[OnePagePay] Set both data-tenant and data-relay.');
}

// A web developer's page built with the npm package: the app renders HubSpot's v4 developer embed
// and attaches the payment step to it, listening to the SDK's events for its own UI and analytics.
import { attach, isOnePagePayError } from '@onepagepay/sdk';

interface AppConfig {
  tenantId: string;
  relayUrl: string;
  formId: string;
  portalId: string;
}

const config = (window as unknown as { APP_CONFIG: AppConfig }).APP_CONFIG;
const status = document.querySelector<HTMLElement>('#status')!;

const embed = document.createElement('div');
embed.className = 'hs-form-html';
embed.dataset.region = 'na1';
embed.dataset.formId = config.formId;
embed.dataset.portalId = config.portalId;
document.querySelector('#signup')!.append(embed);

const handle = attach({
  tenantId: config.tenantId,
  relayUrl: config.relayUrl,
  formId: config.formId,
  appearance: { theme: 'stripe', variables: { colorPrimary: '#5b21b6' } },
});

handle.ready.then(
  () => (status.textContent = 'Ready to pay.'),
  (error: unknown) => {
    status.textContent = isOnePagePayError(error) ? `Payments are off: ${error.code}` : 'Payments are off.';
  },
);

// The SDK types its events on document, window and elements: `detail` needs no cast.
document.addEventListener('onepagepay:payment-succeeded', ({ detail }) => {
  status.textContent = `Paid: transaction ${detail.transactionId}`;
});
document.addEventListener('onepagepay:payment-failed', ({ detail }) => {
  status.textContent = `Payment failed (${detail.code}).`;
});

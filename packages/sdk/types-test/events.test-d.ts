// Type test (run by `npm run typecheck`): a web developer's listeners get each SDK event's exact
// detail type, on elements, the document and the window, with no cast. Compiling is the test;
// each @ts-expect-error must be an error, or tsc fails.
import '@onepagepay/sdk';

const form = document.createElement('form');

form.addEventListener('onepagepay:ready', (event) => {
  const formId: string = event.detail.formId;
  const currency: string = event.detail.currency;
  // @ts-expect-error ready carries no amount
  void event.detail.amount;
  void [formId, currency];
});

document.addEventListener('onepagepay:payment-started', (event) => {
  const amount: number = event.detail.amount;
  void amount;
});

document.addEventListener('onepagepay:payment-succeeded', (event) => {
  const transactionId: string = event.detail.transactionId;
  const amount: number = event.detail.amount;
  const status: string = event.detail.status;
  // @ts-expect-error status is one of the relay's payment statuses, not any string
  const wrong: typeof event.detail.status = 'paid';
  // @ts-expect-error a success has no error code
  void event.detail.code;
  void [transactionId, amount, status, wrong];
});

window.addEventListener('onepagepay:payment-failed', (event) => {
  const code: string = event.detail.code;
  const message: string = event.detail.message;
  const declineCode: string | undefined = event.detail.declineCode;
  // @ts-expect-error a failure has no transaction
  void event.detail.transactionId;
  void [code, message, declineCode];
});

// @ts-expect-error an SDK event is a CustomEvent, not a MouseEvent
form.addEventListener('onepagepay:ready', (event: MouseEvent) => void event);

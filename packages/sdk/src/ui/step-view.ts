const CSS =
  '.opp-step{margin:0 0 12px}.opp-summary{font-weight:600}.opp-amount input{margin:0 0 8px 6px}' +
  '.opp-message{min-height:1.2em;margin-top:8px;color:#df1b41}.opp-message[data-tone=info]{color:inherit}';

export interface StepView {
  root: HTMLElement;
  slot: HTMLElement;
  amountInput: HTMLInputElement | null;
  payButton: HTMLButtonElement | null;
  show(message: string, tone?: 'error' | 'info'): void;
  setBusy(busy: boolean): void;
}

export interface StepViewOptions {
  summary: string;
  /** For forms where the payer chooses the amount: the range in major units. */
  customAmount: { min: string; max: string; currency: string } | null;
  /** A pay button of its own, for forms whose submit the SDK cannot own (v4 frame). */
  payLabel: string | null;
  nonce?: string | undefined;
}

/** The payment step's DOM: summary, provider slot, an aria-live message, and a pay button beside frames. */
export function createStepView(doc: Document, options: StepViewOptions): StepView {
  const el = <K extends keyof HTMLElementTagNameMap>(tag: K, className: string, text = '') => {
    const node = doc.createElement(tag);
    node.className = className;
    node.textContent = text;
    if (options.nonce) node.setAttribute('nonce', options.nonce);
    return node;
  };
  const root = el('div', 'opp-step');
  const style = el('style', '', CSS);
  root.append(style, el('p', 'opp-summary', options.summary));
  let amountInput: HTMLInputElement | null = null;
  if (options.customAmount) {
    const label = el('label', 'opp-amount', `Amount (${options.customAmount.currency})`);
    amountInput = el('input', 'opp-amount-input');
    Object.assign(amountInput, { type: 'number', step: 'any', required: true });
    amountInput.min = options.customAmount.min;
    amountInput.max = options.customAmount.max;
    label.append(amountInput);
    root.append(label);
  }
  const slot = el('div', 'opp-element');
  const message = el('div', 'opp-message');
  message.setAttribute('role', 'status');
  message.setAttribute('aria-live', 'polite');
  root.append(slot);
  let payButton: HTMLButtonElement | null = null;
  if (options.payLabel) {
    payButton = el('button', 'opp-pay', options.payLabel);
    payButton.type = 'button';
    root.append(payButton);
  }
  root.append(message);
  return {
    root,
    slot,
    amountInput,
    payButton,
    show(text, tone = 'error') {
      message.dataset.tone = tone;
      message.textContent = text;
    },
    setBusy(busy) {
      root.setAttribute('aria-busy', String(busy));
      if (payButton) payButton.disabled = busy;
    },
  };
}

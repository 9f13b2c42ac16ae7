const CSS =
  '.opp-step{margin:0 0 12px}.opp-summary{font-weight:600}' +
  '.opp-message{min-height:1.2em;margin-top:8px}.opp-message[data-tone=error]{color:#df1b41}';

export interface StepView {
  root: HTMLElement;
  slot: HTMLElement;
  payButton: HTMLButtonElement | null;
  /** Shows `message`; `end` takes the payment fields and the pay button away for good. */
  show(message: string, tone?: 'error' | 'info', end?: boolean): void;
  setBusy(busy: boolean): void;
}

export interface StepViewOptions {
  summary: string;
  /** A pay button of its own with this label, for forms whose submit the SDK cannot own (v4 frame). */
  payLabel?: string | undefined;
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
  const slot = el('div', 'opp-element');
  const message = el('div', 'opp-message');
  message.setAttribute('role', 'status');
  message.setAttribute('aria-live', 'polite');
  root.append(el('style', '', CSS), el('p', 'opp-summary', options.summary), slot);
  const payButton = options.payLabel ? el('button', 'opp-pay', options.payLabel) : null;
  if (payButton) {
    payButton.type = 'button';
    root.append(payButton);
  }
  root.append(message);
  return {
    root,
    slot,
    payButton,
    show(text, tone = 'error', end) {
      message.dataset.tone = tone;
      message.textContent = text;
      if (end) {
        slot.remove();
        payButton?.remove();
      }
    },
    setBusy(busy) {
      root.setAttribute('aria-busy', String(busy));
      if (payButton) payButton.disabled = busy;
    },
  };
}

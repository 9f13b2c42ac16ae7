// A fake of Cloudflare Turnstile's and hCaptcha's widget API (api.js) for offline browser tests,
// served by the challenge sandbox. Like the real scripts it defines window.turnstile or
// window.hcaptcha with render/getResponse/reset/remove, honours `?onload=<global function>`, and
// hands the callback a token the sandbox's siteverify accepts once. The "challenge" is a checkbox.
(() => {
  const script = document.currentScript;
  const src = new URL(script.src);
  const base = src.origin;
  const widgets = new Map();
  let next = 0;

  function render(container, params) {
    const host = typeof container === 'string' ? document.querySelector(container) : container;
    if (!host) throw new Error('CAPTCHA sandbox: container not found');
    const id = `sandbox-widget-${(next += 1)}`;
    const label = document.createElement('label');
    label.className = 'challenge-sandbox';
    label.dataset.widgetId = id;
    const box = document.createElement('input');
    box.type = 'checkbox';
    label.append(box, document.createTextNode(' I am human'));
    host.append(label);
    const widget = { label, box, params, token: undefined };
    widgets.set(id, widget);
    box.addEventListener('change', async () => {
      if (!box.checked) return;
      const body = new URLSearchParams({ sitekey: params.sitekey ?? '', hostname: location.hostname });
      const answer = await fetch(`${base}/__sandbox/solve`, { method: 'POST', body }).catch(() => null);
      if (!answer?.ok) {
        box.checked = false;
        return params['error-callback']?.('110100');
      }
      widget.token = (await answer.json()).token;
      params.callback?.(widget.token);
    });
    return id;
  }

  const api = {
    render,
    getResponse: (id) => widgets.get(id ?? [...widgets.keys()].at(-1))?.token,
    reset(id) {
      const widget = widgets.get(id ?? [...widgets.keys()].at(-1));
      if (widget) Object.assign(widget, { token: undefined }).box.checked = false;
    },
    remove(id) {
      widgets.get(id)?.label.remove();
      widgets.delete(id);
    },
  };
  window[src.pathname.startsWith('/turnstile/') ? 'turnstile' : 'hcaptcha'] = api;
  const onload = src.searchParams.get('onload');
  if (onload) queueMicrotask(() => window[onload]?.());
})();

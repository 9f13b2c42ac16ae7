// Small helpers shared by the browser tests of the sandbox fakes (no assertion library is installed).

export const FAKES = '/packages/sandbox/browser';

export function loadScript(src, attributes = {}) {
  return new Promise((resolve, reject) => {
    const script = document.createElement('script');
    script.src = src;
    for (const [name, value] of Object.entries(attributes)) script.setAttribute(name, value);
    script.onload = () => resolve(script);
    script.onerror = () => reject(new Error(`Could not load ${src}`));
    document.head.appendChild(script);
  });
}

export async function waitFor(check, what = 'condition', timeoutMs = 3000) {
  const started = Date.now();
  for (;;) {
    const value = await check();
    if (value) return value;
    if (Date.now() - started > timeoutMs) throw new Error(`Timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 10));
  }
}

export function nextEvent(target, type, filter = () => true) {
  return new Promise((resolve) => {
    target.addEventListener(type, function listener(event) {
      if (!filter(event)) return;
      target.removeEventListener(type, listener);
      resolve(event);
    });
  });
}

export function equal(actual, expected, message = '') {
  if (!Object.is(actual, expected)) {
    throw new Error(`${message} expected ${JSON.stringify(expected)}, got ${JSON.stringify(actual)}`);
  }
}

export function deepEqual(actual, expected, message = '') {
  const a = JSON.stringify(actual);
  const e = JSON.stringify(expected);
  if (a !== e) throw new Error(`${message} expected ${e}, got ${a}`);
}

export function ok(value, message = 'expected a truthy value') {
  if (!value) throw new Error(message);
}

export function sleep(ms) {
  return new Promise((r) => setTimeout(r, ms));
}

export function makeTarget(id) {
  const div = document.createElement('div');
  div.id = id;
  document.body.appendChild(div);
  return div;
}

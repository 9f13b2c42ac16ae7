import { listen, type FormHost } from './form-host.js';
import { createV2Host } from './v2-host.js';
import { createV4Host, hubspotV4, type HubSpotV4Form } from './v4-host.js';

const V2_FORM = 'form.hs-form[data-form-id]';
const V4_CONTAINER = '.hs-form-html[data-form-id],.hs-form-frame[data-form-id]';

/**
 * Finds every rendered HubSpot form on the page, now and later (forms render asynchronously, and
 * pages add them late), and hands each form instance to `onForm` exactly once.
 */
export function watchForms(onForm: (host: FormHost) => void): () => void {
  const seen = new WeakSet<Element>();
  const v4Forms = new Map<string, HubSpotV4Form>();
  const claimed = new Set<string>();
  let timer: ReturnType<typeof setTimeout> | undefined;

  const found = (host: FormHost) => {
    if (seen.has(host.anchor)) return;
    seen.add(host.anchor);
    onForm(host);
  };

  function v4FormFor(container: Element): HubSpotV4Form | undefined {
    for (const form of hubspotV4()?.getForms?.() ?? []) v4Forms.set(form.getInstanceId(), form);
    const instanceId = container.querySelector('[data-instance-id]')?.getAttribute('data-instance-id');
    if (instanceId) return v4Forms.get(instanceId);
    const formId = container.getAttribute('data-form-id');
    return [...v4Forms.values()].find((f) => f.getFormId() === formId && !claimed.has(f.getInstanceId()));
  }

  function scan() {
    timer = undefined;
    for (const form of document.querySelectorAll<HTMLFormElement>(V2_FORM)) {
      if (!form.closest(V4_CONTAINER)) found(createV2Host(form, null));
    }
    for (const iframe of document.querySelectorAll<HTMLIFrameElement>('iframe.hs-form-iframe')) {
      let form: HTMLFormElement | null | undefined;
      try {
        form = iframe.contentDocument?.querySelector<HTMLFormElement>(V2_FORM);
      } catch {
        form = null; // a cross-origin frame: not a legacy embed we can serve
      }
      if (form && !seen.has(iframe)) found(createV2Host(form, iframe));
    }
    for (const container of document.querySelectorAll(V4_CONTAINER)) {
      if (seen.has(container)) continue;
      const frame = container.classList.contains('hs-form-frame');
      const form = frame ? null : container.querySelector('form');
      const api = v4FormFor(container);
      if (!api || (!frame && !form)) continue; // not rendered yet: on-ready will rescan
      claimed.add(api.getInstanceId());
      found(createV4Host(container, api, form));
    }
  }

  const schedule = () => {
    timer ??= setTimeout(scan, 0);
  };
  const onReady = (event: Event) => {
    const form = hubspotV4()?.getFormFromEvent(event);
    if (form) v4Forms.set(form.getInstanceId(), form);
    schedule();
  };
  const onMessage = (event: MessageEvent) => {
    if ((event.data as { type?: string } | null)?.type === 'hsFormCallback') schedule();
  };
  const observer = new MutationObserver(schedule);
  observer.observe(document.documentElement, { childList: true, subtree: true });
  const stopReady = listen('hs-form-event:on-ready', onReady);
  const stopMessage = listen('message', onMessage);
  scan();
  return () => {
    clearTimeout(timer);
    observer.disconnect();
    stopReady();
    stopMessage();
  };
}

import { useEffect, useState } from 'preact/hooks';
import { api, errorText, money } from './api.js';
import { html } from './html.js';
import type { Session } from './session.js';

interface Form {
  id: string;
  hubspotFormGuid: string;
  productName: string;
  amount: number | null;
  customAmount: { min: number; max: number } | null;
  currency: string;
  providers: string[];
  enabled: boolean;
}

/** GET /v1/merchant/cdn-script: the versioned CDN file and its SRI hash. */
interface CdnScript {
  version: string;
  url: string;
  integrity: string;
}

/**
 * The script tag to paste on the merchant's pages: one per site, it attaches to every form. It names
 * the versioned file with its hash, so the browser refuses any other bytes.
 */
export function snippetFor(tenantId: string, relayUrl: string, script: CdnScript): string {
  return [
    '<script',
    `  src="${script.url}"`,
    `  integrity="${script.integrity}"`,
    '  crossorigin="anonymous"',
    `  data-tenant="${tenantId}"`,
    `  data-relay="${relayUrl}"`,
    '  async',
    '></script>',
  ].join('\n');
}

/** Forms of the session's mode, allowed origins and the snippet. Members see; owners change. */
export function Forms(props: { session: Session; announce: (message: string) => void }) {
  const [forms, setForms] = useState<Form[]>([]);
  const [origins, setOrigins] = useState<string[]>([]);
  const [script, setScript] = useState<CdnScript | null>(null);
  const [fixedPrice, setFixedPrice] = useState(true);
  const owner = props.session.user.role === 'owner';

  const load = async () => {
    try {
      setForms((await api<{ data: Form[] }>('GET', '/v1/merchant/forms')).data);
      setOrigins((await api<{ origins: string[] }>('GET', '/v1/merchant/allowed-origins')).origins);
    } catch (caught) {
      props.announce(errorText(caught));
    }
  };
  useEffect(() => {
    void load();
  }, [props.session.livemode]);
  useEffect(() => {
    api<CdnScript>('GET', '/v1/merchant/cdn-script').then(setScript, (caught: unknown) =>
      props.announce(errorText(caught)),
    );
  }, []);

  const create = async (event: SubmitEvent) => {
    event.preventDefault();
    const element = event.target as HTMLFormElement;
    const data = new FormData(element);
    const minor = (name: string) => Number(data.get(name));
    try {
      await api('POST', '/v1/merchant/forms', {
        hubspotFormGuid: String(data.get('guid') ?? '').trim(),
        productName: String(data.get('product') ?? ''),
        currency: String(data.get('currency') ?? '').toUpperCase(),
        ...(fixedPrice
          ? { amount: minor('amount') }
          : { customAmount: { min: minor('min'), max: minor('max') } }),
        providers: data.getAll('providers').map(String),
      });
      element.reset();
      props.announce('Form created.');
      await load();
    } catch (caught) {
      props.announce(errorText(caught));
    }
  };

  const toggle = async (form: Form) => {
    try {
      await api('POST', `/v1/merchant/forms/${form.id}`, { enabled: !form.enabled });
      props.announce(form.enabled ? 'Form disabled.' : 'Form enabled.');
      await load();
    } catch (caught) {
      props.announce(errorText(caught));
    }
  };

  const saveOrigins = async (event: SubmitEvent) => {
    event.preventDefault();
    const text = String(new FormData(event.target as HTMLFormElement).get('origins') ?? '');
    const list = text.split(/\s+/).filter(Boolean);
    try {
      setOrigins(
        (await api<{ origins: string[] }>('POST', '/v1/merchant/allowed-origins', { origins: list })).origins,
      );
      props.announce('Allowed origins saved.');
    } catch (caught) {
      props.announce(errorText(caught));
    }
  };

  const snippet = script ? snippetFor(props.session.tenantId, location.origin, script) : '';
  const copy = async () => {
    if (!snippet) return;
    await navigator.clipboard.writeText(snippet);
    props.announce('Snippet copied.');
  };

  return html`
    <section aria-labelledby="forms-title">
      <h2 id="forms-title" tabindex="-1">Forms (${props.session.livemode ? 'live' : 'test'} mode)</h2>
      <table>
        <caption class="visually-hidden">
          Payment forms
        </caption>
        <thead>
          <tr>
            <th scope="col">Product</th>
            <th scope="col">HubSpot form</th>
            <th scope="col">Price</th>
            <th scope="col">Providers</th>
            <th scope="col">Enabled</th>
          </tr>
        </thead>
        <tbody>
          ${forms.map(
            (form) =>
              html`<tr>
                <td>${form.productName}</td>
                <td><code>${form.hubspotFormGuid}</code></td>
                <td>
                  ${
                    form.amount !== null
                      ? money(form.amount, form.currency)
                      : `${money(form.customAmount!.min, form.currency)}–${money(form.customAmount!.max, form.currency)}`
                  }
                </td>
                <td>${form.providers.join(', ')}</td>
                <td>
                  ${
                    owner
                      ? html`<button
                          onClick=${() => toggle(form)}
                          aria-label=${`${form.enabled ? 'Disable' : 'Enable'} ${form.productName}`}
                        >
                          ${form.enabled ? 'Disable' : 'Enable'}
                        </button>`
                      : form.enabled
                        ? 'yes'
                        : 'no'
                  }
                </td>
              </tr>`,
          )}
        </tbody>
      </table>
      ${
        owner &&
        html` <form class="stack" onSubmit=${create} aria-labelledby="new-form-title">
          <h3 id="new-form-title">New form</h3>
          <label for="guid">HubSpot form GUID</label>
          <input id="guid" name="guid" required pattern="[A-Za-z0-9-]{1,64}" />
          <label for="product">Product name</label>
          <input id="product" name="product" required maxlength="200" />
          <label for="currency">Currency (ISO code)</label>
          <input id="currency" name="currency" required pattern="[A-Za-z]{3}" defaultValue="USD" />
          <fieldset>
            <legend>Price</legend>
            <label
              ><input
                type="radio"
                name="pricing"
                checked=${fixedPrice}
                onChange=${() => setFixedPrice(true)}
              />
              Fixed</label
            >
            <label
              ><input
                type="radio"
                name="pricing"
                checked=${!fixedPrice}
                onChange=${() => setFixedPrice(false)}
              />
              Payer chooses</label
            >
          </fieldset>
          ${
            fixedPrice
              ? html`<label for="amount">Amount in minor units (cents)</label>
                  <input id="amount" name="amount" type="number" min="1" required />`
              : html`<label for="min">Minimum (minor units)</label
                  ><input id="min" name="min" type="number" min="1" required />
                  <label for="max">Maximum (minor units)</label
                  ><input id="max" name="max" type="number" min="1" required />`
          }
          <fieldset>
            <legend>Providers</legend>
            <label><input type="checkbox" name="providers" value="stripe" checked /> Card (Stripe)</label>
            <label><input type="checkbox" name="providers" value="paypal" /> PayPal</label>
          </fieldset>
          <button type="submit">Create form</button>
        </form>`
      }
      <h3 id="origins-title">Allowed origins</h3>
      <form class="stack" onSubmit=${saveOrigins} aria-labelledby="origins-title">
        <label for="origins">Sites that may take payments, one per line (https://shop.example.com)</label>
        <textarea
          id="origins"
          name="origins"
          rows="4"
          readonly=${!owner}
          key=${origins.join(' ')}
          defaultValue=${origins.join('\n')}
        ></textarea>
        ${owner && html`<button type="submit">Save origins</button>`}
      </form>
      <h3 id="snippet-title">Snippet for your pages</h3>
      ${
        script
          ? html`<pre aria-labelledby="snippet-title" tabindex="0"><code id="snippet">${snippet}</code></pre>
              <p>
                The tag pins @onepagepay/cdn ${script.version} by its hash: the browser runs that file and
                nothing else. Paste a new snippet to move to a newer version.
              </p>
              <button onClick=${copy}>Copy snippet</button>`
          : html`<p>Loading the snippet…</p>`
      }
    </section>
  `;
}

import assert from 'node:assert/strict';
import {
  startHubSpotSandbox,
  startStripeSandbox,
  type HubSpotSandbox,
  type StripeSandbox,
} from '@onepagepay/sandbox';
import type { StatusResponse } from '@onepagepay/protocol';
import { startTestRelay, type TestRelay } from '../testing/test-relay.js';
import { UpstreamHealthMonitor } from './upstream-health.js';

const TOKEN = 'metrics-token-0123456789abcdef';
const INTERVAL_MS = 250;

async function until<T>(read: () => Promise<T>, done: (value: T) => boolean, what: string): Promise<T> {
  // Generous: the property is checked on every answer, not on how soon the last one came.
  const deadline = Date.now() + 30_000;
  for (;;) {
    const value = await read();
    if (done(value)) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}: ${JSON.stringify(value)}`);
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}

describe('upstream health: background probes of Stripe and HubSpot', function () {
  this.timeout(60_000);
  let stripe: StripeSandbox;
  let hubspot: HubSpotSandbox;
  let relay: TestRelay;
  let probeToken: string;

  before(async () => {
    [stripe, hubspot] = await Promise.all([startStripeSandbox(), startHubSpotSandbox()]);
    probeToken = hubspot.createPortal().accessToken;
    relay = await startTestRelay(stripe, {
      env: {
        HUBSPOT_API_BASE: hubspot.url,
        HUBSPOT_PROBE_TOKEN: probeToken,
        STATUS_PROBE_INTERVAL_MS: String(INTERVAL_MS),
        // Far above a probe's time on a loaded machine, and below the 3 s probe timeout.
        STATUS_DEGRADED_MS: '1500',
        METRICS_TOKEN: TOKEN,
      },
    });
  });
  after(async () => {
    await relay?.close();
    await Promise.all([stripe?.close(), hubspot?.close()]);
  });
  afterEach(() => {
    hubspot.setOutage('none');
    stripe.setOutage('none');
  });

  const status = async () => {
    const response = await fetch(`${relay.url}/v1/status`);
    assert.equal(response.status, 200);
    return (await response.json()) as StatusResponse;
  };

  it('reports HubSpot and Stripe up, with no secret in the public answer', async () => {
    const body = await until(status, (s) => s.providers.hubspot?.status === 'up', 'HubSpot up');
    assert.equal(body.providers.stripe?.status, 'up');
    assert.equal(body.status, 'up');
    const cache = (await fetch(`${relay.url}/v1/status`)).headers.get('cache-control');
    assert.equal(
      cache,
      'public, max-age=0',
      'a browser never keeps an answer longer than one probe interval',
    );
    assert.ok(!JSON.stringify(body).includes(probeToken));
    assert.ok(!JSON.stringify(body).includes(stripe.keys.secretTest));
  });

  it('payers reading the status never call HubSpot: the probe runs on its own clock', async () => {
    await until(status, (s) => s.providers.hubspot?.status === 'up', 'HubSpot up');
    hubspot.resetStats();
    const startedAt = Date.now();
    await Promise.all(Array.from({ length: 10 }, () => status()));
    const elapsed = Date.now() - startedAt;
    // At most one probe per interval that passed while the 10 answers went out (plus the one running).
    assert.ok(
      hubspot.stats().requests <= Math.ceil(elapsed / INTERVAL_MS) + 1,
      JSON.stringify(hubspot.stats()),
    );
  });

  it('shows a HubSpot outage by the next round of probes, and its recovery', async () => {
    await until(status, (s) => s.providers.hubspot?.status === 'up', 'HubSpot up');
    hubspot.setOutage('down');
    const downAt = Date.now();
    // What the relay promises: every probe that starts after the outage began sees it, so the
    // status turns at the next round. Checked on the relay's own clock (a result's `checkedAt` less
    // its latency is when its probe started), so a busy machine delays the round but cannot make
    // this pass or fail by itself: a stale cache or a probe that does not reach HubSpot would.
    const stale: unknown[] = [];
    const down = await until(
      status,
      (s) => {
        const hub = s.providers.hubspot;
        if (hub?.status === 'up' && Date.parse(String(hub.checkedAt)) - Number(hub.latencyMs) > downAt + 5)
          stale.push(hub);
        return hub?.status === 'down';
      },
      'HubSpot down',
    );
    assert.deepEqual(stale, [], 'no probe begun after the outage reported HubSpot up');
    assert.ok(Date.parse(String(down.providers.hubspot?.checkedAt)) >= downAt);
    assert.equal(down.status, 'degraded');
    assert.equal(down.providers.hubspot?.latencyMs, null);
    assert.equal(down.providers.stripe?.status, 'up');
    hubspot.setOutage('none');
    await until(status, (s) => s.providers.hubspot?.status === 'up', 'HubSpot back up');
  });

  it('reports a slow Stripe as degraded and a failing one as down', async () => {
    stripe.setOutage('slow', 2_000);
    const slow = await until(status, (s) => s.providers.stripe?.status === 'degraded', 'Stripe degraded');
    assert.ok((slow.providers.stripe?.latencyMs ?? 0) >= 1500);
    stripe.setOutage('down');
    await until(status, (s) => s.providers.stripe?.status === 'down', 'Stripe down');
  });

  it('counts probes by upstream and result in /metrics', async () => {
    hubspot.setOutage('down');
    await until(status, (s) => s.providers.hubspot?.status === 'down', 'HubSpot down');
    const text = await fetch(`${relay.url}/metrics`, { headers: { authorization: `Bearer ${TOKEN}` } }).then(
      (response) => response.text(),
    );
    assert.match(text, /onepagepay_upstream_probes_total\{upstream="hubspot",status="down"\} [1-9]/);
    assert.match(text, /onepagepay_upstream_probes_total\{upstream="stripe",status="up"\} [1-9]/);
    assert.match(text, /onepagepay_upstream_up\{upstream="hubspot"\} 0/);
    assert.match(text, /onepagepay_upstream_latency_seconds\{upstream="stripe"\} [0-9.e-]+/);
  });
});

describe('UpstreamHealthMonitor', () => {
  it('times a hanging probe out as down, and shares one probe between concurrent callers', async () => {
    let calls = 0;
    const monitor = new UpstreamHealthMonitor(
      {
        hangs: () => {
          calls += 1;
          return new Promise(() => undefined);
        },
      },
      { cacheMs: 60_000, timeoutMs: 50 },
    );
    const [first, second] = await Promise.all([monitor.status(), monitor.status()]);
    assert.equal(first.providers.hangs?.status, 'down');
    assert.equal(second, first);
    assert.equal(calls, 1);
  });

  it('stops probing after stop()', async () => {
    let calls = 0;
    const monitor = new UpstreamHealthMonitor(
      { ok: async () => (calls += 1) },
      { cacheMs: 0, timeoutMs: 50 },
    );
    monitor.start(20);
    await until(
      async () => calls,
      (n) => n >= 2,
      'two probes',
    );
    monitor.stop();
    const stoppedAt = calls;
    await new Promise((resolve) => setTimeout(resolve, 100));
    assert.ok(calls <= stoppedAt + 1, `${calls} probes after stop at ${stoppedAt}`);
  });
});

import assert from 'node:assert/strict';
import fs from 'node:fs/promises';
import { startStripeSandbox, type StripeSandbox } from '@onepagepay/sandbox';
import { parse } from 'yaml';
import { startTestRelay, type TestRelay } from '../testing/test-relay.js';

const TOKEN = 'monitoring-files-token-0123456789';
const ALERTS = new URL('../../../docs/ops/prometheus-alerts.yml', import.meta.url);
const DASHBOARD = new URL('../../../docs/ops/grafana-dashboard.json', import.meta.url);

/** Metric names a PromQL expression reads (ours only; `up` is Prometheus' own). */
function metricsIn(expr: string): string[] {
  return [...expr.matchAll(/\bonepagepay_[a-z0-9_]+/g)].map((match) => match[0]);
}

/** What a histogram or summary exposes besides its base name. */
function exposedNames(scrape: string): Set<string> {
  const names = new Set<string>();
  for (const line of scrape.split('\n')) {
    const type = /^# TYPE (\S+) (\S+)/.exec(line);
    if (!type) continue;
    const [, name, kind] = type as unknown as [string, string, string];
    names.add(name);
    if (kind === 'histogram') for (const suffix of ['_bucket', '_sum', '_count']) names.add(name + suffix);
  }
  return names;
}

/**
 * The alert rules and the dashboard in docs/ops/ are only useful if the metrics they name exist:
 * this checks every expression against a real relay's /metrics, so renaming a metric fails here.
 */
describe('docs/ops monitoring files', function () {
  this.timeout(120_000);
  let stripe: StripeSandbox;
  let relay: TestRelay;
  let exposed: Set<string>;

  before(async () => {
    stripe = await startStripeSandbox();
    relay = await startTestRelay(stripe, { env: { METRICS_TOKEN: TOKEN } });
    const response = await fetch(`${relay.url}/metrics`, { headers: { authorization: `Bearer ${TOKEN}` } });
    exposed = exposedNames(await response.text());
  });
  after(async () => {
    await relay?.close();
    await stripe?.close();
  });

  it('every alert rule is well formed and reads metrics the relay exposes', async () => {
    const rules = parse(await fs.readFile(ALERTS, 'utf8')) as {
      groups: Array<{ name: string; rules: Array<Record<string, unknown>> }>;
    };
    const all = rules.groups.flatMap((group) => group.rules);
    assert.ok(all.length >= 6);
    const alertNames = all.map((rule) => rule.alert);
    assert.equal(new Set(alertNames).size, alertNames.length, 'alert names are unique');
    for (const rule of all) {
      assert.match(String(rule.alert), /^OnePagePay[A-Za-z]+$/);
      assert.equal(typeof rule.expr, 'string');
      assert.match(String(rule.for), /^\d+[smh]$/);
      assert.ok(['page', 'ticket'].includes((rule.labels as { severity?: string }).severity ?? ''));
      assert.ok((rule.annotations as { summary?: string }).summary);
      for (const metric of metricsIn(String(rule.expr))) {
        assert.ok(
          exposed.has(metric),
          `${String(rule.alert)} reads ${metric}, which /metrics does not expose`,
        );
      }
    }
    for (const needed of [
      'OnePagePayPaymentErrorRate',
      'OnePagePayHubSpotSyncLag',
      'OnePagePayDeadLetters',
    ]) {
      assert.ok(alertNames.includes(needed), `${needed} is defined`);
    }
  });

  it('every dashboard panel reads metrics the relay exposes', async () => {
    const dashboard = JSON.parse(await fs.readFile(DASHBOARD, 'utf8')) as {
      uid: string;
      panels: Array<{ title: string; targets: Array<{ expr: string }> }>;
    };
    assert.equal(dashboard.uid, 'onepagepay-relay');
    assert.ok(dashboard.panels.length >= 6);
    for (const panel of dashboard.panels) {
      assert.ok(panel.targets.length > 0, `${panel.title} has a query`);
      for (const target of panel.targets) {
        const names = metricsIn(target.expr);
        assert.ok(names.length > 0, `${panel.title} reads one of our metrics`);
        for (const metric of names)
          assert.ok(exposed.has(metric), `${panel.title} reads ${metric}, which does not exist`);
      }
    }
  });
});

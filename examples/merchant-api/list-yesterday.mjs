#!/usr/bin/env node
// Lists yesterday's transactions (UTC) through the OnePagePay merchant API and exports them as CSV.
//
//   ONEPAGEPAY_API_KEY=opp_test_... ONEPAGEPAY_RELAY_URL=http://127.0.0.1:8787 node list-yesterday.mjs [out-dir]
//
// The key needs the transactions:read scope; its prefix (opp_test_ / opp_live_) picks the mode.
import { createWriteStream } from 'node:fs';
import path from 'node:path';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';

const relayUrl = (process.env.ONEPAGEPAY_RELAY_URL ?? 'http://127.0.0.1:8787').replace(/\/$/, '');
const apiKey = process.env.ONEPAGEPAY_API_KEY;
if (!apiKey?.startsWith('opp_')) {
  console.error(
    'Set ONEPAGEPAY_API_KEY to an API key (opp_test_... or opp_live_...) with the transactions:read scope.',
  );
  process.exit(1);
}
const outDir = process.argv[2] ?? '.';

const today = new Date();
today.setUTCHours(0, 0, 0, 0);
const yesterday = new Date(today.getTime() - 24 * 60 * 60 * 1000);
const range = new URLSearchParams({ created_gte: yesterday.toISOString(), created_lt: today.toISOString() });

async function api(pathAndQuery) {
  const response = await fetch(`${relayUrl}${pathAndQuery}`, {
    headers: { authorization: `Bearer ${apiKey}` },
  });
  if (!response.ok) {
    const body = await response.json().catch(() => ({}));
    throw new Error(
      `${response.status} ${body.error?.code ?? ''}: ${body.error?.message ?? response.statusText}`,
    );
  }
  return response;
}

const money = (minor, currency) =>
  new Intl.NumberFormat('en', { style: 'currency', currency }).format(
    minor /
      10 **
        new Intl.NumberFormat('en', { style: 'currency', currency }).resolvedOptions().maximumFractionDigits,
  );

// 1. Every page of the listing: newest first, 100 at a time, following nextCursor.
let cursor = null;
let count = 0;
do {
  const query = new URLSearchParams(range);
  query.set('limit', '100');
  if (cursor) query.set('cursor', cursor);
  const page = await (await api(`/v1/transactions?${query}`)).json();
  for (const transaction of page.data) {
    count += 1;
    console.log(
      [
        transaction.createdAt,
        transaction.status.padEnd(18),
        money(transaction.amount, transaction.currency).padStart(12),
        transaction.productName,
        transaction.contactEmail ?? '-',
      ].join('  '),
    );
  }
  cursor = page.nextCursor;
} while (cursor);
console.log(`${count} transaction(s) on ${yesterday.toISOString().slice(0, 10)}`);

// 2. The same range as a CSV file, streamed to disk (the export is streamed by the relay too).
const file = path.join(outDir, `transactions-${yesterday.toISOString().slice(0, 10)}.csv`);
const csv = await api(`/v1/transactions.csv?${range}`);
await pipeline(Readable.fromWeb(csv.body), createWriteStream(file));
console.log(`CSV written to ${file}`);

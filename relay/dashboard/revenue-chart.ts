import { useEffect, useState } from 'preact/hooks';
import { api, money } from './api.js';
import { html } from './html.js';

interface RevenueDay {
  day: string;
  currency: string;
  net: number;
  count: number;
}

const WIDTH = 600;
const HEIGHT = 140;

/**
 * Net revenue per day over 30 days as SVG bars (no chart library: one series of rectangles), one
 * chart per currency. Screen readers get the same numbers from a table under it.
 */
export function RevenueChart(props: { livemode: boolean }) {
  const [days, setDays] = useState<RevenueDay[] | null>(null);
  useEffect(() => {
    api<{ data: RevenueDay[] }>('GET', '/v1/merchant/revenue?days=30').then(
      (answer) => setDays(answer.data),
      () => setDays([]),
    );
  }, [props.livemode]);
  if (!days) return null;
  const currencies = [...new Set(days.map((row) => row.currency))];
  if (currencies.length === 0) return html`<p>No revenue in the last 30 days.</p>`;
  const dates = Array.from({ length: 30 }, (_, index) =>
    new Date(Date.now() - (29 - index) * 86_400_000).toISOString().slice(0, 10),
  );
  return html`${currencies.map((currency) => {
    const rows = days.filter((row) => row.currency === currency);
    const max = Math.max(1, ...rows.map((row) => row.net));
    const total = rows.reduce((sum, row) => sum + row.net, 0);
    const bar = WIDTH / dates.length;
    return html`<figure class="chart">
      <figcaption>Revenue by day, last 30 days (${currency}): ${money(total, currency)}</figcaption>
      <svg viewBox=${`0 0 ${WIDTH} ${HEIGHT}`} aria-hidden="true" focusable="false">
        ${dates.map((date, index) => {
          const net = rows.find((row) => row.day === date)?.net ?? 0;
          const height = Math.max(0, (net / max) * (HEIGHT - 10));
          return html`<rect
            x=${index * bar + 1}
            y=${HEIGHT - height}
            width=${bar - 2}
            height=${height}
            fill="#1d4ed8"
          />`;
        })}
      </svg>
      <table class="visually-hidden">
        <caption>
          Revenue by day (${currency})
        </caption>
        <thead>
          <tr>
            <th scope="col">Day</th>
            <th scope="col">Net</th>
            <th scope="col">Payments</th>
          </tr>
        </thead>
        <tbody>
          ${rows.map(
            (row) =>
              html`<tr>
                <td>${row.day}</td>
                <td>${money(row.net, currency)}</td>
                <td>${row.count}</td>
              </tr>`,
          )}
        </tbody>
      </table>
    </figure>`;
  })}`;
}

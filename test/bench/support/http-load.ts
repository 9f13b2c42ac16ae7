import autocannon from 'autocannon';

/**
 * Sends `total` POSTs of JSON, `concurrency` at a time over keep-alive connections, with autocannon.
 * The load generator shares the 2 cores with the process under test, so it should cost as little
 * as a browser on another machine would: autocannon writes raw requests (about a third of the CPU
 * per request of a keep-alive `http.request` client here). Every answer is checked with
 * `isExpected`; one unexpected answer fails the run.
 */
export async function postJsonLoad(options: {
  url: string;
  path: string;
  headers: Record<string, string>;
  total: number;
  concurrency: number;
  body(index: number): unknown;
  isExpected(status: number, body: string): boolean;
}): Promise<{ rate: number; p50Ms: number; p99Ms: number }> {
  let next = 0;
  let answered = 0;
  let lastAnswerAt = 0;
  const unexpected: string[] = [];
  const startedAt = performance.now();
  const result = await autocannon({
    url: options.url,
    connections: options.concurrency,
    amount: options.total,
    timeout: 30,
    requests: [
      {
        method: 'POST',
        path: options.path,
        setupRequest: (request) => ({
          ...request,
          headers: { ...options.headers, 'content-type': 'application/json' },
          body: JSON.stringify(options.body(next++)),
        }),
        onResponse: (status, body) => {
          answered += 1;
          lastAnswerAt = performance.now();
          if (!options.isExpected(status, body)) unexpected.push(`${status} ${body}`);
        },
      },
    ],
  });
  if (unexpected.length > 0 || result.errors > 0 || result.timeouts > 0) {
    throw new Error(
      `${unexpected.length} unexpected answers, ${result.errors} errors, ${result.timeouts} timeouts; first: ${unexpected[0]}`,
    );
  }
  if (answered !== options.total) throw new Error(`${answered} answers to ${options.total} requests`);
  // autocannon's own start and finish fall on its one-second ticks, too coarse for a rate.
  return {
    rate: (options.total / (lastAnswerAt - startedAt)) * 1000,
    p50Ms: result.latency.p50,
    p99Ms: result.latency.p99,
  };
}

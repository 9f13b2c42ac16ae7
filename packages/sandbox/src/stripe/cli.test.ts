import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { fileURLToPath } from 'node:url';

const BIN = fileURLToPath(new URL('../../bin/onepagepay-sandbox.js', import.meta.url));

describe('onepagepay-sandbox bin', () => {
  it('starts the Stripe sandbox on the given port and prints its URL', async () => {
    const child = spawn(process.execPath, [BIN, '--stripe-port', '0'], { stdio: ['ignore', 'pipe', 'pipe'] });
    try {
      let output = '';
      const url = await new Promise<string>((resolve, reject) => {
        child.stdout.on('data', (chunk: Buffer) => {
          output += chunk.toString();
          const match = /listening on (http:\/\/\S+)/.exec(output);
          if (match?.[1]) resolve(match[1]);
        });
        child.once('exit', (code) => reject(new Error(`the bin exited with ${code}: ${output}`)));
      });
      const response = await fetch(`${url}/v1/balance`, { headers: { Authorization: 'Bearer sk_test_cli' } });
      assert.equal(response.status, 200);
      assert.equal(((await response.json()) as { object: string }).object, 'balance');
    } finally {
      child.kill('SIGTERM');
      await once(child, 'exit');
    }
  });

  it('refuses a bad port with a message and exit code 1', async () => {
    const child = spawn(process.execPath, [BIN, '--stripe-port', 'abc'], {
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let errors = '';
    child.stderr.on('data', (chunk: Buffer) => (errors += chunk.toString()));
    const [code] = (await once(child, 'exit')) as [number];
    assert.equal(code, 1);
    assert.match(errors, /--stripe-port must be a port number/);
  });
});

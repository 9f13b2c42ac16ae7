import { spawn } from 'node:child_process';
import path from 'node:path';
import { freePort } from './processes.js';

export interface NpmStart {
  port: number;
  /** Everything `npm start` printed so far (stdout and stderr). */
  output(): string;
  /** Polls /readyz every 100 ms; resolves with the ms from spawn to the first 200, or null by the deadline. */
  waitReady(deadlineMs: number): Promise<number | null>;
  stop(): Promise<void>;
}

/**
 * `npm start` from the repository root as a newcomer runs it: no database server, no Stripe keys,
 * its own free ports and the given PGlite data directory (and `extraEnv`, e.g. where npm start caches
 * its bundle).
 */
export async function startNpmStart(
  dataDir: string,
  extraEnv: Record<string, string> = {},
): Promise<NpmStart> {
  const [port, stripePort, demoPort, hubspotPort] = [
    await freePort(),
    await freePort(),
    await freePort(),
    await freePort(),
  ];
  const env = { ...process.env };
  for (const name of Object.keys(env))
    if (name.startsWith('STRIPE_') || name === 'DATABASE_URL') delete env[name];
  const startedAt = performance.now();
  const child = spawn('npm', ['start', '--silent'], {
    cwd: path.resolve(import.meta.dirname, '../../..'),
    env: {
      ...env,
      PORT: String(port),
      STRIPE_SANDBOX_PORT: String(stripePort),
      DEMO_PORT: String(demoPort),
      HUBSPOT_SANDBOX_PORT: String(hubspotPort),
      ONEPAGEPAY_DATA_DIR: dataDir,
      ...extraEnv,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
    // Its own process group, so stop() ends npm and the node process it started together.
    detached: true,
  });
  let output = '';
  child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  return {
    port,
    output: () => output,
    async waitReady(deadlineMs) {
      while (performance.now() - startedAt < deadlineMs && child.exitCode === null) {
        const ready = await fetch(`http://127.0.0.1:${port}/readyz`).then(
          (response) => response.status === 200,
          () => false,
        );
        if (ready) return performance.now() - startedAt;
        await new Promise((resolve) => setTimeout(resolve, 100));
      }
      return null;
    },
    async stop() {
      if (child.exitCode === null) process.kill(-child.pid!, 'SIGTERM');
      await exited;
      // npm can exit before the relay it started has closed PGlite: wait for the whole group.
      const deadline = Date.now() + 15_000;
      while (Date.now() < deadline && processGroupAlive(child.pid!)) {
        await new Promise((resolve) => setTimeout(resolve, 100));
      }
    },
  };
}

function processGroupAlive(pid: number): boolean {
  try {
    process.kill(-pid, 0);
    return true;
  } catch {
    return false;
  }
}

import path from 'node:path';
import { spawnLogged, waitUntil, type Spawned } from './processes.js';

// The compiled relay (FaultWorld builds it first), as `onepagepay-relay serve` runs it, started by
// relay-main.mjs so that its HubSpot worker runs on the suite's clock; it restarts in about a second.
const MAIN = path.resolve(import.meta.dirname, 'relay-main.mjs');

/** One relay as its own OS process (one per zone), which a fault can kill -9 and the suite restart. */
export class RelayProcess {
  private process: Spawned | undefined;
  /** Every start after the first: a relay that came back. */
  restarts = 0;

  constructor(
    readonly name: string,
    readonly port: number,
    private env: Record<string, string>,
    private readonly logFile: string,
  ) {}

  get url(): string {
    return `http://127.0.0.1:${this.port}`;
  }

  get pid(): number | undefined {
    return this.process?.child.pid;
  }

  async start(): Promise<void> {
    if (this.process) this.restarts += 1;
    const started = spawnLogged([process.execPath, MAIN], {
      env: { ...this.env, PORT: String(this.port), HOST: '127.0.0.1' },
      logFile: this.logFile,
    });
    this.process = started;
    await waitUntil(`${this.name} ready`, async () => {
      if (started.child.exitCode !== null) throw new Error(`${this.name} exited; see ${this.logFile}`);
      return (await fetch(`${this.url}/readyz`)).ok;
    });
  }

  /** Stops it gracefully and starts it again with `env` changed: a redeploy with other settings. */
  async restartWith(env: Record<string, string>): Promise<void> {
    await this.stop();
    this.env = { ...this.env, ...env };
    await this.start();
  }

  /** kill -9: no graceful shutdown, requests in flight are cut. */
  async kill(): Promise<void> {
    await this.process?.killHard();
  }

  async stop(): Promise<void> {
    await this.process?.stop(5_000);
  }
}

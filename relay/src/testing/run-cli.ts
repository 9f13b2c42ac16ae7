import { runCli } from '../cli/main.js';

/** Runs `onepagepay-relay` in-process with `env`, capturing its output lines and exit code. */
export async function runCliCaptured(env: NodeJS.ProcessEnv, argv: string[]) {
  const out: string[] = [];
  const err: string[] = [];
  const code = await runCli(argv, { env, out: (line) => out.push(line), err: (line) => err.push(line) });
  return { code, out, err };
}

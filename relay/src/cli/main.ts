import { readFileSync } from 'node:fs';
import { Command, CommanderError } from 'commander';
import { ConfigError, isRelayError } from '../errors.js';
import { createCliContext, type RegisterCommands } from './cli-context.js';
import { registerApiKeyCommands } from './commands/api-key.js';
import { registerBackupCommands } from './commands/backup.js';
import { registerFormCommands } from './commands/form.js';
import { registerHubSpotCommands } from './commands/hubspot.js';
import { registerMigrateCommand } from './commands/migrate.js';
import { registerReconcileCommand } from './commands/reconcile.js';
import { registerRotateKeyCommand } from './commands/rotate-key.js';
import { registerServeCommand } from './commands/serve.js';
import { registerTenantCommands } from './commands/tenant.js';
import { registerUserCommands } from './commands/user.js';
import { registerWorkerCommand } from './commands/worker.js';

/** Every command group of `onepagepay-relay`; new groups register here. */
export const COMMAND_GROUPS: RegisterCommands[] = [
  registerServeCommand,
  registerMigrateCommand,
  registerTenantCommands,
  registerFormCommands,
  registerHubSpotCommands,
  registerWorkerCommand,
  registerUserCommands,
  registerApiKeyCommands,
  registerBackupCommands,
  registerReconcileCommand,
  registerRotateKeyCommand,
];

/** The relay package's version: `package.json` sits two levels up from both src/cli and dist/cli. */
function readVersion(): string {
  const manifest = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as {
    version: string;
  };
  return manifest.version;
}

/**
 * The one line printed for an error that is not one of ours. A database error carries the SQL and
 * the values it was run with (knex puts the statement in the message), so only its SQLSTATE is
 * shown; bad arguments are refused by the option parsers before a command gets that far.
 */
function describeUnexpected(error: unknown): string {
  // objection wraps the driver's error (DataError, UniqueViolationError, …) and keeps it as nativeError.
  const native = (error as { nativeError?: unknown } | null)?.nativeError ?? error;
  const sqlState = (native as { code?: unknown } | null)?.code;
  if (typeof sqlState === 'string' && /^[0-9A-Z]{5}$/.test(sqlState)) {
    return `the database refused the command (SQLSTATE ${sqlState}); check the arguments and that \`onepagepay-relay migrate\` has run`;
  }
  const message = error instanceof Error ? error.message : String(error);
  return message.split('\n')[0] ?? message;
}

/** Runs the CLI; resolves to the process exit code. Errors print one clear line, never a stack. */
export async function runCli(
  argv: string[],
  io: { env?: NodeJS.ProcessEnv; out?: (line: string) => void; err?: (line: string) => void } = {},
): Promise<number> {
  const out = io.out ?? ((line) => process.stdout.write(`${line}\n`));
  const err = io.err ?? ((line) => process.stderr.write(`${line}\n`));
  const program = new Command('onepagepay-relay')
    .description('The OnePagePay relay and its administration commands')
    .version(readVersion(), '-V, --version', 'print the relay version')
    .exitOverride()
    .configureOutput({ writeOut: (text) => out(text.trimEnd()), writeErr: (text) => err(text.trimEnd()) });
  const context = createCliContext(io.env ?? process.env, out);
  for (const register of COMMAND_GROUPS) register(program, context);
  try {
    // With no arguments the relay serves, as `npx onepagepay-relay` is expected to.
    await program.parseAsync(argv.length === 0 ? ['serve'] : argv, { from: 'user' });
    return 0;
  } catch (error) {
    if (error instanceof CommanderError) return error.exitCode;
    if (error instanceof ConfigError || isRelayError(error)) {
      err(`error: ${error.message}`);
      return 1;
    }
    err(`error: ${describeUnexpected(error)}`);
    return 1;
  }
}

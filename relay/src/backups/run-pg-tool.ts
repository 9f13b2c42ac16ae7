import { spawn } from 'node:child_process';
import path from 'node:path';
import { createInterface } from 'node:readline';
import { ConfigError } from '../errors.js';
import { libpqEnvironment } from './libpq-env.js';

/**
 * Runs pg_dump or pg_restore against `connectionString` with `--verbose`, calling `onTable` for
 * each table it reports so a terminal can show progress. Fails with the tool's own last lines,
 * which name the real problem (a version mismatch, a missing role, a full disk).
 */
export async function runPgTool(options: {
  tool: 'pg_dump' | 'pg_restore';
  args: string[];
  connectionString: string;
  binDir: string | undefined;
  onTable?: () => void;
}): Promise<void> {
  const command = options.binDir ? path.join(options.binDir, options.tool) : options.tool;
  const child = spawn(command, ['--verbose', ...options.args], {
    env: { ...process.env, ...libpqEnvironment(options.connectionString) },
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  const tail: string[] = [];
  const tableLine = /(dumping contents of table|processing data for table)/;
  createInterface({ input: child.stderr }).on('line', (line) => {
    if (tableLine.test(line)) options.onTable?.();
    tail.push(line);
    if (tail.length > 5) tail.shift();
  });
  const code = await new Promise<number | null>((resolve, reject) => {
    child.once('error', (error: NodeJS.ErrnoException) =>
      reject(
        error.code === 'ENOENT'
          ? new ConfigError(
              `${command} was not found: install the PostgreSQL client tools of the server's major version, or set PG_BIN_DIR.`,
            )
          : error,
      ),
    );
    child.once('close', resolve);
  });
  if (code !== 0) {
    const said = tail.filter((line) => /error|fatal/i.test(line)).join(' ') || tail.join(' ');
    throw new ConfigError(`${options.tool} failed (exit ${code}): ${said}`);
  }
}

// Refuses a dependency that ships to users under a licence we have not accepted. It reads
// package-lock.json only (every entry carries its licence since lockfile v2), so it runs offline,
// unlike `npm audit`, which needs the advisory database (docs/security-policies.md).
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

/** Licences a runtime dependency may carry: permissive ones compatible with our MIT licence. */
export const ALLOWED_LICENSES = new Set([
  'MIT',
  'MIT-0',
  'ISC',
  'Apache-2.0',
  'BSD-2-Clause',
  'BSD-3-Clause',
  'BlueOak-1.0.0',
  '0BSD',
  'CC0-1.0',
]);

interface LockEntry {
  license?: string | { type?: string };
  dev?: boolean;
  link?: boolean;
  name?: string;
}

export interface LicenseFinding {
  path: string;
  license: string;
}

/** Licence names in an SPDX expression; "(MIT OR GPL-3.0)" is fine when one side is allowed. */
function isAllowed(expression: string): boolean {
  const alternatives = expression.replace(/[()]/g, '').split(/\s+OR\s+/);
  return alternatives.some((alternative) =>
    alternative.split(/\s+AND\s+/).every((name) => ALLOWED_LICENSES.has(name.trim())),
  );
}

/** Runtime (non-dev) packages of a lockfile whose licence is missing or not allowed. */
export function findDisallowedLicenses(lock: { packages?: Record<string, LockEntry> }): LicenseFinding[] {
  const findings: LicenseFinding[] = [];
  for (const [path, entry] of Object.entries(lock.packages ?? {})) {
    // The root entry and our own workspaces (links) are ours; dev tools never ship.
    if (!path.includes('node_modules/') || entry.link || entry.dev) continue;
    const license = typeof entry.license === 'string' ? entry.license : (entry.license?.type ?? '');
    if (!isAllowed(license)) findings.push({ path, license: license || '(none)' });
  }
  return findings;
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const lock = JSON.parse(readFileSync(process.argv[2] ?? 'package-lock.json', 'utf8'));
  const findings = findDisallowedLicenses(lock);
  for (const finding of findings) console.error(`licence not allowed: ${finding.path} (${finding.license})`);
  if (findings.length > 0) process.exit(1);
  console.log('licences: every runtime dependency is under an allowed licence');
}

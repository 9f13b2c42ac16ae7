import { randomBytes } from 'node:crypto';
import { InvalidArgumentError } from 'commander';
import type { Actor } from '../../merchants/audit.js';
import { inviteUser } from '../../merchants/users.js';
import { tenantUuid } from '../arguments.js';
import type { RegisterCommands } from '../cli-context.js';

export const CLI_ACTOR: Actor = {
  type: 'cli',
  id: 'onepagepay-relay',
  ip: null,
  userAgent: 'onepagepay-relay cli',
};

function role(value: string): 'owner' | 'member' {
  if (value !== 'owner' && value !== 'member') throw new InvalidArgumentError('give owner or member');
  return value;
}

async function readStdin(): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks)
    .toString('utf8')
    .replace(/\r?\n$/, '');
}

export const registerUserCommands: RegisterCommands = (program, context) => {
  const user = program.command('user').description('Manage the people who sign in to a tenant');
  user
    .command('invite')
    .description('Add a user to a tenant; prints a one-time password unless --password-stdin is given')
    .requiredOption('--tenant <uuid>', 'the tenant UUID', tenantUuid)
    .requiredOption('--email <email>', 'the email the user signs in with')
    .option('--role <role>', 'owner or member', role, 'member')
    .option('--password-stdin', 'read the password from standard input instead of generating one', false)
    .action(
      async (options: {
        tenant: string;
        email: string;
        role: 'owner' | 'member';
        passwordStdin: boolean;
      }) => {
        const generated = !options.passwordStdin;
        // 120 random bits: long enough for the policy, shown once, to hand over out of band.
        const password = generated ? randomBytes(15).toString('base64url') + '-Opp' : await readStdin();
        const created = await context.withDatabase(({ knex }) =>
          inviteUser(
            knex,
            { tenantId: options.tenant, email: options.email, password, role: options.role },
            CLI_ACTOR,
          ),
        );
        context.print(created.id);
        if (generated)
          context.print(`one-time password (shown once; change it after signing in): ${password}`);
      },
    );
};

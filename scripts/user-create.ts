// `npm run user:create [-- --email a@b.c --name "A B" --role owner|editor|viewer]`
// Creates a staff account (the first owner, typically). On a terminal it asks for what the flags
// leave out, the password without echo and twice; otherwise it reads the password from the first
// line of stdin (`printf '%s\n' "$PW" | npm run user:create -- --email … --name …`), so it never
// has to appear in a command line or shell history.
import { createInterface } from 'node:readline/promises';
import { Writable } from 'node:stream';
import { parseArgs } from 'node:util';
import { getConfig, type Config } from '../src/config.ts';

interface Flags {
  email?: string;
  name?: string;
  role: string;
}
interface Answers {
  email: string;
  name: string;
  password: string;
}

async function readFromTerminal(flags: Flags): Promise<Answers> {
  let muted = false;
  const output = new Writable({
    write(chunk, encoding, done) {
      if (!muted) process.stdout.write(chunk, encoding);
      done();
    },
  });
  const rl = createInterface({ input: process.stdin, output, terminal: true });
  const hidden = async (question: string) => {
    process.stdout.write(question);
    muted = true;
    const answer = await rl.question('');
    muted = false;
    process.stdout.write('\n');
    return answer;
  };
  try {
    const email = flags.email ?? (await rl.question('Email: '));
    const name = flags.name ?? (await rl.question('Name: '));
    for (;;) {
      const password = await hidden('Password (at least 12 characters): ');
      if ((await hidden('Password again: ')) === password) return { email, name, password };
      console.log('The two passwords differ. Try again.');
    }
  } finally {
    rl.close();
  }
}

async function readFromPipe(flags: Flags): Promise<Answers> {
  if (!flags.email || !flags.name) fail('Without a terminal, pass --email and --name, and the password on stdin.');
  let input = '';
  for await (const chunk of process.stdin) input += chunk;
  return { email: flags.email, name: flags.name, password: input.split(/\r?\n/)[0] ?? '' };
}

function fail(message: string): never {
  console.error(message);
  process.exit(1);
}

/**
 * What the command does with its answers (the tests call it for the refusals): the account
 * created, or why not, one line per field; and the exit status that goes with it.
 */
export async function createAccount(
  { databasePath, migrationsDir }: Pick<Config, 'databasePath' | 'migrationsDir'>,
  input: Answers & { role: string },
  now: number,
): Promise<{ status: 0 | 1; out: string }> {
  // Loaded only once the answers are in (the database code takes ~2 CPU-seconds to load), so that a
  // command line missing what it needs is answered at once.
  const [{ openDatabase }, { createUser, SYSTEM_OWNER }, { Invalid }] = await Promise.all([
    import('../db/client.ts'),
    import('../src/server/commands/users.ts'),
    import('../src/server/errors.ts'),
  ]);
  const db = openDatabase(databasePath, migrationsDir);
  try {
    await createUser(db, SYSTEM_OWNER, input, now);
    return { status: 0, out: `Created ${input.role} ${input.email.trim().toLowerCase()} in ${databasePath}. Sign in at /admin/sign-in.` };
  } catch (error) {
    if (error instanceof Invalid) return { status: 1, out: Object.entries(error.fields).map(([field, message]) => `${field}: ${message}`).join('\n') };
    throw error;
  } finally {
    db.$client.close();
  }
}

if (import.meta.main) {
  const { values: flags } = parseArgs({
    options: { email: { type: 'string' }, name: { type: 'string' }, role: { type: 'string', default: 'owner' } },
    strict: true,
  });
  const answers = process.stdin.isTTY ? await readFromTerminal(flags) : await readFromPipe(flags);
  const { status, out } = await createAccount(getConfig(), { ...answers, role: flags.role }, Date.now());
  if (status !== 0) fail(out);
  console.log(out);
}

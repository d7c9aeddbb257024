import type { CommandContext } from './registry.ts';
import { redact } from '../config.ts';
import { withDatabaseUrl } from './database.ts';

export async function run(ctx: CommandContext): Promise<number> {
  await withDatabaseUrl(ctx, async (url) => {
    process.stdout.write(`migrations applied to ${redact(url)}\n`);
  });
  return 0;
}

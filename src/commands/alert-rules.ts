// `alert-rules`: the alert rules as a Prometheus rule file, with the thresholds of this
// environment's ALERT_* variables (the API servers must get the same ones).
import { writeFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import type { CommandContext } from './registry.ts';
import { prometheusRuleFile } from '../alerts/prometheus-rules.ts';

export const usage = `usage: alert-rules [--out FILE]
  --out FILE   write the rule file there (default: standard output)
`;

export async function run(ctx: CommandContext): Promise<number> {
  const { values } = parseArgs({ args: ctx.args, options: { out: { type: 'string' }, help: { type: 'boolean', short: 'h' } } });
  if (values.help) {
    process.stdout.write(usage);
    return 0;
  }
  const text = prometheusRuleFile(ctx.config);
  if (values.out) {
    writeFileSync(values.out, text);
    process.stderr.write(`wrote ${values.out}\n`);
  } else {
    process.stdout.write(text);
  }
  return 0;
}

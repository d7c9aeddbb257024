// Registers the CLI's commands; each module is loaded only when its command runs.
import { registerCommand } from './registry.ts';

registerCommand('migrate', { summary: 'apply database migrations (also done at start)', run: async (ctx) => (await import('./migrate.ts')).run(ctx) });

registerCommand('import', { summary: 'import an OSM planet notes dump (.osn.xml or .bz2)', run: async (ctx) => (await import('./import.ts')).run(ctx) });
registerCommand('poll', { summary: 'poll the OSM API for changed notes (OSM_API_URL, POLL_INTERVAL)', run: async (ctx) => (await import('./poll.ts')).run(ctx) });
registerCommand('generate', { summary: 'synthetic notes: a live feed, a dump file, or the demo dataset', run: async (ctx) => (await import('./generate.ts')).run(ctx) });
registerCommand('reprocess', { summary: 'recompute facts and datamarts of notes (--from/--to or --ids)', run: async (ctx) => (await import('./reprocess.ts')).run(ctx) });
registerCommand('alert-rules', { summary: 'print the alert rules as a Prometheus rule file (ALERT_* thresholds)', run: async (ctx) => (await import('./alert-rules.ts')).run(ctx) });
registerCommand('rebuild-datamarts', { summary: 'recompute every datamart from the facts', run: async (ctx) => (await import('./rebuild-datamarts.ts')).run(ctx) });

export { commands } from './registry.ts';

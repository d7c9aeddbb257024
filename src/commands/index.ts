// Registers the commands that live outside src/cli.ts. One import per command module.
import { registerCommand } from '../cli.ts';

registerCommand('import', { summary: 'import an OSM planet notes dump (.osn.xml or .bz2)', run: async (ctx) => (await import('./import.ts')).run(ctx) });
registerCommand('poll', { summary: 'poll the OSM API for changed notes (OSM_API_URL, POLL_INTERVAL)', run: async (ctx) => (await import('./poll.ts')).run(ctx) });
registerCommand('generate', { summary: 'synthetic notes: a live feed, a dump file, or the demo dataset', run: async (ctx) => (await import('./generate.ts')).run(ctx) });

// Prints a country's datamart (what its notes add up to):
//   npx tsx examples/country-datamart.ts FR            once
//   npx tsx examples/country-datamart.ts FR --watch    again after every update of its datamart
import {
  CountryDatamartDocument,
  createNotesStreamClient,
  DatamartUpdatesDocument,
  GraphQLRequestError,
  type CountryDatamartQuery,
} from '@notes-stream/sdk';

const [code, flag] = process.argv.slice(2);
if (!code || (flag !== undefined && flag !== '--watch')) {
  console.error('usage: npx tsx examples/country-datamart.ts <ISO 3166-1 alpha-2 code, e.g. FR> [--watch]');
  process.exit(2);
}
const url = process.env.NOTES_STREAM_URL ?? 'http://localhost:4000/graphql';
const client = createNotesStreamClient({ url, subscriptionToken: process.env.SUBSCRIPTION_TOKEN });

const number = (value: number | null | undefined, digits = 0) => (value == null ? '–' : value.toFixed(digits));
const BARS = ' ▁▂▃▄▅▆▇█';

/** One character per week of the last year: its busiest day, 0 (none) to 9. */
function sparkline(days: string): string {
  let line = '';
  for (let i = 0; i < days.length; i += 7) line += BARS[Math.min(8, Math.max(...days.slice(i, i + 7).split('').map(Number)))];
  return line;
}

function print({ country }: CountryDatamartQuery): void {
  const s = country.stats;
  console.log(`${country.name} (${country.code}${country.iso3 ? ` / ${country.iso3}` : ''})`);
  console.log(`  actions      ${s.actions}: opened ${s.opened}, commented ${s.commented}, closed ${s.closed}, reopened ${s.reopened}, hidden ${s.hidden}`);
  console.log(`  notes        still open ${s.stillOpen}, resolved ${s.resolved}, backlog (open > 30 days) ${s.backlog}, resolution rate ${number(s.resolutionRate, 2)} %`);
  console.log(`  resolution   average ${number(s.avgDaysToResolution, 1)} days, median ${number(s.medianDaysToResolution, 1)} days`);
  console.log(`  comments     average length ${number(s.avgCommentLength, 1)}, with a URL ${number(s.commentsWithUrlPct, 1)} %, with a mention ${number(s.commentsWithMentionPct, 1)} %`);
  console.log(`  active       ${s.firstActionDate ?? '–'} to ${s.lastActionDate ?? '–'}`);
  console.log(`  apps         ${s.applications.map((a) => `${a.application.name} ${a.notesOpened}`).join(', ') || '–'}`);
  console.log(`  hashtags     ${s.topHashtags.map((h) => `#${h.hashtag.name} ${h.uses}`).join(', ') || '–'}`);
  console.log(`  last year    ${sparkline(s.lastYearActivity)}`);
  console.log('  year  opened  closed  median days');
  for (const y of s.years) {
    console.log(`  ${y.year}  ${String(y.opened).padStart(6)}  ${String(y.closed).padStart(6)}  ${number(y.medianDaysToResolution, 1).padStart(11)}`);
  }
}

try {
  print(await client.query(CountryDatamartDocument, { code }));
  if (flag === '--watch') {
    process.once('SIGINT', () => void client.close());
    console.error(`\nwatching the datamart of ${code.toUpperCase()}; Ctrl-C stops`);
    for await (const { datamartUpdated } of client.subscribe(DatamartUpdatesDocument, { scope: 'COUNTRY', id: code })) {
      console.log(`\nupdated at ${datamartUpdated.committedAt} (batch ${datamartUpdated.batchId})`);
      print(await client.query(CountryDatamartDocument, { code }));
    }
  }
} catch (error) {
  const unreachable = error instanceof TypeError && error.message === 'fetch failed';
  console.error(unreachable ? `cannot reach ${url}: is the server running (npm start)?` : error instanceof GraphQLRequestError ? error.message : error);
  process.exitCode = 1;
} finally {
  await client.close();
}

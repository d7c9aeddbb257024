// The SDK is typed end to end: variables and results come from the operations, so a wrong
// variable or an unknown field does not compile. `npm run typecheck` checks the expected errors
// marked below; the test compiles probes with the TypeScript API to show the same errors from
// the outside (and that the correct form compiles clean).
import { resolve } from 'node:path';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';
import { CountryDatamartDocument, NoteEventsDocument, ServerInfoDocument, type NotesStreamClient } from '@notes-stream/sdk';

// Never called: only compiled.
export async function typeErrors(client: NotesStreamClient) {
  // @ts-expect-error code is a String!, not a number
  await client.query(CountryDatamartDocument, { code: 42 });
  // @ts-expect-error CountryDatamart has no variable `country`
  await client.query(CountryDatamartDocument, { code: 'FR', country: 'FR' });
  // @ts-expect-error the required variable `code` is missing
  await client.query(CountryDatamartDocument);
  // @ts-expect-error ServerInfo takes no variables
  await client.query(ServerInfoDocument, { verbose: true });

  const { country } = await client.query(CountryDatamartDocument, { code: 'FR' });
  // @ts-expect-error the operation does not select `population`
  void country.population;
  // @ts-expect-error opened is a number
  const opened: string = country.stats.opened;

  // @ts-expect-error OPENDED is not a NoteAction
  client.subscribe(NoteEventsDocument, { filter: { actions: ['OPENDED'] } });
  for await (const { noteEvent } of client.subscribe(NoteEventsDocument, { filter: { countries: ['DE'] } })) {
    // @ts-expect-error noteEvent has no `comment` field (it is `text`)
    void noteEvent.comment;
  }
  return opened;
}

/**
 * Type-checks snippets as files of test/ (so that imports resolve) with the project's options,
 * in one program (one load of the SDK and its dependencies' types), and returns each one's errors.
 */
function typeErrorsOf(sources: string[]): string[][] {
  const config = ts.getParsedCommandLineOfConfigFile(resolve('tsconfig.json'), {}, { ...ts.sys, onUnRecoverableConfigFileDiagnostic: () => {} })!;
  const probes = new Map(sources.map((source, i) => [resolve(`test/sdk-type-probe-${i}.ts`), source]));
  const host = ts.createCompilerHost(config.options);
  const { readFile, fileExists, getSourceFile } = host;
  host.readFile = (file) => probes.get(file) ?? readFile.call(host, file);
  host.fileExists = (file) => probes.has(file) || fileExists.call(host, file);
  host.getSourceFile = (file, language, ...rest) => {
    const probe = probes.get(file);
    return probe === undefined ? getSourceFile.call(host, file, language, ...rest) : ts.createSourceFile(file, probe, language);
  };
  const program = ts.createProgram([...probes.keys()], config.options, host);
  return [...probes.keys()].map((file) =>
    ts.getPreEmitDiagnostics(program, program.getSourceFile(file)).map((d) => ts.flattenDiagnosticMessageText(d.messageText, '\n')),
  );
}

describe('SDK types', () => {
  const header = `import { createNotesStreamClient, CountryDatamartDocument } from '@notes-stream/sdk';
const client = createNotesStreamClient({ url: 'http://localhost:4000/graphql' });\n`;

  it('compile a correct query clean, and refuse a wrong variable and an unknown field', () => {
    const [correct, wrongVariable, unknownField] = typeErrorsOf([
      `${header}export const n: number = (await client.query(CountryDatamartDocument, { code: 'FR' })).country.stats.opened;`,
      `${header}await client.query(CountryDatamartDocument, { code: 42 });`,
      `${header}void (await client.query(CountryDatamartDocument, { code: 'FR' })).country.population;`,
    ]);
    expect(correct).toEqual([]);
    expect(wrongVariable).toEqual(["Type 'number' is not assignable to type 'string'."]);
    expect(unknownField).toEqual([expect.stringMatching(/Property 'population' does not exist/)]);
  });
});

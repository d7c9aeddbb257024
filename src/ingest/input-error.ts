/**
 * A problem in an input file or answer, with where it is. The message reads
 * `file:line:column: problem`, the form editors and terminals link to.
 */
export class IngestInputError extends Error {
  override name = 'IngestInputError';
  constructor(
    readonly source: string,
    readonly line: number,
    readonly column: number,
    readonly problem: string,
  ) {
    // Line 0: the problem is not at a place in the text (a corrupt compressed stream, …).
    super(line > 0 ? `${source}:${line}:${column}: ${problem}` : `${source}: ${problem}`);
  }
}

/** A field value that failed validation; the parser adds the position. */
export class FieldError extends Error {
  override name = 'FieldError';
}

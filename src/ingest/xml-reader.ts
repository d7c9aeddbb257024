// A thin layer over saxes shared by the dump and API parsers: positions in errors, the text of
// the current element, and an error type that names source, line and column.
import { SaxesParser, type SaxesTagPlain } from 'saxes';
import { FieldError, IngestInputError } from './input-error.ts';

export interface XmlHandlers {
  open(tag: SaxesTagPlain): void;
  close(name: string): void;
  /** Text and CDATA, decoded (entities resolved). */
  text(text: string): void;
}

export class XmlReader {
  private readonly sax = new SaxesParser<{ position: true; xmlns: false }>({ position: true, xmlns: false });
  private readonly source: string;
  private sawElement = false;

  constructor(source: string, handlers: XmlHandlers) {
    this.source = source;
    this.sax.on('error', (error) => {
      const problem = error.message.replace(/^\d+:\d+: /, '');
      // Failing before the first element almost always means the input is not XML at all.
      throw this.errorHere(this.sawElement ? problem : `not an XML document: ${problem}`);
    });
    this.sax.on('opentag', (tag) => {
      this.sawElement = true;
      this.guard(() => handlers.open(tag));
    });
    this.sax.on('closetag', (tag) => this.guard(() => handlers.close(tag.name)));
    this.sax.on('text', handlers.text);
    this.sax.on('cdata', handlers.text);
  }

  write(chunk: string): void {
    this.sax.write(chunk);
  }

  /** Ends the document; a truncated one fails here. */
  end(): void {
    try {
      this.sax.close();
    } catch (error) {
      if (error instanceof IngestInputError && this.sawElement) {
        throw new IngestInputError(error.source, error.line, error.column, `the input ends early (truncated?): ${error.problem}`);
      }
      throw error;
    }
  }

  get line(): number {
    return this.sax.line;
  }

  /** An error at the parser's position (the end of the tag or text just read). */
  errorHere(problem: string): IngestInputError {
    return new IngestInputError(this.source, this.sax.line, this.sax.column + 1, problem);
  }

  private guard(step: () => void): void {
    try {
      step();
    } catch (error) {
      if (error instanceof FieldError) throw this.errorHere(error.message);
      throw error;
    }
  }
}

// The dump and API parsers on hand-written fixtures: every field, action, anonymous comments,
// entities, multi-line and empty texts; and every kind of bad input named by line and column.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parseApiNotes } from '../src/ingest/api-parser.ts';
import { IngestInputError } from '../src/ingest/input-error.ts';
import { statusOf, type IncomingNote } from '../src/ingest/model.ts';
import { PlanetDumpParser } from '../src/ingest/planet-parser.ts';

const fixture = (name: string) => new URL(`./fixtures/ingest/${name}`, import.meta.url);

function parsePlanet(xml: string, chunkSize = xml.length): IncomingNote[] {
  const parser = new PlanetDumpParser('test.osn.xml');
  const notes: IncomingNote[] = [];
  for (let i = 0; i < xml.length; i += chunkSize) {
    parser.write(xml.slice(i, i + chunkSize));
    notes.push(...parser.take().notes);
  }
  parser.end();
  return [...notes, ...parser.take().notes];
}

function planetError(xml: string): IngestInputError {
  try {
    parsePlanet(xml);
  } catch (error) {
    if (error instanceof IngestInputError) return error;
    throw error;
  }
  throw new Error('expected the input to be rejected');
}

const note = (attributes: string, comments = '') => `<osm-notes>\n<note ${attributes}>\n${comments}</note>\n</osm-notes>\n`;
const okNote = 'id="1" lat="1" lon="2" created_at="2024-01-01T00:00:00Z"';

describe('planet dump parser', () => {
  const notes = parsePlanet(readFileSync(fixture('planet-sample.osn.xml'), 'utf8'));

  it('reads every note and comment in document order', () => {
    expect(notes.map((n) => n.id)).toEqual([101, 102, 103, 104, 105, 106]);
    expect(notes.map((n) => n.comments.map((c) => c.action))).toEqual([
      ['opened', 'commented', 'closed', 'reopened', 'closed'],
      ['opened', 'hidden'],
      ['opened', 'commented'],
      ['opened', 'closed'],
      ['opened'],
      ['opened'],
    ]);
  });

  it('keeps positions, timestamps and closed_at, and derives the status from the actions', () => {
    expect(notes[0]).toMatchObject({ lat: 52.52, lon: 13.4, createdAt: '2024-01-10T08:00:00Z', closedAt: '2024-02-01T12:00:00Z' });
    expect(notes[0]!.comments[1]!.timestamp).toBe('2024-01-11T09:30:00Z');
    expect(notes.map(statusOf)).toEqual(['close', 'hidden', 'open', 'close', 'open', 'open']);
  });

  it('gives anonymous comments no user, and named ones their uid and name', () => {
    expect(notes[0]!.comments[1]).toMatchObject({ uid: null, user: null });
    expect(notes[1]!.comments[0]).toMatchObject({ uid: null, user: null });
    expect(notes[0]!.comments[0]).toMatchObject({ uid: 1001, user: 'alice' });
    expect(notes[4]!.comments[0]!.user).toBe('eve & co');
  });

  it('decodes entities and keeps multi-line and empty texts', () => {
    expect(notes[0]!.comments[0]!.text).toBe('Bakery closed\n\nvia StreetComplete 59.3');
    expect(notes[0]!.comments[3]!.text).toBe('');
    expect(notes[1]!.comments[1]!.text).toBe('');
    expect(notes[0]!.comments[4]!.text).toBe('Fixed & checked <really> "quoted" café ☕');
    expect(notes[4]!.comments[0]!.text).toBe('Trail washed out 😀 (with iD)');
  });

  it('gives the same notes however the input is cut into chunks', () => {
    const xml = readFileSync(fixture('planet-sample.osn.xml'), 'utf8');
    expect(parsePlanet(xml, 7)).toEqual(notes);
  });

  it('names line, column and problem for bad input', () => {
    expect(planetError(note(okNote, '<comment action="edited" timestamp="2024-01-01T00:00:00Z"/>\n'))).toMatchObject({
      line: 3,
      problem: 'note 1: unknown action "edited" (expected one of opened, commented, closed, reopened, hidden)',
    });
    expect(planetError(note('lat="1" lon="2" created_at="2024-01-01T00:00:00Z"')).problem).toBe('note id is missing');
    expect(planetError(note('id="-4" lat="1" lon="2" created_at="2024-01-01T00:00:00Z"')).problem).toMatch(/note id "-4" is not a positive integer/);
    expect(planetError(note('id="1" lat="91" lon="2" created_at="2024-01-01T00:00:00Z"')).problem).toMatch(/note 1: lat "91" is not a number from -90 to 90/);
    expect(planetError(note('id="1" lat="1" lon="2" created_at="2024-01-01 00:00:00"')).problem).toMatch(/created_at .* is not an ISO 8601 UTC timestamp/);
    expect(planetError(note(okNote, '<comment action="opened" timestamp="2024-02-30T00:00:00Z"/>\n')).problem).toMatch(/not a valid date/);
    expect(planetError(note(okNote, '<comment action="opened" timestamp="2024-01-01T00:00:00+01:00"/>\n')).problem).toMatch(/ISO 8601 UTC/);
    expect(planetError('this is not XML').problem).toBe('not an XML document: text data outside of root node.');
    expect(planetError('<osm><note/></osm>').problem).toMatch(/expected the planet notes root element <osm-notes>, found <osm>/);
  });

  it('reports a truncated file at its end', () => {
    const xml = readFileSync(fixture('planet-sample.osn.xml'), 'utf8');
    const error = planetError(xml.slice(0, xml.indexOf('<note id="103"') + 40));
    expect(error.problem).toMatch(/^the input ends early \(truncated\?\): unclosed tag: osm-notes/);
    expect(error.message).toMatch(/^test\.osn\.xml:\d+:\d+: /);
  });
});

describe('OSM API parser', () => {
  const notes = parseApiNotes(readFileSync(fixture('api-page-2.xml'), 'utf8'), 'api-page-2.xml');

  it('reads notes with their status, dates and comments', () => {
    expect(notes.map((n) => [n.id, n.status, n.createdAt, n.closedAt])).toEqual([
      [202, 'close', '2024-03-01T12:00:00Z', '2024-03-03T08:00:00Z'],
      [201, 'close', '2024-03-01T10:00:00Z', '2024-03-05T09:00:00Z'],
      [203, 'open', '2024-03-06T00:00:00Z', null],
    ]);
    expect(notes[1]!.comments).toEqual([
      { action: 'opened', timestamp: '2024-03-01T10:00:00Z', uid: 2001, user: 'wien_mapper', text: 'Spielplatz wurde entfernt\n#EveryDoor' },
      { action: 'commented', timestamp: '2024-03-02T11:00:00Z', uid: null, user: null, text: 'Stimmt & danke' },
      { action: 'closed', timestamp: '2024-03-05T09:00:00Z', uid: 2003, user: 'closer', text: 'Entfernt.\nDanke!' },
    ]);
    expect(notes[0]!.comments[1]!.text).toBe('');
  });

  it('reads an empty answer as no notes', () => {
    expect(parseApiNotes(readFileSync(fixture('api-empty.xml'), 'utf8'), 'api-empty.xml')).toEqual([]);
  });

  it('rejects a truncated answer as a whole', () => {
    expect(() => parseApiNotes(readFileSync(fixture('api-truncated.xml'), 'utf8'), 'answer')).toThrow(/^answer:\d+:\d+: the input ends early/);
  });

  it('rejects a note without id, an unknown status and a bad date', () => {
    const wrap = (inner: string) => `<osm><note lon="1" lat="2">${inner}</note></osm>`;
    expect(() => parseApiNotes(wrap('<date_created>2024-03-01 10:00:00 UTC</date_created><status>open</status>'), 'a')).toThrow(/note at line 1 has no <id>/);
    expect(() => parseApiNotes(wrap('<id>5</id><status>gone</status>'), 'a')).toThrow(/unknown status "gone"/);
    expect(() => parseApiNotes(wrap('<id>5</id><date_created>yesterday</date_created>'), 'a')).toThrow(/date_created "yesterday" is not a UTC timestamp/);
  });
});

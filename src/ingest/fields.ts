// Validation of single field values shared by the dump and API parsers. Each function returns
// the clean value or throws FieldError with a message meant for the person fixing the file.
import { FieldError } from './input-error.ts';
import { NOTE_ACTIONS, type NoteAction, type NoteStatus } from './model.ts';

const INT4_MAX = 2_147_483_647;
const ISO_UTC = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2}):(\d{2})(?:\.\d+)?Z$/;
const API_UTC = /^(\d{4})-(\d{2})-(\d{2}) (\d{2}):(\d{2}):(\d{2}) UTC$/;
const DECIMAL = /^-?\d+(?:\.\d+)?$/;

function show(value: string): string {
  return JSON.stringify(value.length > 60 ? `${value.slice(0, 57)}...` : value);
}

/** A positive integer that fits notes.note_id / users.user_id (int4). */
export function parseId(value: string | undefined, what: string): number {
  if (value === undefined || value.trim() === '') throw new FieldError(`${what} is missing`);
  const text = value.trim();
  if (!/^\d+$/.test(text) || Number(text) < 1 || Number(text) > INT4_MAX) {
    throw new FieldError(`${what} ${show(value)} is not a positive integer up to ${INT4_MAX}`);
  }
  return Number(text);
}

function parseCoordinate(value: string | undefined, what: string, limit: number): number {
  if (value === undefined || value.trim() === '') throw new FieldError(`${what} is missing`);
  const text = value.trim();
  const n = Number(text);
  if (!DECIMAL.test(text) || n < -limit || n > limit) {
    throw new FieldError(`${what} ${show(value)} is not a number from -${limit} to ${limit}`);
  }
  return n;
}

export const parseLatitude = (value: string | undefined) => parseCoordinate(value, 'lat', 90);
export const parseLongitude = (value: string | undefined) => parseCoordinate(value, 'lon', 180);

const DAYS_IN_MONTH = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];

function daysIn(year: number, month: number): number {
  const leap = year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0);
  return month === 2 && leap ? 29 : DAYS_IN_MONTH[month - 1]!;
}

/** Checks the calendar fields of a matched timestamp and returns '…T…Z' (seconds precision). */
function normalise(match: RegExpExecArray, value: string, what: string): string {
  const month = Number(match[2]);
  const day = Number(match[3]);
  if (
    month < 1 || month > 12 || day < 1 || day > daysIn(Number(match[1]), month) ||
    Number(match[4]) > 23 || Number(match[5]) > 59 || Number(match[6]) > 59
  ) {
    throw new FieldError(`${what} ${show(value)} is not a valid date and time`);
  }
  // Dumps already use the normal form; returning the input avoids building a string per comment.
  if (value.length === 20 && value[10] === 'T') return value;
  return `${match[1]}-${match[2]}-${match[3]}T${match[4]}:${match[5]}:${match[6]}Z`;
}

/** Planet dump timestamps: ISO 8601 in UTC with a 'Z' ('2013-04-24T08:12:38Z'); nothing else. */
export function parseIsoTimestamp(value: string | undefined, what: string): string {
  if (value === undefined || value === '') throw new FieldError(`${what} is missing`);
  const match = ISO_UTC.exec(value);
  if (!match) throw new FieldError(`${what} ${show(value)} is not an ISO 8601 UTC timestamp like 2024-05-01T10:20:30Z`);
  return normalise(match, value, what);
}

/** OSM API timestamps ('2025-07-13 19:16:10 UTC'); ISO 8601 UTC is accepted as well. */
export function parseApiTimestamp(value: string | undefined, what: string): string {
  const text = value?.trim();
  if (!text) throw new FieldError(`${what} is missing`);
  const match = API_UTC.exec(text);
  if (match) return normalise(match, text, what);
  if (ISO_UTC.test(text)) return parseIsoTimestamp(text, what);
  throw new FieldError(`${what} ${show(text)} is not a UTC timestamp like 2025-07-13 19:16:10 UTC`);
}

export function parseAction(value: string | undefined): NoteAction {
  const text = value?.trim();
  if (!text) throw new FieldError('action is missing');
  if (!(NOTE_ACTIONS as readonly string[]).includes(text)) {
    throw new FieldError(`unknown action ${show(text)} (expected one of ${NOTE_ACTIONS.join(', ')})`);
  }
  return text as NoteAction;
}

/** OSM API status words; the database says 'close' where OSM says "closed". */
export function parseApiStatus(value: string | undefined): NoteStatus {
  switch (value?.trim()) {
    case 'open':
      return 'open';
    case 'closed':
      return 'close';
    case 'hidden':
      return 'hidden';
    default:
      throw new FieldError(`unknown status ${show(value ?? '')} (expected open, closed or hidden)`);
  }
}

// How exported notes and facts are written: the same named values as GeoJSON Feature properties
// (RFC 7946: a FeatureCollection of Points, coordinates [longitude, latitude]) and as CSV columns
// (RFC 4180: CRLF line ends, fields with commas, quotes or line breaks quoted, quotes doubled;
// csv-stringify writes them).
import { stringify } from 'csv-stringify/sync';
import type { FactExportRow, NoteExportRow } from '../resolvers/exports.ts';
import type { Freshness } from './freshness.ts';

type Value = string | number | boolean | null;

/** One exported item: its position and its values, in column order. */
export interface ExportItem {
  id: string | number;
  longitude: number | null;
  latitude: number | null;
  properties: Record<string, Value>;
}

const STATUS = { open: 'open', close: 'closed', hidden: 'hidden' } as const;
const iso = (date: Date | null) => date?.toISOString() ?? null;

export function noteItem(note: NoteExportRow): ExportItem {
  return {
    id: note.noteId,
    longitude: note.longitude,
    latitude: note.latitude,
    properties: {
      id: note.noteId,
      url: `https://www.openstreetmap.org/note/${note.noteId}`,
      status: STATUS[note.status],
      createdAt: iso(note.createdAt),
      closedAt: iso(note.closedAt),
      countryCode: note.countryCode,
      openedBy: note.openedBy,
      actions: note.actions,
      lastActionAt: iso(note.lastActionAt),
      text: note.openingText,
      longitude: note.longitude,
      latitude: note.latitude,
    },
  };
}

export function factItem(fact: FactExportRow): ExportItem {
  return {
    id: `${fact.noteId}:${fact.sequenceAction}`,
    longitude: fact.longitude,
    latitude: fact.latitude,
    properties: {
      noteId: fact.noteId,
      sequenceAction: fact.sequenceAction,
      action: fact.action,
      actionAt: iso(fact.actionAt),
      countryCode: fact.countryCode,
      userId: fact.actionUser?.userId ?? null,
      username: fact.actionUser?.username ?? null,
      application: fact.applicationName,
      applicationVersion: fact.applicationVersion,
      daysToResolution: fact.daysToResolution,
      commentLength: fact.commentLength,
      hasUrl: fact.hasUrl,
      hasMention: fact.hasMention,
      hashtags: fact.hashtags.join(' '),
      text: fact.text,
      longitude: fact.longitude,
      latitude: fact.latitude,
    },
  };
}

/** What an export writes first, for each page, and last. */
export interface ExportWriter {
  contentType: string;
  extension: string;
  begin(freshness: Freshness): string;
  page(items: ExportItem[], first: boolean): string;
  end(outcome: { truncated: boolean; next: string | null }): string;
}

export const geojson: ExportWriter = {
  contentType: 'application/geo+json; charset=utf-8',
  extension: 'geojson',
  // `freshness`, `truncated` and `next` are foreign members (RFC 7946 §6.1).
  begin: (freshness) => `{"type":"FeatureCollection","freshness":${JSON.stringify(freshness)},"features":[\n`,
  page: (items, first) =>
    items
      .map((item, i) => {
        const geometry = item.longitude === null || item.latitude === null ? null : { type: 'Point', coordinates: [item.longitude, item.latitude] };
        return `${first && i === 0 ? '' : ',\n'}${JSON.stringify({ type: 'Feature', id: item.id, geometry, properties: item.properties })}`;
      })
      .join(''),
  end: ({ truncated, next }) => `\n],"truncated":${truncated}${next ? `,"next":${JSON.stringify(next)}` : ''}}\n`,
};

export function csv(columns: readonly string[]): ExportWriter {
  const options = {
    record_delimiter: '\r\n',
    cast: { boolean: (value: boolean) => String(value) },
  } as const;
  return {
    contentType: 'text/csv; charset=utf-8; header=present',
    extension: 'csv',
    begin: () => stringify([columns as string[]], options),
    page: (items) => stringify(items.map((item) => columns.map((column) => item.properties[column] ?? '')), options),
    end: () => '',
  };
}

/** CSV columns: the property names of noteItem and factItem, in their order. */
export const NOTE_COLUMNS = [
  'id', 'url', 'status', 'createdAt', 'closedAt', 'countryCode', 'openedBy', 'actions', 'lastActionAt', 'text', 'longitude', 'latitude',
] as const;
export const FACT_COLUMNS = [
  'noteId', 'sequenceAction', 'action', 'actionAt', 'countryCode', 'userId', 'username', 'application', 'applicationVersion',
  'daysToResolution', 'commentLength', 'hasUrl', 'hasMention', 'hashtags', 'text', 'longitude', 'latitude',
] as const;

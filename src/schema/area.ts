// Area filters shared by the lists (notes, facts and the analytics over facts) and the event
// subscriptions: a bounding box, a GeoJSON polygon and a list of note ids.
import { GraphQLScalarType } from 'graphql';
import { JSONObjectResolver } from 'graphql-scalars';
import { MAX_NOTE_IDS, MAX_POLYGON_VERTICES, parseBoundingBox, parseNoteIds, parsePolygon, type BoundingBox } from '../geo/area.ts';
import type { AreaFilter } from '../resolvers/area-sql.ts';
import { builder } from './builder.ts';

builder.addScalarType(
  'GeoJSON',
  new GraphQLScalarType({
    ...JSONObjectResolver.toConfig(),
    name: 'GeoJSON',
    description: 'A GeoJSON geometry object (RFC 7946), written inline or as a variable.',
    specifiedByURL: 'https://datatracker.ietf.org/doc/html/rfc7946',
  }),
);

export const BoundingBoxInput = builder.inputType('BoundingBox', {
  description:
    'An area between two parallels and two meridians, in degrees (WGS 84). A west greater than east ' +
    'crosses the antimeridian. Edges count as inside.',
  fields: (t) => ({
    south: t.float({ required: true, description: 'Southern latitude, -90 to 90.' }),
    west: t.float({ required: true, description: 'Western longitude, -180 to 180.' }),
    north: t.float({ required: true, description: 'Northern latitude, -90 to 90, not south of south.' }),
    east: t.float({ required: true, description: 'Eastern longitude, -180 to 180.' }),
  }),
});

export const AREA_DESCRIPTIONS = {
  bbox: "Notes whose position is in this box (a note's position is where it was opened).",
  polygon:
    'Notes whose position is inside this GeoJSON Polygon or MultiPolygon ([longitude, latitude] positions, closed ' +
    `rings, holes allowed), of at most ${MAX_POLYGON_VERTICES} vertices. Edges count as inside.`,
  noteIds: `Only these notes (at most ${MAX_NOTE_IDS} ids): the notes a person follows.`,
} as const;

export interface AreaInput {
  bbox?: BoundingBox | null;
  polygon?: unknown;
  noteIds?: readonly number[] | null;
}

/** Checks the area fields of a filter argument (named `argument` in errors). */
export function areaFilter(input: AreaInput | null | undefined, argument = 'filter'): Required<AreaFilter> {
  return {
    bbox: input?.bbox ? parseBoundingBox(input.bbox, `${argument}.bbox`) : null,
    polygon: input?.polygon != null ? parsePolygon(input.polygon, `${argument}.polygon`) : null,
    noteIds: input?.noteIds ? parseNoteIds(input.noteIds, `${argument}.noteIds`) : null,
  };
}

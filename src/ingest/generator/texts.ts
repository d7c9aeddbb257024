// What synthetic notes say: problems reported in the place's language, signed by the apps that
// real notes come from (the signatures the warehouse detects, drizzle/0000_baseline.sql),
// with hashtags, @mentions and links in realistic proportions.
import type { Language } from './places.ts';
import type { Random } from './random.ts';

const PROBLEMS: Record<Language, readonly string[]> = {
  en: [
    'The shop here has closed down',
    'Missing footpath between the houses',
    'This road is a dead end now',
    'New bus stop on the corner, not mapped',
    'Cafe renamed, opening hours changed',
    'Bridge is closed for repairs',
  ],
  de: [
    'Der Laden hat geschlossen',
    'Hier fehlt ein Fußweg',
    'Die Straße ist jetzt eine Sackgasse',
    'Neue Bushaltestelle an der Ecke',
    'Spielplatz wurde entfernt',
  ],
  fr: [
    'Le magasin a fermé définitivement',
    'Il manque un chemin piéton ici',
    'Nouvel arrêt de bus pas encore cartographié',
    'La boulangerie a changé de nom',
    "L'entrée du parking est de l'autre côté",
  ],
  es: [
    'La tienda ha cerrado',
    'Falta un camino peatonal',
    'Esta calle ahora es de un solo sentido',
    'Nueva parada de autobús en la esquina',
  ],
  it: ['Il negozio ha chiuso', 'Manca un sentiero pedonale', 'Nuova fermata del bus non mappata'],
  pt: ['A loja fechou', 'Falta um caminho pedonal aqui', 'Nova paragem de autocarro'],
  nl: ['De winkel is gesloten', 'Hier ontbreekt een fietspad', 'Nieuwe bushalte op de hoek'],
  pl: ['Sklep jest zamknięty', 'Brakuje tutaj chodnika', 'Nowy przystanek autobusowy'],
  ru: ['Магазин закрыт', 'Здесь нет тропинки', 'Новая автобусная остановка', 'Закрыто'],
  ja: ['このコンビニは閉店しました', '歩道がありません', '新しいバス停があります'],
  other: ['shop closed', 'missing path', 'new bus stop here', 'road under construction', 'name is wrong'],
};

const STREETCOMPLETE_QUESTIONS = [
  'What is the name of this shop?',
  'What are the opening hours here?',
  'Is this bench still here?',
  'What surface does this road have?',
];

const HASHTAGS = ['#survey', '#accessibility', '#bicycle', '#missingroad', '#MapRoulette', '#wheelchair', '#OSMgeoweek'];

const COMMENTS = [
  'Thanks, I will check it on my next survey.',
  'Can you tell which building exactly?',
  'Still the case as of today.',
  'See also https://www.openstreetmap.org/changeset/{n}',
  'Looked at the street-level imagery: https://www.mapillary.com/app/?pKey={n}',
  '{mention} could you have a look?',
  'Not visible in the imagery yet.',
];

const CLOSES = [
  'Fixed, thanks!',
  'Done.',
  'Mapped, see https://www.openstreetmap.org/changeset/{n}',
  'Resolved {hashtag}',
  'Already mapped correctly.',
  '',
  '',
];

const REOPENS = ['', '', 'Not fixed yet, the shop is still there.'];

/** Fills {n}, {mention}, {hashtag} placeholders. */
function fill(template: string, random: Random, usernames: readonly string[]): string {
  return template
    .replace('{n}', String(random.int(10_000_000, 160_000_000)))
    .replace('{mention}', `@${random.pick(usernames)}`)
    .replace('{hashtag}', random.pick(HASHTAGS));
}

/**
 * An opening text as apps write it. The share of each signature follows real notes loosely:
 * StreetComplete and Organic Maps / MAPS.ME lead, many notes carry no signature at all.
 */
export function openingText(random: Random, language: Language, usernames: readonly string[]): string {
  const problem = random.pick(PROBLEMS[language]);
  const version = `${random.int(40, 60)}.${random.int(0, 3)}`;
  const tag = random.chance(0.15) ? ` ${random.pick(HASHTAGS)}` : '';
  const mention = random.chance(0.04) ? ` ${fill('{mention}', random, usernames)}` : '';
  const body = `${problem}${tag}${mention}`;
  switch (random.weighted(SIGNATURES, SIGNATURE_WEIGHTS)) {
    case 'streetcomplete':
      return `Unable to answer "${random.pick(STREETCOMPLETE_QUESTIONS)}" for https://osm.org/node/${random.int(1e8, 1.2e10)} via StreetComplete ${version}:\n\n${body}`;
    case 'mapsme':
      return `${body} #mapsme`;
    case 'organicmaps':
      return `${body}\n#organicmaps ${random.pick(['android', 'ios'])} 2024.0${random.int(1, 9)}.${String(random.int(1, 28)).padStart(2, '0')}`;
    case 'osmand':
      return `${body}\n#OsmAnd`;
    case 'everydoor':
      return `${body} #EveryDoor`;
    case 'mapcomplete':
      return `${body}\n\nCreated with #MapComplete #notes https://mapcomplete.org/${random.pick(['benches', 'shops', 'cyclofix'])}`;
    case 'onosm':
      return `onosm.org submitted note from a business:\nname: ${problem.split(' ').slice(0, 2).join(' ')}\nphone: +1 555 01${random.int(10, 99)}`;
    case 'id':
      return `${body} (with iD)`;
    case 'josm':
      return `${body} - found with JOSM validator`;
    case 'vespucci':
      return `${body}\nVespucci ${random.int(17, 20)}.${random.int(0, 2)}`;
    case 'gomap':
      return `${body} - Go Map!!`;
    default:
      return body;
  }
}

const SIGNATURES = [
  'streetcomplete', 'mapsme', 'organicmaps', 'osmand', 'everydoor', 'mapcomplete', 'onosm', 'id', 'josm',
  'vespucci', 'gomap', 'none',
] as const;
const SIGNATURE_WEIGHTS = [18, 10, 12, 8, 3, 3, 2, 4, 2, 1, 1, 36];

export function commentText(random: Random, usernames: readonly string[]): string {
  const text = fill(random.pick(COMMENTS), random, usernames);
  // A few comments span lines, as real discussions do.
  return random.chance(0.1) ? `${text}\n\n${fill(random.pick(COMMENTS), random, usernames)}` : text;
}

export function closingText(random: Random, usernames: readonly string[]): string {
  return fill(random.pick(CLOSES), random, usernames);
}

export function reopeningText(random: Random): string {
  return random.pick(REOPENS);
}

const SYLLABLES = ['an', 'ber', 'ka', 'lo', 'mi', 'no', 'ra', 'si', 'ta', 've', 'zu', 'el', 'or', 'in'];
const SUFFIXES = ['', '_osm', '_maps', '42', 'Mapper', '_de', '2019', ''];

/** Plausible, unique OSM display names for synthetic users. */
export function usernames(random: Random, count: number): string[] {
  const names = new Set<string>();
  while (names.size < count) {
    const parts = random.int(2, 3);
    let name = '';
    for (let i = 0; i < parts; i++) name += random.pick(SYLLABLES);
    name = name[0]!.toUpperCase() + name.slice(1) + random.pick(SUFFIXES);
    if (names.has(name)) name += String(names.size);
    names.add(name);
  }
  return [...names];
}

-- Fixed rows of the warehouse: the unknown country, hours of the week, and the applications
-- detected in opening comments (first match by priority wins; see README "Applications").

INSERT INTO public.countries (iso_a2, iso_a3, country_name)
VALUES ('ZZ', 'ZZZ', 'Unknown / international waters')
ON CONFLICT (iso_a2) DO NOTHING;
--> statement-breakpoint
INSERT INTO dwh.dimension_time_of_week (dimension_tow_id, iso_dow, hour_of_day, day_name)
SELECT d * 100 + h, d, h,
       (ARRAY['Monday','Tuesday','Wednesday','Thursday','Friday','Saturday','Sunday'])[d]
FROM generate_series(1, 7) d, generate_series(0, 23) h
ON CONFLICT DO NOTHING;
--> statement-breakpoint
-- Every pattern ends in an optional version group, so substring(text FROM pattern) is the
-- version or NULL. '(?i)' makes a pattern case-insensitive; iD's is case-sensitive on purpose.
INSERT INTO dwh.dimension_applications (priority, application_name, platform, pattern)
SELECT priority, name, platform, head || '(?:[ :/]+v?(\d+\.\d+(?:\.\d+)?))?'
FROM (VALUES
  (1, 'StreetComplete', 'android', '(?i)via StreetComplete'),
  (2, 'MAPS.ME', NULL, '(?i)#mapsme'),
  (3, 'Every Door', NULL, '(?i)#EveryDoor'),
  (4, 'OsmAnd', NULL, '(?i)#OsmAnd'),
  (5, 'Locus Map', NULL, '(?i)#LocusMap'),
  (6, 'Organic Maps (Android)', 'android', '(?i)#organicmaps[ ]+android'),
  (7, 'Organic Maps (iOS)', 'ios', '(?i)#organicmaps[ ]+ios'),
  (8, 'Organic Maps', NULL, '(?i)#organicmaps'),
  (9, 'OSM Report', 'web', '(?i)#osmreport'),
  (10, 'onosm.org', 'web', '(?i)^\s*onosm\.org'),
  (11, 'MapComplete', 'web', '(?i)#MapComplete'),
  (12, 'Mapy.cz', NULL, '(?i)#Mapy\.?cz'),
  (13, 'iD', 'web', '(?:^|[\s(])(?:with )?iD(?=[\s).,:;!]|$)'),
  (14, 'JOSM', 'desktop', '(?i)\mJOSM\M'),
  (15, 'Vespucci', 'android', '(?i)\mVespucci\M'),
  (16, 'Go Map!!', 'ios', '(?i)\mGo Map(?:!!)?'),
  (17, 'Potlatch', 'web', '(?i)\mPotlatch\M'),
  (18, 'Mapillary', NULL, '(?i)\mMapillary\M')
) AS a(priority, name, platform, head)
ON CONFLICT (application_name) DO NOTHING;

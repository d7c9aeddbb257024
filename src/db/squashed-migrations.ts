import type pg from 'pg';

/**
 * drizzle's record (sha256 of each file) of migrations 0000-0024, which drizzle/0000_baseline.sql
 * squashes, as they stood at commit f67b5be. A database that applied exactly these has the
 * baseline's schema and is upgraded in place; any other history from before the squash is
 * refused.
 */
const SQUASHED_HASHES = [
  '70d01c1f7bda27f93832c1797ccc10eba11f410df20724c85f04c5576867093f',
  '1f5c40e18cdd31a64f73e42ff12dc9331b88d05abf745d23dc29708da01b925d',
  'a14ea8f28cef82083dff60e19507ad991b691404baa9e9d83773751e91cba5b4',
  '16f21c796ef224c492f74007a1334a355acbbfa41415720e67ced5391297bc0e',
  'c550d213e3196be6a3ec0811377ab87d9e7c6a9648ef56c581abed45abee7102',
  'f63c9023c45cc9d8ad4766de214b6c8b0051b73d92e6741163fb8c15d655196b',
  'd6490ce47089d5d0c4b16d6bc87828198155ad940eac39d3eb1df9eb533ed5dd',
  '33430a921963ec6bedf9ed2e661c633d18dc9504d64955fe155d2292d40c1456',
  'aff08bacdbb0fc9dec318712079a965c1c331b9a5dab77234cfcf617115633fe',
  '78e8245659737b984a4710b3e82376648207b93dc7508950ec330d0312dff300',
  'ca90e3a3bb8822250a26fcc8592e62643836f8b7f897122232a895e13c5b983e',
  '571c56779e4bbd240d9ca14c3b87a10c1efc29c723fae35828551d5b6049c9a2',
  'f16dd865645918fe7399b5671b08ef6c917e5a66b8ffd0e018129a76501f737f',
  'd21dfe31ce35e391d5880fb108fad6c8cf8abd35d023a7c9dc14da419d599555',
  'c4547d623fce73da1324a83bad0b942f5a86368c6e10b4bd448c33e00547c72a',
  '8d0d0ccfafc9ade58aa100fc1a24981e1209ebe95200c0e608cbe50c910e4159',
  'dd4a4731223b1a99c6aa741a1f434a1cfd0e78e05813d0127ae22b8bd623d84b',
  '603f5a2bed1dee6084a979ad9c27e05aaa61ad5f2fa0b87663a907a673c8514a',
  'a65dc1134bbbbb62174a9a078fde37b0060264d337341790b703e1ab4750479c',
  '602a8ad9c322f86135f5e000e80eed7530f068f35176eec3e7bd5bf1599183d4',
  'b39bbc61174f79f73a3addbaf14c80759f591b8b27b27116d3ae577e98fef01a',
  'bd1b86223318f5c95ba3bb6e13c7ed8550f7497ca785b52d00449df2dc496400',
  '4701d64a048caf2ff03eaa7bc353a481184f87e21124aa849dd30ddce9332726',
  'a3d4b0c8858eab7dbf8234a8080cacd6ddb2874f93aba4a0d70affb21939ebbc',
  '0efcceda7ef29cddd2f06f4562fd51a8160fda1369186827392c8872f4a30095',
];

// Helpers of the squashed migrations that patched function text or created triggers; nothing
// calls them any more, and a database migrated from the baseline does not have them.
const SQUASHED_HELPERS = `DROP FUNCTION
  streaming.patch_function(regprocedure, text, text),
  streaming.patch_function_passages(regprocedure, text[], text[]),
  streaming.patch_function_everywhere(regprocedure, text[], text[], integer[]),
  streaming.rewrite_in_plpgsql(regprocedure),
  public.guard_referenced_keys(regclass, text, regclass, text, text),
  public.check_references_with(regclass, regproc)`;

const RESET =
  'reset it: stop notes-stream and remove its data folder (rm -rf .data, or your DATA_DIR) for the embedded PostgreSQL, or drop and create again the database of DATABASE_URL';

/**
 * A database migrated before the squash has drizzle's records of the old migrations and none of
 * the baseline. With all 25 as squashed, its schema is the baseline's: the records are replaced
 * by the baseline's and the old helpers dropped, and the function files (applied next, as on a
 * new database since none is recorded) replace every function, view and trigger. Any other old
 * history (fewer migrations, files edited since, a migration the squash does not know) is
 * refused with one line naming the reset. Returns whether it upgraded. The caller holds the
 * migration lock.
 */
export async function upgradeSquashedHistory(
  client: pg.Client,
  baseline: { hash: string; folderMillis: number },
): Promise<boolean> {
  const { rows: found } = await client.query<{ present: boolean }>(
    `SELECT to_regclass('drizzle.__drizzle_migrations') IS NOT NULL AS present`,
  );
  if (!found[0]!.present) return false;
  const { rows } = await client.query<{ hash: string }>('SELECT hash FROM drizzle.__drizzle_migrations ORDER BY id');
  if (rows.length === 0 || rows.some((row) => row.hash === baseline.hash)) return false;

  const known = rows.filter((row) => SQUASHED_HASHES.includes(row.hash)).length;
  if (rows.length !== SQUASHED_HASHES.length || rows.some((row, i) => row.hash !== SQUASHED_HASHES[i])) {
    const history =
      known === rows.length
        ? `it has ${known} of the ${SQUASHED_HASHES.length} migrations squashed at commit f67b5be`
        : `${rows.length - known} of its ${rows.length} migrations differ from those squashed at commit f67b5be`;
    throw new Error(`this database was migrated by an older notes-stream and cannot be upgraded (${history}); ${RESET}`);
  }

  await client.query('BEGIN');
  try {
    await client.query(SQUASHED_HELPERS);
    await client.query('DELETE FROM drizzle.__drizzle_migrations');
    await client.query('INSERT INTO drizzle.__drizzle_migrations (hash, created_at) VALUES ($1, $2)', [
      baseline.hash,
      baseline.folderMillis,
    ]);
    await client.query('COMMIT');
  } catch (error) {
    await client.query('ROLLBACK');
    throw error;
  }
  return true;
}

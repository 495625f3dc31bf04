import { PGlite } from '@electric-sql/pglite';

let t = performance.now();
const db = await PGlite.create();
console.log('mem create', performance.now() - t);
t = performance.now();
const r = await db.query(
  'select now()::timestamptz as t, 1::bigint as b, 1.5::numeric(3,2) as n, count(*) from pg_class',
);
console.log(
  r.rows,
  r.fields.map((f) => f.dataTypeID),
);
const blob = await db.dumpDataDir('gzip');
console.log('dump', performance.now() - t, blob.size);
t = performance.now();
const db2 = await PGlite.create({ loadDataDir: blob });
console.log('load', performance.now() - t);
t = performance.now();
const db3 = await PGlite.create('/tmp/pgl-test-' + Date.now());
console.log('fs create', performance.now() - t);
await db3.close();

/** Bulk data out and in through the API: a streamed CSV export and a CSV import job. */
import { setTimeout as sleep } from 'node:timers/promises';

export interface ExportResult {
  rows: number;
  bytes: number;
  seconds: number;
  /** This process's resident memory when the export started, and at most during it. */
  startRssBytes: number;
  peakRssBytes: number;
}

export interface ImportResult {
  rows: number;
  bytes: number;
  /** From the upload's first byte to the job's end. */
  seconds: number;
}

const NEWLINE = 0x0a;
const RSS_SAMPLE_MS = 20;
const IMPORT_POLL_MS = 250;

/** Reads GET /exports/leads as CSV to the end, counting rows (the fixture's cells hold no newline). */
export async function measureExport(
  origin: string,
  token: string,
  expectedRows: number,
): Promise<ExportResult> {
  const startRssBytes = process.memoryUsage.rss();
  let peakRssBytes = startRssBytes;
  const sampler = setInterval(() => {
    peakRssBytes = Math.max(peakRssBytes, process.memoryUsage.rss());
  }, RSS_SAMPLE_MS);
  try {
    const started = performance.now();
    const response = await fetch(new URL('/exports/leads?format=csv', origin), {
      headers: { authorization: `Bearer ${token}` },
    });
    if (response.status !== 200 || !response.body) {
      throw new Error(`GET /exports/leads answered ${response.status}: ${await response.text()}`);
    }
    let lines = 0;
    let bytes = 0;
    for await (const chunk of response.body) {
      bytes += chunk.byteLength;
      for (let i = 0; i < chunk.length; i++) if (chunk[i] === NEWLINE) lines++;
    }
    const seconds = (performance.now() - started) / 1000;
    const rows = lines - 1;
    if (rows !== expectedRows) throw new Error(`the export held ${rows} rows, not ${expectedRows}`);
    return { rows, bytes, seconds, startRssBytes, peakRssBytes };
  } finally {
    clearInterval(sampler);
  }
}

/** Uploads `leads` new leads as CSV to POST /imports/leads and waits for the job to finish. */
export async function measureImport(
  origin: string,
  token: string,
  leads: number,
): Promise<ImportResult> {
  const csv = importFile(leads);
  const form = new FormData();
  form.append('file', new Blob([csv], { type: 'text/csv' }), 'leads.csv');
  const started = performance.now();
  const response = await fetch(new URL('/imports/leads', origin), {
    method: 'POST',
    headers: { authorization: `Bearer ${token}` },
    body: form,
  });
  const created = (await response.json()) as { id?: string };
  if (response.status !== 202 || !created.id) {
    throw new Error(`POST /imports/leads answered ${response.status}: ${JSON.stringify(created)}`);
  }
  for (;;) {
    await sleep(IMPORT_POLL_MS);
    const poll = await fetch(new URL(`/imports/${created.id}`, origin), {
      headers: { authorization: `Bearer ${token}` },
    });
    const status = (await poll.json()) as {
      status: string;
      inserted: number;
      failed: number;
      error: string | null;
    };
    if (status.status === 'failed') throw new Error(`the import failed: ${status.error}`);
    if (status.status !== 'succeeded') continue;
    const seconds = (performance.now() - started) / 1000;
    if (status.inserted !== leads || status.failed !== 0) {
      throw new Error(
        `the import inserted ${status.inserted} of ${leads} (${status.failed} refused)`,
      );
    }
    return { rows: leads, bytes: Buffer.byteLength(csv), seconds };
  }
}

/** New leads (emails the fixture does not have), with the columns a CRM export carries. */
function importFile(leads: number): string {
  const lines = [
    'email,firstName,lastName,company,jobTitle,country,industry,companySize,source,status',
  ];
  for (let i = 1; i <= leads; i++) {
    lines.push(
      `imported${i}@import.example,Ann${i % 500},Lee${i % 700},Imported Co ${i % 3000},Head of Growth,` +
        `${['US', 'GB', 'DE'][i % 3]},Software,${(i % 40) * 25},webinar,${i % 5 === 0 ? 'contacted' : 'new'}`,
    );
  }
  return `${lines.join('\n')}\n`;
}

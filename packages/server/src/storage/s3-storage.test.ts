import { createHash } from 'node:crypto';
import { Readable } from 'node:stream';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { ConfigError, type ExportS3Settings, loadConfig } from '../config.js';
import { createExportStorage } from './index.js';
import { createS3Storage } from './s3-storage.js';
import { type FakeS3, startFakeS3 } from './s3-test-support.js';

const MIB = 1024 * 1024;
const CREDENTIALS = { accessKeyId: 'AKIDEXPORTTEST', secretAccessKey: 'export-test-secret' };

/** `mib` MiB of text that differs along its length, as chunks of 1 MiB at most. */
function* textOf(mib: number) {
  for (let i = 0; i < Math.ceil(mib); i++) {
    const line = `line ${i} ${'x'.repeat(90)}\n`;
    yield Buffer.from(line.repeat(Math.ceil(MIB / line.length))).subarray(
      0,
      Math.round(Math.min(1, mib - i) * MIB),
    );
  }
}
const sha256 = (buffer: Buffer) => createHash('sha256').update(buffer).digest('hex');

describe('S3 export storage (against a contract fake of the S3 API)', () => {
  let fake: FakeS3;
  let settings: ExportS3Settings;
  beforeAll(async () => {
    fake = await startFakeS3({ bucket: 'leadscore-exports', region: 'eu-west-3', ...CREDENTIALS });
    // Read from the environment as the server does (the settings come out frozen).
    settings = loadConfig({
      EXPORT_S3_BUCKET: 'leadscore-exports',
      EXPORT_S3_ENDPOINT: fake.url,
      EXPORT_S3_REGION: 'eu-west-3',
      EXPORT_S3_ACCESS_KEY_ID: CREDENTIALS.accessKeyId,
      EXPORT_S3_SECRET_ACCESS_KEY: CREDENTIALS.secretAccessKey,
    }).exportS3 as ExportS3Settings;
  });
  beforeEach(() => {
    fake.log.length = 0;
  });
  afterAll(() => fake.close());

  const bodyOf = async (stream: NodeJS.ReadableStream | null) =>
    Buffer.concat(await (stream as Readable).toArray());

  it('puts a small file in one request and reads it back', async () => {
    const storage = createS3Storage(settings);
    const written = await storage.write(
      'org-1/a.csv',
      Readable.from(['id,email\r\n', '1,a@x\r\n']),
      {
        contentType: 'text/csv; charset=utf-8',
      },
    );
    expect(written.bytes).toBe(17);
    expect(fake.log).toEqual(['PutObject exports/org-1/a.csv']);
    expect(fake.objects.get('leadscore-exports/exports/org-1/a.csv')).toEqual({
      body: Buffer.from('id,email\r\n1,a@x\r\n'),
      contentType: 'text/csv; charset=utf-8',
    });
    expect((await bodyOf(await storage.read('org-1/a.csv'))).toString()).toBe(
      'id,email\r\n1,a@x\r\n',
    );
  });

  it('uploads a large file as a multipart upload of 5 MiB parts, completed in order', async () => {
    const storage = createS3Storage(settings);
    const expected = Buffer.concat([...textOf(11.5)]);
    const written = await storage.write('org-1/big.ndjson', Readable.from(textOf(11.5)), {
      contentType: 'application/x-ndjson',
    });
    expect(written.bytes).toBe(expected.length);
    expect(fake.log[0]).toBe('CreateMultipartUpload exports/org-1/big.ndjson');
    expect(fake.log.filter((entry) => entry.startsWith('UploadPart'))).toHaveLength(3);
    expect(fake.log.at(-1)).toBe('CompleteMultipartUpload exports/org-1/big.ndjson');
    expect(fake.openUploads.size).toBe(0);
    expect(sha256(await bodyOf(await storage.read('org-1/big.ndjson')))).toBe(sha256(expected));
  });

  it('aborts the multipart upload when a part cannot be stored, leaving no object and no parts', async () => {
    const storage = createS3Storage(settings);
    fake.failUploadParts(100);
    try {
      await expect(
        storage.write('org-1/failed.csv', Readable.from(textOf(11)), { contentType: 'text/csv' }),
      ).rejects.toThrow(/internal error/i);
    } finally {
      fake.failUploadParts(0);
    }
    expect(fake.log).toContain('AbortMultipartUpload exports/org-1/failed.csv');
    expect(fake.openUploads.size).toBe(0);
    expect(await storage.read('org-1/failed.csv')).toBeNull();
  });

  it('aborts the upload when the body fails midway, keeping the previous object', async () => {
    const storage = createS3Storage(settings);
    await storage.write('org-1/kept.csv', Readable.from(['old\n']), { contentType: 'text/csv' });
    async function* failing() {
      yield* textOf(6);
      throw new Error('the database went away');
    }
    await expect(
      storage.write('org-1/kept.csv', Readable.from(failing()), { contentType: 'text/csv' }),
    ).rejects.toThrow('the database went away');
    expect(fake.log).toContain('AbortMultipartUpload exports/org-1/kept.csv');
    expect(fake.openUploads.size).toBe(0);
    expect((await bodyOf(await storage.read('org-1/kept.csv'))).toString()).toBe('old\n');
  });

  it('answers null for a key with no object', async () => {
    expect(await createS3Storage(settings).read('org-1/none.csv')).toBeNull();
  });

  it('is refused with credentials the bucket does not know (the fake checks SigV4)', async () => {
    const storage = createS3Storage({
      ...settings,
      credentials: { ...CREDENTIALS, secretAccessKey: 'wrong' },
    });
    await expect(
      storage.write('org-1/x.csv', Readable.from(['x']), { contentType: 'text/csv' }),
    ).rejects.toMatchObject({ name: 'SignatureDoesNotMatch' });
  });
});

describe('export storage settings', () => {
  const problemsOf = (env: Record<string, string>) => {
    try {
      loadConfig(env);
      return [];
    } catch (error) {
      if (error instanceof ConfigError) return error.problems;
      throw error;
    }
  };

  it('writes under DATA_DIR/exports unless a bucket is set', () => {
    const config = loadConfig({ DATA_DIR: '/var/lib/leadscore' });
    expect(config.exportS3).toBeUndefined();
    expect(createExportStorage(config).kind).toBe('file');
  });

  it('reads the bucket settings: path-style by default with an endpoint, AWS defaults without', () => {
    const compatible = loadConfig({
      EXPORT_S3_BUCKET: 'exports',
      EXPORT_S3_ENDPOINT: 'http://minio:9000',
      EXPORT_S3_ACCESS_KEY_ID: 'id',
      EXPORT_S3_SECRET_ACCESS_KEY: 'secret',
    });
    expect(compatible.exportS3).toEqual({
      bucket: 'exports',
      endpoint: 'http://minio:9000',
      region: 'us-east-1',
      forcePathStyle: true,
      credentials: { accessKeyId: 'id', secretAccessKey: 'secret' },
    });
    expect(createExportStorage(compatible).kind).toBe('s3');
    expect(
      loadConfig({ EXPORT_S3_BUCKET: 'exports', EXPORT_S3_REGION: 'eu-west-1' }).exportS3,
    ).toEqual({
      bucket: 'exports',
      endpoint: undefined,
      region: 'eu-west-1',
      forcePathStyle: false,
      credentials: undefined,
    });
  });

  it('names each bad or incomplete setting', () => {
    expect(problemsOf({ EXPORT_S3_BUCKET: 'Not_A_Bucket' })).toEqual([
      expect.stringMatching(/^EXPORT_S3_BUCKET="Not_A_Bucket" is invalid: expected S3 bucket/),
    ]);
    expect(problemsOf({ EXPORT_S3_BUCKET: 'b', EXPORT_S3_ENDPOINT: 'minio:9000' })).toEqual([
      expect.stringMatching(/^EXPORT_S3_BUCKET="b" is invalid/),
      expect.stringMatching(/^EXPORT_S3_ENDPOINT="minio:9000" is invalid: expected endpoint URL/),
    ]);
    expect(
      problemsOf({ EXPORT_S3_BUCKET: 'exports', EXPORT_S3_ACCESS_KEY_ID: 'id-without-secret' }),
    ).toEqual([
      'EXPORT_S3_ACCESS_KEY_ID and EXPORT_S3_SECRET_ACCESS_KEY go together: set both or neither',
    ]);
    expect(
      problemsOf({ EXPORT_S3_ENDPOINT: 'http://minio:9000', EXPORT_S3_REGION: 'eu-west-1' }),
    ).toEqual([
      'EXPORT_S3_ENDPOINT, EXPORT_S3_REGION set without EXPORT_S3_BUCKET: set the bucket too',
    ]);
  });
});

import { type Readable, Transform } from 'node:stream';
import { GetObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { Upload } from '@aws-sdk/lib-storage';
import type { ExportS3Settings } from '../config.js';
import { checkKey, type ExportStorage } from './export-storage.js';

/** Every export object sits under this prefix of the bucket. */
const PREFIX = 'exports/';
/** S3's smallest part; two in flight bound the memory an upload takes to about 10 MB. */
const PART_BYTES = 5 * 1024 * 1024;
const PARTS_IN_FLIGHT = 2;

/**
 * Objects in an S3 bucket (AWS, or any S3-compatible store). A file of more than one part
 * goes up as a multipart upload, which S3 makes visible only when completed; a failed upload
 * is aborted, so its parts are not kept (nor billed).
 */
export function createS3Storage(settings: ExportS3Settings): ExportStorage {
  const client = new S3Client({
    region: settings.region,
    forcePathStyle: settings.forcePathStyle,
    ...(settings.endpoint !== undefined && {
      endpoint: settings.endpoint,
      // The SDK's default checksums (CRC32 on every upload) are an AWS addition many
      // S3-compatible stores reject; they check Content-MD5 and the signed payload hash alone.
      requestChecksumCalculation: 'WHEN_REQUIRED',
      responseChecksumValidation: 'WHEN_REQUIRED',
    }),
    // A copy: the SDK marks where the credentials came from on the object, and config is frozen.
    ...(settings.credentials !== undefined && { credentials: { ...settings.credentials } }),
  });
  const objectKey = (key: string) => `${PREFIX}${checkKey(key)}`;
  return {
    kind: 's3',
    async write(key, body, options) {
      let bytes = 0;
      const counted = body.pipe(
        new Transform({
          transform(chunk: Buffer, _encoding, callback) {
            bytes += chunk.length;
            callback(null, chunk);
          },
        }),
      );
      // `pipe` does not pass errors on: the upload must hear that the body failed.
      body.once('error', (error) => counted.destroy(error));
      const upload = new Upload({
        client,
        params: {
          Bucket: settings.bucket,
          Key: objectKey(key),
          Body: counted,
          ContentType: options.contentType,
        },
        partSize: PART_BYTES,
        queueSize: PARTS_IN_FLIGHT,
      });
      try {
        await upload.done();
      } catch (error) {
        body.destroy();
        throw error;
      }
      return { bytes };
    },
    async read(key) {
      try {
        const object = await client.send(
          new GetObjectCommand({ Bucket: settings.bucket, Key: objectKey(key) }),
        );
        return object.Body as Readable;
      } catch (error) {
        if ((error as { name?: unknown }).name === 'NoSuchKey') return null;
        throw error;
      }
    },
  };
}

import path from 'node:path';
import type { Config } from '../config.js';
import type { ExportStorage } from './export-storage.js';
import { createFileStorage } from './file-storage.js';
import { createS3Storage } from './s3-storage.js';

export type { ExportStorage } from './export-storage.js';
export { createFileStorage } from './file-storage.js';
export { createS3Storage } from './s3-storage.js';

/**
 * Where this configuration keeps export files: the bucket when EXPORT_S3_BUCKET is set, else
 * `DATA_DIR/exports`. Nothing is touched until a file is written or read.
 */
export function createExportStorage(config: Config): ExportStorage {
  return config.exportS3
    ? createS3Storage(config.exportS3)
    : createFileStorage(path.join(config.dataDir, 'exports'));
}

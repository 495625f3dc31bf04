import path from 'node:path';
import { type Static, Type } from 'typebox';
import { Value } from 'typebox/value';

/**
 * Every setting Leadscore reads from the environment. This is the only module that
 * reads `process.env`; the README's configuration table mirrors the descriptions here.
 */
const EnvSchema = Type.Object({
  PORT: Type.Integer({
    minimum: 0,
    maximum: 65535,
    default: 8000,
    description: 'TCP port to listen on (0 picks a free port)',
  }),
  HOST: Type.String({
    minLength: 1,
    default: '127.0.0.1',
    description: 'interface to bind; 0.0.0.0 to accept connections from other machines',
  }),
  DATA_DIR: Type.String({
    minLength: 1,
    default: './data',
    description: 'directory for the embedded database and generated secrets',
  }),
  DATABASE_URL: Type.Optional(
    Type.String({
      pattern: '^postgres(ql)?://',
      description:
        'PostgreSQL connection URL (postgres://user:pass@host:5432/db); unset means the embedded database in DATA_DIR',
    }),
  ),
  DATABASE_POOL_MAX: Type.Integer({
    minimum: 1,
    maximum: 1000,
    default: 10,
    description: 'maximum PostgreSQL connections per process',
  }),
  REDIS_URL: Type.Optional(
    Type.String({
      pattern: '^rediss?://',
      description:
        'Redis URL (redis://host:6379): shared score cache, rate limits and live events; unset means in-process or PostgreSQL equivalents',
    }),
  ),
  LOG_LEVEL: Type.Enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'], {
    default: 'info',
    description: 'one of fatal, error, warn, info, debug, trace, silent',
  }),
  PUBLIC_URL: Type.Optional(
    Type.String({
      pattern: '^https?://[^\\s/]+(/[^\\s]*)?$',
      description: 'the address users reach Leadscore at (an http or https URL)',
    }),
  ),
  CORS_ORIGINS: Type.String({
    pattern: '^(\\*|(https?://[^\\s,/]+)(,\\s*https?://[^\\s,/]+)*)?$',
    default: '',
    description: 'comma-separated browser origins allowed to call the API, or *',
  }),
  TRUST_PROXY: Type.Boolean({
    default: false,
    description: 'true when behind a reverse proxy that sets X-Forwarded-For',
  }),
  BODY_LIMIT_BYTES: Type.Integer({
    minimum: 1024,
    default: 5 * 1024 * 1024,
    description: 'largest request body accepted, in bytes; larger ones get 413',
  }),
  RATE_LIMIT_PER_MINUTE: Type.Integer({
    minimum: 1,
    default: 1000,
    description: 'requests per minute allowed from one client address',
  }),
  TOKEN_SIGNING_KEY: Type.Optional(
    Type.String({
      minLength: 32,
      description:
        'secret (32+ characters) that signs access tokens; generated into DATA_DIR when unset',
    }),
  ),
  ADMIN_EMAIL: Type.Optional(
    Type.String({
      pattern: '^[^\\s@]+@[^\\s@]+\\.[^\\s@]+$',
      description: 'email of the first admin, created on first start',
    }),
  ),
  ADMIN_PASSWORD: Type.Optional(
    Type.String({
      minLength: 12,
      description:
        'password of the first admin (12+ characters); generated and printed once when unset',
    }),
  ),
  MODEL_MIN_ROC_AUC: Type.Number({
    minimum: 0.5,
    maximum: 1,
    default: 0.8,
    description:
      'the deployment gate: the ROC AUC (0.5–1) a trained model must exceed to be activated without an admin forcing it',
  }),
  DASHBOARD_DIR: Type.Optional(
    Type.String({
      minLength: 1,
      description:
        "directory of the web dashboard's build that /app/ serves; unset means packages/web/dist",
    }),
  ),
  SHUTDOWN_TIMEOUT_SECONDS: Type.Integer({
    minimum: 1,
    maximum: 600,
    default: 10,
    description: 'how long in-flight requests may finish after SIGTERM before the process exits',
  }),
  EXPORT_S3_BUCKET: Type.Optional(
    Type.String({
      pattern: '^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$',
      description:
        'S3 bucket that background exports are written to (AWS S3 or S3-compatible storage); unset means files under DATA_DIR/exports',
    }),
  ),
  EXPORT_S3_ENDPOINT: Type.Optional(
    Type.String({
      pattern: '^https?://[^\\s/]+/?$',
      description:
        'endpoint URL of S3-compatible storage (MinIO, Ceph RGW, R2…), e.g. http://minio:9000; unset means AWS S3',
    }),
  ),
  EXPORT_S3_REGION: Type.String({
    pattern: '^[a-z0-9-]+$',
    default: 'us-east-1',
    description: 'region of the export bucket',
  }),
  EXPORT_S3_FORCE_PATH_STYLE: Type.Optional(
    Type.Boolean({
      description:
        'true to address the bucket in the path (http://host/bucket/key) rather than the host name; default true when EXPORT_S3_ENDPOINT is set',
    }),
  ),
  EXPORT_S3_ACCESS_KEY_ID: Type.Optional(
    Type.String({
      minLength: 1,
      description:
        "access key id for the export bucket, with EXPORT_S3_SECRET_ACCESS_KEY; unset means the AWS SDK's usual chain (AWS_ACCESS_KEY_ID / AWS_SECRET_ACCESS_KEY / AWS_SESSION_TOKEN, AWS_PROFILE, instance or task role)",
    }),
  ),
  EXPORT_S3_SECRET_ACCESS_KEY: Type.Optional(
    Type.String({
      minLength: 1,
      description: 'secret access key that goes with EXPORT_S3_ACCESS_KEY_ID',
    }),
  ),
});

type Env = Static<typeof EnvSchema>;

export type LogLevel = Env['LOG_LEVEL'];

export interface Config {
  readonly port: number;
  readonly host: string;
  readonly dataDir: string;
  readonly databaseUrl: string | undefined;
  readonly databasePoolMax: number;
  readonly redisUrl: string | undefined;
  readonly logLevel: LogLevel;
  readonly publicUrl: string;
  readonly corsOrigins: readonly string[] | '*';
  readonly trustProxy: boolean;
  readonly bodyLimitBytes: number;
  readonly rateLimitPerMinute: number;
  readonly tokenSigningKey: string | undefined;
  readonly adminEmail: string | undefined;
  readonly adminPassword: string | undefined;
  readonly modelMinRocAuc: number;
  readonly shutdownTimeoutMs: number;
  /** The dashboard's build; unset: packages/web/dist beside the server. */
  readonly dashboardDir: string | undefined;
  /** Where background exports go when not under DATA_DIR/exports (see storage/). */
  readonly exportS3: ExportS3Settings | undefined;
}

export interface ExportS3Settings {
  readonly bucket: string;
  /** Unset: AWS S3 itself. */
  readonly endpoint: string | undefined;
  readonly region: string;
  readonly forcePathStyle: boolean;
  /** Unset: the AWS SDK finds credentials itself (its environment variables, profile, role). */
  readonly credentials:
    | { readonly accessKeyId: string; readonly secretAccessKey: string }
    | undefined;
}

/** Thrown when the environment holds bad values; `problems` has one line per variable. */
export class ConfigError extends Error {
  constructor(readonly problems: readonly string[]) {
    super(`Invalid configuration:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
    this.name = 'ConfigError';
  }
}

export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const raw: Record<string, unknown> = {};
  for (const name of Object.keys(EnvSchema.properties)) {
    const value = env[name]?.trim();
    // An empty variable means "not set", as most process managers write it that way.
    if (value) raw[name] = value;
  }
  const converted = Value.Convert(EnvSchema, Value.Default(EnvSchema, { ...raw }));
  const problems = describeProblems(converted, raw);
  problems.push(...exportS3Problems(raw));
  if (problems.length > 0) throw new ConfigError(problems);
  const parsed = converted as Env;

  return Object.freeze({
    port: parsed.PORT,
    host: parsed.HOST,
    dataDir: path.resolve(parsed.DATA_DIR),
    databaseUrl: parsed.DATABASE_URL,
    databasePoolMax: parsed.DATABASE_POOL_MAX,
    redisUrl: parsed.REDIS_URL,
    logLevel: parsed.LOG_LEVEL,
    publicUrl: (parsed.PUBLIC_URL ?? `http://localhost:${parsed.PORT}`).replace(/\/$/, ''),
    corsOrigins:
      parsed.CORS_ORIGINS === '*'
        ? '*'
        : Object.freeze(parsed.CORS_ORIGINS.split(',').flatMap((o) => o.trim() || [])),
    trustProxy: parsed.TRUST_PROXY,
    bodyLimitBytes: parsed.BODY_LIMIT_BYTES,
    rateLimitPerMinute: parsed.RATE_LIMIT_PER_MINUTE,
    tokenSigningKey: parsed.TOKEN_SIGNING_KEY,
    adminEmail: parsed.ADMIN_EMAIL?.toLowerCase(),
    adminPassword: parsed.ADMIN_PASSWORD,
    modelMinRocAuc: parsed.MODEL_MIN_ROC_AUC,
    shutdownTimeoutMs: parsed.SHUTDOWN_TIMEOUT_SECONDS * 1000,
    dashboardDir: parsed.DASHBOARD_DIR && path.resolve(parsed.DASHBOARD_DIR),
    exportS3: parsed.EXPORT_S3_BUCKET
      ? Object.freeze({
          bucket: parsed.EXPORT_S3_BUCKET,
          endpoint: parsed.EXPORT_S3_ENDPOINT,
          region: parsed.EXPORT_S3_REGION,
          forcePathStyle:
            parsed.EXPORT_S3_FORCE_PATH_STYLE ?? parsed.EXPORT_S3_ENDPOINT !== undefined,
          credentials:
            parsed.EXPORT_S3_ACCESS_KEY_ID && parsed.EXPORT_S3_SECRET_ACCESS_KEY
              ? Object.freeze({
                  accessKeyId: parsed.EXPORT_S3_ACCESS_KEY_ID,
                  secretAccessKey: parsed.EXPORT_S3_SECRET_ACCESS_KEY,
                })
              : undefined,
        })
      : undefined,
  });
}

/** Export storage settings that only make sense together. */
function exportS3Problems(raw: Record<string, unknown>): string[] {
  const problems: string[] = [];
  const keyId = raw.EXPORT_S3_ACCESS_KEY_ID !== undefined;
  if (keyId !== (raw.EXPORT_S3_SECRET_ACCESS_KEY !== undefined)) {
    problems.push(
      'EXPORT_S3_ACCESS_KEY_ID and EXPORT_S3_SECRET_ACCESS_KEY go together: set both or neither',
    );
  }
  if (raw.EXPORT_S3_BUCKET === undefined) {
    const orphans = Object.keys(raw).filter(
      (name) => name.startsWith('EXPORT_S3_') && name !== 'EXPORT_S3_BUCKET',
    );
    if (orphans.length > 0) {
      problems.push(`${orphans.join(', ')} set without EXPORT_S3_BUCKET: set the bucket too`);
    }
  }
  return problems;
}

/** One line per bad variable: its name, what was wrong, and what it should be. */
function describeProblems(value: unknown, raw: Record<string, unknown>): string[] {
  const seen = new Set<string>();
  const problems: string[] = [];
  for (const error of Value.Errors(EnvSchema, value)) {
    const name = error.instancePath.replace(/^\//, '');
    if (!name || seen.has(name)) continue;
    seen.add(name);
    const schema = EnvSchema.properties[name as keyof Env] as unknown as { description: string };
    const shown = isSecret(name) ? '(hidden)' : JSON.stringify(raw[name]);
    problems.push(`${name}=${shown} is invalid: expected ${schema.description}`);
  }
  return problems;
}

function isSecret(name: string): boolean {
  return (
    name.includes('PASSWORD') ||
    name.includes('KEY') ||
    name === 'DATABASE_URL' ||
    name === 'REDIS_URL'
  );
}

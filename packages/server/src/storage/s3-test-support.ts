import { createHash, createHmac, randomUUID } from 'node:crypto';
import { once } from 'node:events';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/**
 * A contract fake of the S3 REST API, for tests of export storage. AWS itself cannot be reached
 * from the test machines, and no S3-compatible server is installable there (Ceph's radosgw
 * needs a cluster), so this stands in for the third-party service: it answers the six
 * operations exports use as the public S3 API reference describes them — PutObject,
 * CreateMultipartUpload, UploadPart, CompleteMultipartUpload, AbortMultipartUpload and
 * GetObject, path-style, errors as S3's XML error documents — and checks every request's
 * Signature Version 4 (AWS General Reference, "Create a signed AWS API request"), its payload
 * hash, and the multipart rules (parts in ascending order, ETags matching, every part but the
 * last at least 5 MiB). Not a test file, so it is compiled with the server; it imports nothing.
 */
export interface FakeS3 {
  /** The endpoint, e.g. http://127.0.0.1:40123 (path-style addressing). */
  readonly url: string;
  /** Stored objects by "bucket/key". */
  readonly objects: Map<string, { body: Buffer; contentType: string | undefined }>;
  /** Multipart uploads neither completed nor aborted, by upload id. */
  readonly openUploads: Map<
    string,
    { key: string; contentType: string | undefined; parts: Map<number, Part> }
  >;
  /** The operations served, in order (failed ones too), e.g. "UploadPart exports/a.csv". */
  readonly log: string[];
  /** Makes the next `count` UploadPart requests fail with 500 InternalError. */
  failUploadParts(count: number): void;
  close(): Promise<void>;
}

interface Part {
  readonly etag: string;
  readonly body: Buffer;
}

export interface FakeS3Options {
  readonly bucket: string;
  readonly region: string;
  readonly accessKeyId: string;
  readonly secretAccessKey: string;
}

const MIN_PART_BYTES = 5 * 1024 * 1024;

class S3Error extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

export async function startFakeS3(options: FakeS3Options): Promise<FakeS3> {
  const objects: FakeS3['objects'] = new Map();
  const openUploads: FakeS3['openUploads'] = new Map();
  const log: string[] = [];
  let partFailures = 0;

  async function handle(request: IncomingMessage, response: ServerResponse) {
    const body = Buffer.concat(await request.toArray());
    const url = new URL(request.url ?? '/', 'http://fake');
    const [, bucket = '', ...keyParts] = url.pathname.split('/');
    const key = keyParts.map(decodeURIComponent).join('/');
    const query = url.searchParams;
    const operation = operationOf(request.method ?? '', query);
    log.push(`${operation} ${key}`);
    checkSignature(request, body, options);
    if (bucket !== options.bucket) {
      throw new S3Error(404, 'NoSuchBucket', 'The specified bucket does not exist');
    }
    const objectId = `${bucket}/${key}`;
    switch (operation) {
      case 'PutObject': {
        objects.set(objectId, { body, contentType: request.headers['content-type'] });
        response.writeHead(200, { etag: etagOf(body) }).end();
        return;
      }
      case 'CreateMultipartUpload': {
        const uploadId = randomUUID();
        openUploads.set(uploadId, {
          key: objectId,
          contentType: request.headers['content-type'],
          parts: new Map(),
        });
        sendXml(
          response,
          200,
          `<InitiateMultipartUploadResult xmlns="http://s3.amazonaws.com/doc/2006-03-01/"><Bucket>${bucket}</Bucket><Key>${escapeXml(key)}</Key><UploadId>${uploadId}</UploadId></InitiateMultipartUploadResult>`,
        );
        return;
      }
      case 'UploadPart': {
        const upload = uploadOf(query, objectId);
        if (partFailures > 0) {
          partFailures--;
          throw new S3Error(
            500,
            'InternalError',
            'We encountered an internal error. Please try again.',
          );
        }
        const partNumber = Number(query.get('partNumber'));
        if (!Number.isInteger(partNumber) || partNumber < 1 || partNumber > 10_000) {
          throw new S3Error(
            400,
            'InvalidArgument',
            'Part number must be an integer between 1 and 10000',
          );
        }
        const etag = etagOf(body);
        upload.parts.set(partNumber, { etag, body });
        response.writeHead(200, { etag }).end();
        return;
      }
      case 'CompleteMultipartUpload': {
        const uploadId = query.get('uploadId') ?? '';
        const upload = uploadOf(query, objectId);
        const listed = [...body.toString('utf8').matchAll(/<Part>(.*?)<\/Part>/gs)].map(
          ([, part = '']) => ({
            number: Number(/<PartNumber>(\d+)<\/PartNumber>/.exec(part)?.[1]),
            etag: unescapeXml(/<ETag>([^<]*)<\/ETag>/.exec(part)?.[1] ?? ''),
          }),
        );
        if (listed.length === 0) throw new S3Error(400, 'MalformedXML', 'No parts listed');
        const parts = listed.map(({ number, etag }, index) => {
          if (index > 0 && number <= (listed[index - 1]?.number ?? 0)) {
            throw new S3Error(
              400,
              'InvalidPartOrder',
              'The list of parts was not in ascending order',
            );
          }
          const part = upload.parts.get(number);
          if (!part || part.etag !== etag) {
            throw new S3Error(
              400,
              'InvalidPart',
              `Part ${number} was not found or its ETag does not match`,
            );
          }
          if (index < listed.length - 1 && part.body.length < MIN_PART_BYTES) {
            throw new S3Error(
              400,
              'EntityTooSmall',
              'Your proposed upload is smaller than the minimum allowed object size',
            );
          }
          return part;
        });
        const whole = Buffer.concat(parts.map((part) => part.body));
        objects.set(objectId, { body: whole, contentType: upload.contentType });
        openUploads.delete(uploadId);
        const etag = `"${createHash('md5')
          .update(Buffer.concat(parts.map((p) => Buffer.from(p.etag.replace(/"/g, ''), 'hex'))))
          .digest('hex')}-${parts.length}"`;
        sendXml(
          response,
          200,
          `<CompleteMultipartUploadResult xmlns="http://s3.amazonaws.com/doc/2006-03-01/"><Location>${escapeXml(`${fake.url}/${objectId}`)}</Location><Bucket>${bucket}</Bucket><Key>${escapeXml(key)}</Key><ETag>${escapeXml(etag)}</ETag></CompleteMultipartUploadResult>`,
        );
        return;
      }
      case 'AbortMultipartUpload': {
        uploadOf(query, objectId);
        openUploads.delete(query.get('uploadId') ?? '');
        response.writeHead(204).end();
        return;
      }
      case 'GetObject': {
        const object = objects.get(objectId);
        if (!object) throw new S3Error(404, 'NoSuchKey', 'The specified key does not exist.');
        response
          .writeHead(200, {
            'content-length': object.body.length,
            'content-type': object.contentType ?? 'binary/octet-stream',
            etag: etagOf(object.body),
            'last-modified': new Date().toUTCString(),
          })
          .end(object.body);
        return;
      }
      default:
        throw new S3Error(501, 'NotImplemented', `${request.method} ${request.url} is not faked`);
    }
  }

  function uploadOf(query: URLSearchParams, objectId: string) {
    const upload = openUploads.get(query.get('uploadId') ?? '');
    if (!upload || upload.key !== objectId) {
      throw new S3Error(404, 'NoSuchUpload', 'The specified multipart upload does not exist.');
    }
    return upload;
  }

  const server = createServer((request, response) => {
    handle(request, response).catch((error: unknown) => {
      const s3 =
        error instanceof S3Error ? error : new S3Error(500, 'InternalError', String(error));
      sendXml(
        response,
        s3.status,
        `<Error><Code>${s3.code}</Code><Message>${escapeXml(s3.message)}</Message><RequestId>${randomUUID()}</RequestId></Error>`,
      );
    });
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const { port } = server.address() as AddressInfo;
  const fake: FakeS3 = {
    url: `http://127.0.0.1:${port}`,
    objects,
    openUploads,
    log,
    failUploadParts(count) {
      partFailures = count;
    },
    async close() {
      server.closeAllConnections();
      server.close();
      await once(server, 'close');
    },
  };
  return fake;
}

/** The operation a request is, from its method and query (S3 API reference, per operation). */
function operationOf(method: string, query: URLSearchParams): string {
  if (method === 'PUT') return query.has('uploadId') ? 'UploadPart' : 'PutObject';
  if (method === 'POST' && query.has('uploads')) return 'CreateMultipartUpload';
  if (method === 'POST' && query.has('uploadId')) return 'CompleteMultipartUpload';
  if (method === 'DELETE' && query.has('uploadId')) return 'AbortMultipartUpload';
  if (method === 'GET') return 'GetObject';
  return `${method}?`;
}

/**
 * Signature Version 4 as the AWS General Reference specifies it: the canonical request
 * (method, URI as sent — S3 does not normalise it —, sorted and RFC 3986-encoded query,
 * the signed headers, the payload hash), the string to sign over the credential scope, and
 * the HMAC chain from the secret key. Also checks the payload against its declared hash.
 */
function checkSignature(request: IncomingMessage, body: Buffer, options: FakeS3Options) {
  const authorization = request.headers.authorization ?? '';
  const parsed =
    /^AWS4-HMAC-SHA256 Credential=([^/]+)\/(\d{8})\/([^/]+)\/s3\/aws4_request, ?SignedHeaders=([a-z0-9;-]+), ?Signature=([0-9a-f]{64})$/.exec(
      authorization,
    );
  if (!parsed) throw new S3Error(403, 'AccessDenied', 'Missing or malformed Authorization header');
  const [, accessKeyId, date, region, signedHeaders = '', signature] = parsed;
  if (accessKeyId !== options.accessKeyId) {
    throw new S3Error(
      403,
      'InvalidAccessKeyId',
      'The AWS access key ID you provided does not exist in our records.',
    );
  }
  if (region !== options.region) {
    throw new S3Error(
      400,
      'AuthorizationHeaderMalformed',
      `the region '${region}' is wrong; expecting '${options.region}'`,
    );
  }
  const amzDate = String(request.headers['x-amz-date'] ?? '');
  const payloadHash = String(request.headers['x-amz-content-sha256'] ?? '');
  if (!amzDate.startsWith(date ?? '-')) {
    throw new S3Error(
      403,
      'SignatureDoesNotMatch',
      'x-amz-date does not match the credential scope',
    );
  }
  if (payloadHash !== 'UNSIGNED-PAYLOAD') {
    if (!/^[0-9a-f]{64}$/.test(payloadHash)) {
      throw new S3Error(400, 'InvalidRequest', `payload hash ${payloadHash} is not supported here`);
    }
    if (createHash('sha256').update(body).digest('hex') !== payloadHash) {
      throw new S3Error(
        400,
        'XAmzContentSHA256Mismatch',
        'The provided x-amz-content-sha256 header does not match what was computed.',
      );
    }
  }
  const contentMd5 = request.headers['content-md5'];
  if (contentMd5 !== undefined && createHash('md5').update(body).digest('base64') !== contentMd5) {
    throw new S3Error(
      400,
      'BadDigest',
      'The Content-MD5 you specified did not match what we received.',
    );
  }
  const rawUrl = request.url ?? '/';
  const [path = '/', rawQuery = ''] = rawUrl.split('?');
  const canonicalQuery = rawQuery
    .split('&')
    .filter((pair) => pair !== '')
    .map((pair) => {
      const [name = '', value = ''] = pair.split('=');
      return [rfc3986(decodeURIComponent(name)), rfc3986(decodeURIComponent(value))] as const;
    })
    .sort(([a, x], [b, y]) => (a === b ? (x < y ? -1 : 1) : a < b ? -1 : 1))
    .map(([name, value]) => `${name}=${value}`)
    .join('&');
  const canonicalHeaders = signedHeaders
    .split(';')
    .map((name) => {
      const value = request.headers[name];
      const text = Array.isArray(value) ? value.join(',') : String(value ?? '');
      return `${name}:${text.trim().replace(/\s+/g, ' ')}\n`;
    })
    .join('');
  const canonicalRequest = [
    request.method,
    path,
    canonicalQuery,
    canonicalHeaders,
    signedHeaders,
    payloadHash,
  ].join('\n');
  const scope = `${date}/${region}/s3/aws4_request`;
  const stringToSign = [
    'AWS4-HMAC-SHA256',
    amzDate,
    scope,
    createHash('sha256').update(canonicalRequest).digest('hex'),
  ].join('\n');
  const hmac = (key: string | Buffer, data: string) =>
    createHmac('sha256', key).update(data).digest();
  let key = hmac(`AWS4${options.secretAccessKey}`, date ?? '');
  for (const part of [region ?? '', 's3', 'aws4_request']) key = hmac(key, part);
  if (createHmac('sha256', key).update(stringToSign).digest('hex') !== signature) {
    throw new S3Error(
      403,
      'SignatureDoesNotMatch',
      'The request signature we calculated does not match the signature you provided.',
    );
  }
}

function rfc3986(text: string): string {
  return encodeURIComponent(text).replace(
    /[!'()*]/g,
    (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`,
  );
}

function etagOf(body: Buffer): string {
  return `"${createHash('md5').update(body).digest('hex')}"`;
}

function sendXml(response: ServerResponse, status: number, xml: string) {
  response
    .writeHead(status, { 'content-type': 'application/xml' })
    .end(`<?xml version="1.0" encoding="UTF-8"?>\n${xml}`);
}

function escapeXml(text: string): string {
  return text.replace(
    /[<>&"']/g,
    (c) => ({ '<': '&lt;', '>': '&gt;', '&': '&amp;', '"': '&quot;', "'": '&apos;' })[c] ?? c,
  );
}

function unescapeXml(text: string): string {
  return text.replace(
    /&(lt|gt|amp|quot|apos);/g,
    (_, name: string) =>
      ({ lt: '<', gt: '>', amp: '&', quot: '"', apos: "'" })[name] ?? `&${name};`,
  );
}

import type { FastifyRequest } from 'fastify';
import { callerOf } from '../auth/index.js';
import type { AuditEntry } from './audit.repository.js';

/** Where a request came from, as the audit trail records it. */
export type RequestOrigin = Pick<AuditEntry, 'ip' | 'userAgent' | 'requestId'>;

export function requestOriginOf(request: FastifyRequest): RequestOrigin {
  return { ip: request.ip, userAgent: request.headers['user-agent'], requestId: request.id };
}

/** Who did it, from where: the part of an audit entry every route fills the same way. */
export function auditContextOf(
  request: FastifyRequest,
): Pick<AuditEntry, 'organizationId' | 'actorType' | 'actorId' | 'ip' | 'userAgent' | 'requestId'> {
  const caller = callerOf(request);
  return {
    organizationId: caller.organizationId,
    actorType: caller.actor.type,
    actorId: caller.actor.id,
    ...requestOriginOf(request),
  };
}

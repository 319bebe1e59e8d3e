import type { IncomingMessage, ServerResponse } from 'node:http';
import { getStatus, isOk } from '@medplum/core';
import { FhirRouter } from '@medplum/fhir-router';
import type { FhirRequest, FhirResponse, HttpMethod } from '@medplum/fhir-router';
import type { Bundle, BundleEntry, CapabilityStatement, OperationOutcome, Resource } from '@medplum/fhirtypes';
import type { Logger } from '../log/logger.js';
import { collectReferences } from '../fhir/fhir-references.js';
import type { ResourceValidator, ValidationIssue } from '../fhir/us-core-validation.js';
import type { FaultController } from './faults.js';
import { BodyTooLargeError, readBody, sendJson } from './http-util.js';
import { outcome, validationOutcome } from './operation-outcome.js';
import type { SandboxRepository } from './sandbox-repository.js';
import type { VerifiedToken } from './smart-auth.js';
import { scopeAllows } from './smart-scopes.js';
import type { ScopeAction } from './smart-scopes.js';

/**
 * The sandbox's FHIR endpoint: Medplum's FhirRouter over the sandbox repository, behind what a real
 * EHR puts in front of it and Medplum's in-memory setup lacks: bearer tokens and scopes, US Core
 * validation of everything written, references that must resolve, conditional creates through an
 * index, atomic transactions, a CapabilityStatement, and injected faults.
 */
export interface FhirServerOptions {
  readonly fhirBaseUrl: string;
  readonly repo: SandboxRepository;
  readonly validator: ResourceValidator;
  readonly verifyToken: (token: string) => Promise<VerifiedToken | undefined>;
  readonly smartConfiguration: () => Record<string, unknown>;
  readonly capability: () => CapabilityStatement;
  readonly transactions: boolean;
  readonly faults: FaultController;
  readonly logger: Logger;
}

export interface FhirServer {
  handle(req: IncomingMessage, res: ServerResponse): void;
  /** Stops requests held open by the timeout fault. */
  close(): void;
}

const FHIR_JSON = 'application/fhir+json';
const BODY_LIMIT = 16 * 1024 * 1024;

type Reply = { status: number; body: Resource; headers?: Record<string, string>; wrote?: boolean };

class Rejection extends Error {
  constructor(
    readonly status: number,
    readonly body: OperationOutcome,
    readonly headers: Record<string, string> = {},
  ) {
    super('rejected');
  }
}

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms).unref());

export function createFhirServer(o: FhirServerOptions): FhirServer {
  const router = new FhirRouter();
  const basePath = new URL(o.fhirBaseUrl).pathname.replace(/\/$/, '');
  const held = new Set<NodeJS.Timeout>();
  let writes: Promise<unknown> = Promise.resolve();
  /** One write at a time: the repository's journal and conditional creates rely on it. */
  const serialized = <T>(work: () => Promise<T>): Promise<T> => {
    const run = writes.then(work, work);
    writes = run.catch(() => undefined);
    return run;
  };

  const reply = (res: ServerResponse, r: Reply) => sendJson(res, r.status, r.body, FHIR_JSON, r.headers);

  const authorize = async (req: IncomingMessage): Promise<VerifiedToken> => {
    const header = req.headers.authorization ?? '';
    const match = /^Bearer\s+(\S+)$/i.exec(header);
    const token = match ? await o.verifyToken(match[1]!) : undefined;
    if (!token) {
      throw new Rejection(401, outcome('login', match ? 'The access token is invalid or expired.' : 'An access token is required.'), {
        'www-authenticate': `Bearer realm="sandbox-ehr"${match ? ', error="invalid_token"' : ''}`,
      });
    }
    return token;
  };

  const requireScope = (token: VerifiedToken, resourceType: string, action: ScopeAction) => {
    if (!scopeAllows(token.scopes, resourceType, action)) {
      throw new Rejection(403, outcome('forbidden', `The token's scopes do not allow ${action} of ${resourceType}.`));
    }
  };

  /** Validation plus referential integrity: what a real EHR refuses before it stores anything. */
  const check = (
    resource: Resource,
    prefix: string,
    bundleTypes?: ReadonlyMap<string, string>,
  ): (ValidationIssue & { prefix: string })[] => {
    const issues = o.validator.validate(resource, { mode: 'incoming', bundleTypes }).filter((i) => i.severity === 'error');
    for (const { path, reference } of collectReferences(resource)) {
      if (reference.startsWith('#')) continue;
      if (reference.startsWith('urn:uuid:')) {
        if (!bundleTypes?.has(reference))
          issues.push({
            severity: 'error',
            expression: `${resource.resourceType}.${path}`,
            message: 'Reference to a bundle entry that is not in the bundle.',
          });
        continue;
      }
      const local = reference.startsWith(`${o.fhirBaseUrl}/`) ? reference.slice(o.fhirBaseUrl.length + 1) : reference;
      const m = /^([A-Z][A-Za-z]+)\/([A-Za-z0-9\-.]{1,64})$/.exec(local);
      if (!m) {
        if (!/^https?:\/\//.test(reference))
          issues.push({
            severity: 'error',
            expression: `${resource.resourceType}.${path}`,
            message: 'Reference is not of the form Type/id.',
          });
        continue;
      }
      if (!o.repo.has(m[1]!, m[2]!))
        issues.push({
          severity: 'error',
          expression: `${resource.resourceType}.${path}`,
          message: `Referenced ${m[1]} does not exist on this server.`,
        });
    }
    return issues.map((i) => ({ ...i, prefix }));
  };

  const route = (method: HttpMethod, url: string, body: unknown, headers: IncomingMessage['headers']): Promise<FhirResponse> => {
    const request: FhirRequest = { method, url, pathname: '', body, params: {}, query: {}, headers, config: { transactions: true } };
    return router.handleRequest(request, o.repo);
  };

  const toReply = (response: FhirResponse, method: HttpMethod): Reply => {
    const [result, resource] = response;
    const status = getStatus(result);
    const headers: Record<string, string> = {};
    const meta = resource?.meta;
    if (resource?.id && meta?.versionId) {
      headers['etag'] = `W/"${meta.versionId}"`;
      if (meta.lastUpdated) headers['last-modified'] = new Date(meta.lastUpdated).toUTCString();
      if (status === 201 || (method === 'POST' && status === 200) || method === 'PUT') {
        headers['location'] = `${o.fhirBaseUrl}/${resource.resourceType}/${resource.id}/_history/${meta.versionId}`;
      }
    }
    if (resource?.resourceType === 'Bundle' && (resource.type === 'searchset' || resource.type === 'history')) {
      for (const entry of resource.entry ?? []) {
        if (entry.resource?.id) entry.fullUrl = `${o.fhirBaseUrl}/${entry.resource.resourceType}/${entry.resource.id}`;
      }
    }
    return { status, body: resource ?? result, headers, wrote: method !== 'GET' && isOk(result) };
  };

  /** One conditional create resolved through the index: the match's id, or undefined to create. */
  const resolveConditional = async (type: string, query: string): Promise<string | undefined> => {
    const ids = await o.repo.findConditional(type, query);
    if (ids.length > 1) throw new Rejection(412, outcome('duplicate', 'The conditional create matched more than one resource.'));
    return ids[0];
  };

  const createOne = async (
    type: string,
    resource: Resource,
    ifNoneExist: string | undefined,
    headers: IncomingMessage['headers'],
  ): Promise<Reply> => {
    const issues = check(resource, type);
    if (issues.length > 0) return { status: 422, body: validationOutcome(issues) };
    if (ifNoneExist) {
      const existing = await resolveConditional(type, ifNoneExist);
      if (existing) return toReply(await route('GET', `${type}/${existing}`, undefined, {}), 'POST');
    }
    const rest = { ...headers };
    delete rest['if-none-exist'];
    return toReply(await route('POST', type, resource, rest), 'POST');
  };

  const bundle = async (token: VerifiedToken, raw: unknown, headers: IncomingMessage['headers']): Promise<Reply> => {
    const input = raw as Bundle | null | undefined;
    if (input?.resourceType !== 'Bundle' || (input.type !== 'transaction' && input.type !== 'batch')) {
      throw new Rejection(400, outcome('invalid', 'Expected a transaction or batch Bundle.'));
    }
    if (input.type === 'transaction' && !o.transactions)
      throw new Rejection(400, outcome('not-supported', 'This server does not support transactions.'));
    const entries = input.entry ?? [];
    if (entries.length === 0) throw new Rejection(400, outcome('invalid', 'The Bundle has no entries.'));
    const bundleTypes = new Map<string, string>();
    for (const e of entries) if (e.fullUrl && e.resource) bundleTypes.set(e.fullUrl, e.resource.resourceType);
    const issues: (ValidationIssue & { prefix: string })[] = [];
    for (const [i, e] of entries.entries()) {
      const method = e.request?.method;
      const type = (e.request?.url ?? '').split(/[/?]/)[0] ?? '';
      if (!method || !type)
        throw new Rejection(400, outcome('invalid', 'Each entry needs request.method and request.url.', `Bundle.entry[${i}].request`));
      requireScope(token, type, method === 'GET' || method === 'HEAD' ? 'read' : 'write');
      if ((method === 'POST' || method === 'PUT') && e.resource)
        issues.push(...check(e.resource, `Bundle.entry[${i}].resource`, bundleTypes));
    }
    if (issues.length > 0) return { status: 422, body: validationOutcome(issues) };
    if (input.type === 'batch') return toReply(await route('POST', '', input, headers), 'POST');

    // Conditional creates are resolved here, under the write queue, so a match becomes a read of
    // the existing resource and every reference to its placeholder points at it.
    const matched = new Map<string, string>();
    const seen = new Set<string>();
    const rewritten: BundleEntry[] = [];
    for (const e of entries) {
      const request = e.request!;
      if (request.method !== 'POST' || !request.ifNoneExist) {
        rewritten.push(e);
        continue;
      }
      const key = `${request.url}?${request.ifNoneExist}`;
      if (seen.has(key)) throw new Rejection(400, outcome('duplicate', 'Two entries share one conditional create.'));
      seen.add(key);
      const existing = await resolveConditional(request.url, request.ifNoneExist);
      if (existing) {
        if (e.fullUrl) matched.set(e.fullUrl, `${request.url}/${existing}`);
        rewritten.push({ ...(e.fullUrl ? { fullUrl: e.fullUrl } : {}), request: { method: 'GET', url: `${request.url}/${existing}` } });
      } else {
        const plain = { ...request };
        delete plain.ifNoneExist;
        rewritten.push({ ...e, request: plain });
      }
    }
    const body: Bundle = JSON.parse(JSON.stringify({ ...input, entry: rewritten }), (key, value: unknown) =>
      key === 'reference' && typeof value === 'string' ? (matched.get(value) ?? value) : value,
    ) as Bundle;
    const response = await o.repo.atomically(
      () => route('POST', '', body, headers),
      ([result]) => !isOk(result),
    );
    return toReply(response, 'POST');
  };

  const dispatch = async (req: IncomingMessage, relative: string, search: string): Promise<Reply> => {
    const method = (req.method ?? 'GET').toUpperCase() as HttpMethod;
    const token = await authorize(req);
    const [type = '', second] = relative.split('/');
    let body: unknown;
    if (method === 'POST' || method === 'PUT' || method === 'PATCH') {
      let raw: Buffer;
      try {
        raw = await readBody(req, BODY_LIMIT);
      } catch (error) {
        if (error instanceof BodyTooLargeError) throw new Rejection(413, outcome('too-costly', 'The request body is too large.'));
        throw error;
      }
      try {
        body = JSON.parse(raw.toString('utf8'));
      } catch {
        throw new Rejection(400, outcome('structure', 'The request body is not valid JSON.'));
      }
    }
    if (method === 'GET' || (method === 'POST' && second === '_search')) {
      requireScope(token, type || '*', 'read');
      return { ...toReply(await route(method, relative + search, body, req.headers), method), wrote: false };
    }
    if (!type) return serialized(() => bundle(token, body, req.headers));
    requireScope(token, type, 'write');
    return serialized(async () => {
      if (method === 'POST' && !second) {
        if ((body as Resource | undefined)?.resourceType !== type)
          throw new Rejection(400, outcome('invalid', `The body is not a ${type}.`));
        const header = req.headers['if-none-exist'];
        return createOne(type, body as Resource, Array.isArray(header) ? header[0] : header, req.headers);
      }
      if (method === 'PUT' && second) {
        if ((body as Resource | undefined)?.resourceType !== type)
          throw new Rejection(400, outcome('invalid', `The body is not a ${type}.`));
        const issues = check(body as Resource, type);
        if (issues.length > 0) return { status: 422, body: validationOutcome(issues) };
      }
      return toReply(await route(method, relative + search, body, req.headers), method);
    });
  };

  const handle = async (req: IncomingMessage, res: ServerResponse) => {
    const url = new URL(req.url ?? '/', o.fhirBaseUrl);
    const relative = url.pathname.slice(basePath.length).replace(/^\/+|\/+$/g, '');
    if (req.method === 'GET' && relative === 'metadata') return sendJson(res, 200, o.capability(), FHIR_JSON);
    if (req.method === 'GET' && relative === '.well-known/smart-configuration') return sendJson(res, 200, o.smartConfiguration());

    const faults = o.faults.settings();
    if (faults.delayMs > 0) await sleep(faults.delayMs);
    const decision = o.faults.beforeRequest();
    if (decision === 'timeout') {
      const timer = setTimeout(() => {
        held.delete(timer);
        req.socket.destroy();
      }, faults.hangMs).unref();
      held.add(timer);
      req.socket.once('close', () => {
        clearTimeout(timer);
        held.delete(timer);
      });
      return;
    }
    if (decision === 'error') {
      const retryAfter = faults.retryAfterSeconds !== undefined ? { 'retry-after': String(faults.retryAfterSeconds) } : undefined;
      return sendJson(
        res,
        faults.errorStatus,
        outcome('transient', 'Injected fault: the sandbox EHR is failing on purpose.'),
        FHIR_JSON,
        retryAfter,
      );
    }

    let result: Reply;
    try {
      result = await dispatch(req, relative, url.search);
    } catch (error) {
      if (error instanceof Rejection) return sendJson(res, error.status, error.body, FHIR_JSON, error.headers);
      o.logger.error('sandbox.fhir.unexpected', { error: error instanceof Error ? error.name : 'unknown' });
      return sendJson(res, 500, outcome('exception', 'The sandbox EHR failed unexpectedly.'), FHIR_JSON);
    }
    if (result.wrote && o.faults.dropAfterCommit()) {
      // The write is committed; the client never hears so.
      req.socket.destroy();
      return;
    }
    reply(res, result);
  };

  return {
    handle(req, res) {
      handle(req, res).catch(() => {
        if (!res.headersSent) sendJson(res, 500, outcome('exception', 'The sandbox EHR failed unexpectedly.'), FHIR_JSON);
      });
    },
    close() {
      for (const timer of held) clearTimeout(timer);
      held.clear();
    },
  };
}

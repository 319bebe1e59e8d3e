import type { IncomingMessage, ServerResponse } from 'node:http';
import { getStatus, isOk } from '@medplum/core';
import { FhirRouter } from '@medplum/fhir-router';
import type { FhirRequest, FhirResponse, HttpMethod } from '@medplum/fhir-router';
import type { Bundle, BundleEntry, CapabilityStatement, OperationOutcome, Resource } from '@medplum/fhirtypes';
import type { Logger } from '../log/logger.js';
import { collectReferences } from '../fhir/fhir-references.js';
import type { ResourceValidator, ValidationIssue } from '../fhir/us-core-validation.js';
import type { FaultController } from './faults.js';
import { BodyTooLargeError, readBody, sendEmpty, sendJson } from './http-util.js';
import { outcome, validationOutcome } from './operation-outcome.js';
import { etagOf, parsePrefer, refusalOutcome, writeAnswer } from './profile-answer.js';
import { isRefusal, planSearch } from './profile-search.js';
import type { ResourceBehaviour, ResourceInteraction, SandboxProfile, SandboxRefusal } from './profiles/profile.js';
import { refusal } from './profiles/profile.js';
import type { SandboxRepository } from './sandbox-repository.js';
import type { VerifiedToken } from './smart-auth.js';
import { scopeAllows } from './smart-scopes.js';
import type { ScopeAction } from './smart-scopes.js';

/**
 * The sandbox's FHIR endpoint: Medplum's FhirRouter over the sandbox repository, behind what a real
 * EHR puts in front of it and Medplum's in-memory setup lacks: bearer tokens and scopes, US Core
 * validation of everything written, references that must resolve, conditional creates through an
 * index, atomic transactions, a CapabilityStatement, and injected faults. The vendor profile
 * (profiles/) is applied here and only here: which interactions are offered, the request media
 * type, what a create must hold and what of it is stored, which search parameters are used, and
 * how a write is answered. Every refusal or drop a profile rule causes names the rule in the
 * sandbox-only `X-Sandbox-Rule` header.
 */
export interface FhirServerOptions {
  readonly fhirBaseUrl: string;
  readonly repo: SandboxRepository;
  readonly validator: ResourceValidator;
  readonly verifyToken: (token: string) => Promise<VerifiedToken | undefined>;
  readonly smartConfiguration: () => Record<string, unknown>;
  readonly capability: () => CapabilityStatement;
  readonly transactions: boolean;
  readonly profile: SandboxProfile;
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

/** `body` undefined: an empty answer (Content-Length 0). */
type Reply = { status: number; body: Resource | undefined; headers?: Record<string, string>; wrote?: boolean };

class Rejection extends Error {
  constructor(
    readonly status: number,
    readonly body: OperationOutcome | undefined,
    readonly headers: Record<string, string> = {},
  ) {
    super('rejected');
  }
}

const RULE_HEADER = 'x-sandbox-rule';
/** Request media types a FHIR JSON body may come as (parameters such as charset allowed). */
const JSON_MEDIA_TYPES = ['application/fhir+json', 'application/json'];
const PATCH_MEDIA_TYPES = [...JSON_MEDIA_TYPES, 'application/json-patch+json'];

/** The interaction a request asks for, by method and path (`Type`, `Type/id`, `Type/id/_history/v`). */
function interactionOf(method: HttpMethod, [, second, third, fourth]: readonly string[]): ResourceInteraction {
  if (method === 'POST') return second === '_search' ? 'search-type' : 'create';
  if (method === 'PUT') return 'update';
  if (method === 'PATCH') return 'patch';
  if (method === 'DELETE') return 'delete';
  if (!second) return 'search-type';
  if (third === '_history' && fourth) return 'vread';
  if (second === '_history' || third === '_history') return 'history-instance';
  return 'read';
}

const SCOPE_OF: Record<ResourceInteraction, ScopeAction> = {
  read: 'read',
  vread: 'read',
  'search-type': 'read',
  'history-instance': 'read',
  create: 'create',
  update: 'update',
  patch: 'update',
  delete: 'delete',
};

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

  const profile = o.profile;
  /** Condition ids in Epic's holding tank: readable by id, never in a search. */
  const holdingTank = new Set<string>();
  /** Version counters for profiles whose ETags count (Oracle: W/"1", W/"2"...), by Type/id; absent = 1. */
  const versions = new Map<string, number>();
  const versionOf = (type: string, id: string) => versions.get(`${type}/${id}`) ?? 1;
  const idCounters = new Map<string, number>();

  const reply = (res: ServerResponse, r: Reply) =>
    r.body === undefined ? sendEmpty(res, r.status, r.headers) : sendJson(res, r.status, r.body, FHIR_JSON, r.headers);

  const reject = (r: SandboxRefusal) => new Rejection(r.status, refusalOutcome(profile, r), { [RULE_HEADER]: r.rule });

  const behaviourOf = (type: string): ResourceBehaviour | undefined => profile.resources[type] ?? profile.otherTypes;

  /** 405 for what the profile does not offer: the CapabilityStatement says the same. */
  const requireOffered = (type: string, interaction: ResourceInteraction) => {
    if (!behaviourOf(type)?.interactions.includes(interaction)) {
      throw reject(
        refusal(405, 'sandbox.not-offered', 'not-supported', `This server does not offer ${interaction} of ${type || 'this type'}.`),
      );
    }
  };

  const requireMediaType = (req: IncomingMessage, allowed: readonly string[]) => {
    const type = (req.headers['content-type'] ?? '').split(';')[0]!.trim().toLowerCase();
    if (!allowed.includes(type)) {
      throw reject(refusal(415, 'sandbox.media-type', 'not-supported', `The request body must be ${allowed.join(' or ')}.`));
    }
  };

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
      const what = action === 'read' || action === 'write' ? `${action} of ${resourceType}` : `write of ${resourceType} (${action})`;
      const body = profile.forbiddenBody === 'empty' ? undefined : outcome('forbidden', `The token's scopes do not allow ${what}.`);
      throw new Rejection(403, body, { [RULE_HEADER]: 'sandbox.scope' });
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
      const etag = etagOf(profile, resource, versionOf(resource.resourceType, resource.id));
      if (etag) headers['etag'] = etag;
      if (meta.lastUpdated && profile.etag !== 'none') headers['last-modified'] = new Date(meta.lastUpdated).toUTCString();
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

  const invalid = (issues: readonly (ValidationIssue & { prefix: string })[]): Reply => ({
    status: 422,
    body:
      profile.unprocessableBody === 'generic'
        ? refusalOutcome(profile, refusal(422, 'sandbox.validation', 'invalid', ''))
        : validationOutcome(issues),
    headers: { [RULE_HEADER]: 'sandbox.validation' },
  });

  const readStored = async (type: string, id: string): Promise<Resource | undefined> =>
    o.repo.has(type, id) ? await o.repo.readResource(type, id) : undefined;

  /** What the router gets of the client's headers: the profile has already dealt with these. */
  const forwarded = (headers: IncomingMessage['headers']) => {
    const rest = { ...headers };
    for (const name of ['if-none-exist', 'if-match', 'prefer']) delete rest[name];
    return rest;
  };

  const withRules = (reply: Reply, rules: readonly string[]): Reply =>
    rules.length === 0 ? reply : { ...reply, headers: { ...reply.headers, [RULE_HEADER]: rules.join(', ') } };

  /** A write the router accepted, answered as the profile answers. */
  const answered = (response: FhirResponse, method: HttpMethod, version: number, req: IncomingMessage, rules: readonly string[]): Reply => {
    const [result, stored] = response;
    if (!isOk(result) || !stored?.id) return toReply(response, method);
    const answer = writeAnswer(profile, o.fhirBaseUrl, getStatus(result), stored, version, parsePrefer(req.headers.prefer).return);
    return withRules({ ...answer, wrote: true }, rules);
  };

  /** One conditional create resolved through the index: the match's id, or undefined to create. */
  const resolveConditional = async (type: string, query: string): Promise<string | undefined> => {
    const ids = await o.repo.findConditional(type, query);
    if (ids.length > 1) throw new Rejection(412, outcome('duplicate', 'The conditional create matched more than one resource.'));
    return ids[0];
  };

  const createOne = async (type: string, resource: Resource, token: VerifiedToken, req: IncomingMessage): Promise<Reply> => {
    const behaviour = behaviourOf(type)!;
    const refused = await behaviour.check?.(resource, { token, read: readStored });
    if (refused) throw reject(refused);
    const issues = check(resource, type);
    if (issues.length > 0) return invalid(issues);
    const header = req.headers['if-none-exist'];
    const ifNoneExist = Array.isArray(header) ? header[0] : header;
    if (ifNoneExist && profile.conditionalCreate) {
      const existing = await resolveConditional(type, ifNoneExist);
      if (existing) {
        const found = await route('GET', `${type}/${existing}`, undefined, {});
        return { ...answered(found, 'POST', versionOf(type, existing), req, []), wrote: false };
      }
    }
    const { resource: kept, droppedBy } = behaviour.keep?.(resource) ?? { resource, droppedBy: [] };
    // The server names what it creates: an id in the body is not the client's to choose.
    const body: Resource = { ...kept };
    delete body.id;
    if (behaviour.idPrefix) {
      const n = (idCounters.get(type) ?? 0) + 1;
      idCounters.set(type, n);
      body.id = `${behaviour.idPrefix}${n}`;
    }
    const response = await route('POST', type, body, forwarded(req.headers));
    const created = response[1];
    if (isOk(response[0]) && created?.id && behaviour.holdingTank) holdingTank.add(created.id);
    return answered(response, 'POST', 1, req, droppedBy);
  };

  const updateOne = async (type: string, id: string, resource: Resource, token: VerifiedToken, req: IncomingMessage): Promise<Reply> => {
    const behaviour = behaviourOf(type)!;
    if (profile.updateNeedsIfMatch) {
      const ifMatch = req.headers['if-match'];
      if (!ifMatch)
        throw reject(refusal(412, 'sandbox.update.if-match-required', 'conflict', 'An update needs If-Match with the current version.'));
      if (ifMatch !== `W/"${versionOf(type, id)}"`)
        throw reject(refusal(409, 'sandbox.update.stale', 'conflict', 'The resource has changed since that version.'));
    }
    const refused = await behaviour.check?.(resource, { token, read: readStored });
    if (refused) throw reject(refused);
    const issues = check(resource, type);
    if (issues.length > 0) return invalid(issues);
    const { resource: kept, droppedBy } = behaviour.keep?.(resource) ?? { resource, droppedBy: [] };
    const existed = o.repo.has(type, id);
    const response = await route('PUT', `${type}/${id}`, { ...kept, id }, forwarded(req.headers));
    const version = existed ? versionOf(type, id) + 1 : 1;
    if (isOk(response[0])) versions.set(`${type}/${id}`, version);
    return answered(response, 'PUT', version, req, droppedBy);
  };

  const searchType = async (type: string, params: URLSearchParams, req: IncomingMessage): Promise<Reply> => {
    const plan = planSearch(profile, type, params, parsePrefer(req.headers.prefer).strict);
    if (isRefusal(plan)) throw reject(plan);
    const query = plan.query.toString();
    const path = query ? `${type}?${query}` : type;
    const result = toReply(await route('GET', path, undefined, forwarded(req.headers)), 'GET');
    const found = result.body as Bundle | undefined;
    if (found?.resourceType === 'Bundle') {
      if (holdingTank.size > 0 && type === 'Condition') {
        const before = found.entry?.length ?? 0;
        found.entry = (found.entry ?? []).filter((e) => !(e.resource?.resourceType === 'Condition' && holdingTank.has(e.resource.id!)));
        if (found.total !== undefined) found.total -= before - found.entry.length;
      }
      found.link = [{ relation: 'self', url: `${o.fhirBaseUrl}/${path}` }];
    }
    return withRules({ ...result, wrote: false }, plan.ignored.length > 0 ? ['search.ignored-parameter'] : []);
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
      requireScope(
        token,
        type,
        method === 'GET' || method === 'HEAD' ? 'read' : method === 'POST' ? 'create' : method === 'DELETE' ? 'delete' : 'update',
      );
      if ((method === 'POST' || method === 'PUT') && e.resource)
        issues.push(...check(e.resource, `Bundle.entry[${i}].resource`, bundleTypes));
    }
    if (issues.length > 0) return invalid(issues);
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
    const parts = relative.split('/');
    const [type = '', second] = parts;
    if (!type && method === 'GET') {
      requireScope(token, '*', 'read');
      return { ...toReply(await route(method, relative + search, undefined, req.headers), method), wrote: false };
    }
    if (!type && method === 'POST' && !profile.transaction && !profile.batch) {
      throw reject(refusal(405, 'sandbox.not-offered', 'not-supported', 'This server takes no Bundles at its base.'));
    }
    const interaction = interactionOf(method, parts);
    if (type) requireOffered(type, interaction);
    const searching = interaction === 'search-type';
    let body: unknown;
    let form = '';
    if (method === 'POST' || method === 'PUT' || method === 'PATCH') {
      if (!searching) requireMediaType(req, method === 'PATCH' ? PATCH_MEDIA_TYPES : JSON_MEDIA_TYPES);
      let raw: Buffer;
      try {
        raw = await readBody(req, BODY_LIMIT);
      } catch (error) {
        if (error instanceof BodyTooLargeError) throw new Rejection(413, outcome('too-costly', 'The request body is too large.'));
        throw error;
      }
      if (searching) form = raw.toString('utf8');
      else {
        try {
          body = JSON.parse(raw.toString('utf8'));
        } catch {
          throw new Rejection(400, outcome('structure', 'The request body is not valid JSON.'));
        }
      }
    }
    if (searching) {
      requireScope(token, type, 'read');
      const params = new URLSearchParams(search);
      for (const [k, v] of new URLSearchParams(form)) params.append(k, v);
      return searchType(type, params, req);
    }
    if (method === 'GET') {
      requireScope(token, type, 'read');
      return { ...toReply(await route(method, relative + search, body, req.headers), method), wrote: false };
    }
    if (!type) return serialized(() => bundle(token, body, req.headers));
    requireScope(token, type, SCOPE_OF[interaction]);
    return serialized(async () => {
      if (method === 'POST' && !second) {
        if ((body as Resource | undefined)?.resourceType !== type)
          throw new Rejection(400, outcome('invalid', `The body is not a ${type}.`));
        return createOne(type, body as Resource, token, req);
      }
      if (method === 'PUT' && second) {
        if ((body as Resource | undefined)?.resourceType !== type)
          throw new Rejection(400, outcome('invalid', `The body is not a ${type}.`));
        return updateOne(type, second, body as Resource, token, req);
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
      if (error instanceof Rejection)
        return error.body ? sendJson(res, error.status, error.body, FHIR_JSON, error.headers) : sendEmpty(res, error.status, error.headers);
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

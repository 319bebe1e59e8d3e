import { OperationOutcomeError, parseSearchRequest } from '@medplum/core';
import type { WithId } from '@medplum/core';
import { MemoryRepository } from '@medplum/fhir-router';
import type { Identifier, Resource } from '@medplum/fhirtypes';

interface JournalEntry {
  readonly type: string;
  readonly id: string;
  /** The version this write replaced; undefined when the write created the resource. */
  readonly previous: Resource | undefined;
}

/**
 * Medplum's in-memory repository with what the sandbox needs on top: transactions that roll back
 * (MemoryRepository's are not atomic), an index of identifiers and tags so conditional creates
 * (`identifier=system|value`, `_tag=system|code`) do not scan every resource, and counts. All writes
 * reach it through the sandbox's single write queue, so a journal needs no locking.
 */
export class SandboxRepository extends MemoryRepository {
  private readonly idsByType = new Map<string, Set<string>>();
  private readonly tokenIndex = new Map<string, Set<string>>();
  private readonly keysByResource = new Map<string, readonly string[]>();
  private journal: JournalEntry[] | undefined;

  override async createResource<T extends Resource>(resource: T): Promise<WithId<T>> {
    const previous = this.journal && resource.id ? await this.tryRead(resource.resourceType, resource.id) : undefined;
    const created = await super.createResource(resource);
    this.journal?.push({ type: created.resourceType, id: created.id, previous });
    this.track(created);
    return created;
  }

  override async deleteResource(resourceType: string, id: string): Promise<void> {
    await super.deleteResource(resourceType, id);
    this.untrack(resourceType, id);
  }

  /**
   * Runs `work` so that its writes all stay or all go: when it throws or `failed(result)` says so,
   * every write it made is undone, newest first.
   */
  async atomically<T>(work: () => Promise<T>, failed: (result: T) => boolean): Promise<T> {
    if (this.journal) throw new Error('nested sandbox transaction');
    const journal: JournalEntry[] = [];
    this.journal = journal;
    let ok = false;
    try {
      const result = await work();
      ok = !failed(result);
      return result;
    } finally {
      this.journal = undefined;
      if (!ok) await this.undo(journal);
    }
  }

  /** Ids of resources of `type` matching a conditional-create query; uses the index where it can. */
  async findConditional(type: string, query: string): Promise<string[]> {
    const params = new URLSearchParams(query);
    const entries = [...params.entries()];
    const [only] = entries;
    if (entries.length === 1 && only && (only[0] === 'identifier' || only[0] === '_tag') && only[1].includes('|')) {
      const bar = only[1].indexOf('|');
      return [...(this.tokenIndex.get(this.tokenKey(type, only[0], only[1].slice(0, bar), only[1].slice(bar + 1))) ?? [])];
    }
    const found = await this.searchResources(parseSearchRequest(`${type}?${query}`));
    return found.map((r) => r.id);
  }

  count(type: string): number {
    return this.idsByType.get(type)?.size ?? 0;
  }

  counts(): Record<string, number> {
    return Object.fromEntries([...this.idsByType].filter(([, ids]) => ids.size > 0).map(([type, ids]) => [type, ids.size]));
  }

  has(type: string, id: string): boolean {
    return this.idsByType.get(type)?.has(id) ?? false;
  }

  private async tryRead(type: string, id: string): Promise<Resource | undefined> {
    try {
      return await this.readResource(type, id);
    } catch (error) {
      if (error instanceof OperationOutcomeError) return undefined;
      throw error;
    }
  }

  private async undo(journal: readonly JournalEntry[]): Promise<void> {
    for (const entry of [...journal].reverse()) {
      if (entry.previous) {
        const restored = await super.createResource(entry.previous);
        this.track(restored);
      } else if (this.has(entry.type, entry.id)) {
        await this.deleteResource(entry.type, entry.id);
      }
    }
  }

  private tokenKey(type: string, param: string, system: string, value: string): string {
    return JSON.stringify([type, param, system, value]);
  }

  private track(resource: WithId<Resource>): void {
    const { resourceType: type, id } = resource;
    this.untrack(type, id);
    let ids = this.idsByType.get(type);
    if (!ids) {
      ids = new Set();
      this.idsByType.set(type, ids);
    }
    ids.add(id);
    const identifiers = (resource as { identifier?: Identifier[] | Identifier }).identifier ?? [];
    const keys = [
      ...(Array.isArray(identifiers) ? identifiers : [identifiers])
        .filter((i) => i.value)
        .map((i) => this.tokenKey(type, 'identifier', i.system ?? '', i.value!)),
      ...(resource.meta?.tag ?? []).filter((t) => t.code).map((t) => this.tokenKey(type, '_tag', t.system ?? '', t.code!)),
    ];
    for (const key of keys) {
      let set = this.tokenIndex.get(key);
      if (!set) {
        set = new Set();
        this.tokenIndex.set(key, set);
      }
      set.add(id);
    }
    this.keysByResource.set(`${type}/${id}`, keys);
  }

  private untrack(type: string, id: string): void {
    this.idsByType.get(type)?.delete(id);
    for (const key of this.keysByResource.get(`${type}/${id}`) ?? []) this.tokenIndex.get(key)?.delete(id);
    this.keysByResource.delete(`${type}/${id}`);
  }
}

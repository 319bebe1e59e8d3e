import type { FactMismatch } from '../../shared/domain/note.js';

/**
 * The facts stated in `sentence` (medications, doses and units, frequencies, routes, numbers,
 * laterality, negations) that none of the cited transcript lines states. Empty when every fact is
 * found. Placeholder until the fact checker lands: it finds nothing.
 */
export function checkFacts(sentence: string, evidence: readonly string[]): FactMismatch[] {
  void sentence;
  void evidence;
  return [];
}

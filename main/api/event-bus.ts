import type { EventName, EventOf } from '../../shared/api/contract.js';

export type EventListener = (event: EventName, payload: unknown) => void;

/** Fans main-side events out to every transport (IPC window, web bridge clients). */
export interface EventBus {
  emit<E extends EventName>(event: E, payload: EventOf<E>): void;
  subscribe(listener: EventListener): () => void;
}

export function createEventBus(): EventBus {
  const listeners = new Set<EventListener>();
  return {
    emit(event, payload) {
      for (const listener of [...listeners]) {
        try {
          listener(event, payload);
        } catch {
          // One broken subscriber (a closed socket) must not stop the others.
        }
      }
    },
    subscribe(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
  };
}

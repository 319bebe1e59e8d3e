import type { EventName, EventOf } from '../../shared/api/contract.js';

export type EventListener = (event: EventName, payload: unknown) => void;

/** Fans main-side events out to services and to every transport (IPC window, web bridge clients). */
export interface EventBus {
  emit<E extends EventName>(event: E, payload: EventOf<E>): void;
  /** One event, its payload typed from the contract. Returns the unsubscribe function. */
  on<E extends EventName>(event: E, handler: (payload: EventOf<E>) => void): () => void;
  /** Every event, for the transports that forward them all. Returns the unsubscribe function. */
  subscribeAll(listener: EventListener): () => void;
}

export function createEventBus(): EventBus {
  const listeners = new Set<EventListener>();
  const subscribeAll = (listener: EventListener) => {
    listeners.add(listener);
    return () => void listeners.delete(listener);
  };
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
    on(event, handler) {
      return subscribeAll((name, payload) => {
        if (name === event) handler(payload as EventOf<typeof event>);
      });
    },
    subscribeAll,
  };
}

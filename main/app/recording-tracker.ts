import type { EventBus } from '../api/event-bus.js';

/**
 * Knows, synchronously, whether a visit is being recorded right now, from the `visit:changed`
 * events the services emit. The updater asks it during 'before-quit', which cannot wait.
 */
export interface RecordingTracker {
  isRecording(): boolean;
  dispose(): void;
}

export function trackRecording(events: EventBus): RecordingTracker {
  const recording = new Set<string>();
  const unsubscribe = events.subscribe((event, payload) => {
    if (event !== 'visit:changed') return;
    const { visitId, state } = payload as { visitId: string; state: string };
    if (state === 'recording') recording.add(visitId);
    else recording.delete(visitId);
  });
  return { isRecording: () => recording.size > 0, dispose: unsubscribe };
}

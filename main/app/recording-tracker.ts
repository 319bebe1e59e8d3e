import type { EventBus } from '../kernel/event-bus.js';

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
  const unsubscribe = events.on('visit:changed', ({ visitId, state }) => {
    if (state === 'recording') recording.add(visitId);
    else recording.delete(visitId);
  });
  return { isRecording: () => recording.size > 0, dispose: unsubscribe };
}

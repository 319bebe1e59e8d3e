import type { RecorderSnapshot } from '../recording/recorder.js';

/** Problems during a recording, in words that say what to do; the recording itself goes on. */
export function CaptureWarnings({ state }: { state: RecorderSnapshot }) {
  const warnings: string[] = [];
  if (state.phase === 'recording' && state.signal === 'no_signal') {
    warnings.push('No sound is reaching the microphone. Check that it is switched on and not muted. Recording continues.');
  }
  if ((state.phase === 'recording' || state.phase === 'paused') && state.signal === 'device_lost') {
    warnings.push('The microphone was disconnected. Reconnect it: recording continues as soon as it is back.');
  }
  if (state.saveProblem) warnings.push(state.saveProblem);
  if (state.error) warnings.push(state.error);
  if (warnings.length === 0) return null;
  return (
    <div className="alert" role="alert">
      {warnings.map((warning) => (
        <p key={warning}>{warning}</p>
      ))}
    </div>
  );
}

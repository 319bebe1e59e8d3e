import type { VisitState } from '../../../shared/domain/visit.js';

type Tone = 'neutral' | 'active' | 'attention' | 'review' | 'done' | 'failed';

const presentation: Record<VisitState, { label: string; tone: Tone }> = {
  not_started: { label: 'Not started', tone: 'neutral' },
  recording: { label: 'Recording', tone: 'active' },
  recording_interrupted: { label: 'Recording interrupted', tone: 'attention' },
  transcribing: { label: 'Transcribing', tone: 'active' },
  transcription_failed: { label: 'Not transcribed', tone: 'attention' },
  draft_ready: { label: 'Draft ready', tone: 'review' },
  in_review: { label: 'In review', tone: 'review' },
  ready_for_signature: { label: 'Ready for signature', tone: 'review' },
  signed: { label: 'Signed', tone: 'done' },
  delivered: { label: 'Sent to EHR', tone: 'done' },
  failed: { label: 'Failed', tone: 'failed' },
};

/** The state in the words its badge uses. */
export function stateLabel(state: VisitState): string {
  return (presentation as Partial<Record<string, { label: string }>>)[state]?.label ?? String(state).replaceAll('_', ' ');
}

/** The colour only supports the words: the label alone says the state. */
export function StateBadge({ state }: { state: VisitState }) {
  // A newer main process may know states this renderer does not: show them plainly, never crash.
  const { label, tone } = (presentation as Partial<Record<string, { label: string; tone: Tone }>>)[state] ?? {
    label: String(state).replaceAll('_', ' '),
    tone: 'neutral',
  };
  return <span className={`badge badge-${tone}`}>{label}</span>;
}

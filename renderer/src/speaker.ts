import type { Speaker } from '../../shared/domain/transcript.js';

const labels: Record<Speaker, string> = { clinician: 'Clinician', patient: 'Patient', other: 'Other', unknown: 'Speaker' };

export function speakerLabel(speaker: Speaker): string {
  return labels[speaker] ?? 'Speaker';
}

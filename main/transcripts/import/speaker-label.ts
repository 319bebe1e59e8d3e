import type { Speaker } from '../../../shared/domain/transcript.js';

const CLINICIAN = /^(?:the\s+)?(?:doctor|dr|clinician|provider|physician|attending)\b/;
const PATIENT = /^(?:the\s+)?(?:patient|pt)\b/;

/**
 * Maps a speaker label from another tool to our three roles. Names ("Dr. Okafor", "Jane") are not
 * kept: only the role survives the import.
 */
export function speakerFromLabel(label: string): Speaker {
  const key = label.trim().toLowerCase().replace(/[._]/g, ' ').replace(/\s+/g, ' ');
  if (key === 'clinician' || key === 'patient' || key === 'other' || key === 'unknown') return key;
  if (CLINICIAN.test(key)) return 'clinician';
  if (PATIENT.test(key)) return 'patient';
  return 'other';
}

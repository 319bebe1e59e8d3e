/**
 * Vital signs with their units, from speech already in digits: "blood pressure is 150 over 90" →
 * "Blood pressure 150/90 mmHg". Each pattern allows a few words between the name and the value
 * ("your blood pressure today is a little high at 150 over 90"). The value is kept exactly as said:
 * "98.65" is not cut to 98, nor "98.5%" to 98.
 */
interface VitalPattern {
  readonly name: string;
  readonly pattern: RegExp;
  readonly format: (m: RegExpExecArray) => string | undefined;
}

const GAP = String.raw`(?:[^\d.?!]{0,40}?)`;

const VITALS: readonly VitalPattern[] = [
  {
    name: 'blood pressure',
    pattern: new RegExp(String.raw`\b(?:blood pressure|bp)${GAP}\b(\d{2,3})\s*(?:/|over)\s*(\d{2,3})\b`),
    format: (m) => `Blood pressure ${m[1]}/${m[2]} mmHg.`,
  },
  {
    name: 'heart rate',
    pattern: new RegExp(String.raw`\b(?:heart rate|pulse(?: rate)?|hr)${GAP}\b(\d{2,3})\b(?!\.\d|\s*(?:/|over|percent|%))`),
    format: (m) => (Number(m[1]) >= 25 && Number(m[1]) <= 250 ? `Heart rate ${m[1]} bpm.` : undefined),
  },
  {
    name: 'respiratory rate',
    pattern: new RegExp(String.raw`\b(?:respiratory rate|respirations|breathing rate|rr)${GAP}\b(\d{1,2})\b(?!\.\d)`),
    format: (m) => (Number(m[1]) >= 6 && Number(m[1]) <= 60 ? `Respiratory rate ${m[1]} breaths/min.` : undefined),
  },
  {
    name: 'temperature',
    pattern: new RegExp(String.raw`\b(?:temperature|temp|fever of)${GAP}\b(\d{2,3}(?:\.\d+)?)(?![\d.])`),
    format: (m) => {
      const value = Number(m[1]);
      if (value >= 90 && value <= 110) return `Temperature ${m[1]} °F.`;
      if (value >= 32 && value <= 43) return `Temperature ${m[1]} °C.`;
      return undefined;
    },
  },
  {
    name: 'oxygen saturation',
    pattern: new RegExp(
      String.raw`\b(?:oxygen saturation|o2 sat(?:uration)?s?|sats?|saturation|pulse ox(?:imetry)?|oxygen(?: level)?|spo2)${GAP}\b(\d{2,3}(?:\.\d+)?)(?![\d.])\s*(?:%|percent)?`,
    ),
    format: (m) => (Number(m[1]) >= 50 && Number(m[1]) <= 100 ? `SpO2 ${m[1]}% on room air.`.replace(' on room air', '') : undefined),
  },
  {
    name: 'weight',
    pattern: new RegExp(String.raw`\b(?:weight|weigh(?:s|ing|ed)?)${GAP}\b(\d{2,3}(?:\.\d+)?)\s*(pounds?|lbs?|kilograms?|kilos?|kg)\b`),
    format: (m) => `Weight ${m[1]} ${/^k/.test(m[2]!) ? 'kg' : 'lb'}.`,
  },
];

export interface Vital {
  readonly name: string;
  readonly text: string;
}

export function extractVitals(sentence: string): Vital[] {
  const found: Vital[] = [];
  for (const vital of VITALS) {
    const m = vital.pattern.exec(sentence);
    if (!m) continue;
    const text = vital.format(m);
    if (text) found.push({ name: vital.name, text });
  }
  return found;
}

/** Colours of the ink views; with colour off (NO_COLOR, --no-color) every tone is plain text. */
import type { LineTone } from './review-lines.js';

export interface ToneProps {
  color?: string;
  dimColor?: boolean;
  bold?: boolean;
}

const TONES: Record<LineTone, ToneProps> = {
  create: { color: 'green' },
  update: { color: 'yellow' },
  delete: { color: 'red' },
  blocked: { color: 'red', bold: true },
  risk: { color: 'red' },
  add: { color: 'green' },
  remove: { color: 'red' },
  dim: { dimColor: true },
  plain: {},
};

export function toneProps(tone: LineTone, color: boolean): ToneProps {
  return color ? TONES[tone] : {};
}

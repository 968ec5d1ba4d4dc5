/**
 * How the conclusions write numbers for Russian readers: a decimal comma, a space before "%", thin
 * groups of thousands, weekdays and channels as the dashboards name them.
 */
const number = (digits: number) =>
  new Intl.NumberFormat('ru-RU', { minimumFractionDigits: digits, maximumFractionDigits: digits });

/** 0.634 → "63,4 %". */
export const percent = (share: number, digits = 1) => `${number(digits).format(share * 100)} %`;

/** 0.052 → "5,2 п. п." (a difference of two shares; "−5,2 п. п." below zero). */
export const points = (difference: number, digits = 1) =>
  `${difference >= 0 ? '' : '−'}${number(digits).format(Math.abs(difference) * 100)} п. п.`;

/** 0.78 → "+78 %", −0.02 → "−2 %" (a change). */
export const change = (relative: number, digits = 0) =>
  `${relative >= 0 ? '+' : '−'}${number(digits).format(Math.abs(relative) * 100)} %`;

/** 2.43 → "2,4". */
export const decimal = (value: number, digits = 1) => number(digits).format(value);

/** 12345 → "12 345". */
export const count = (value: number) => number(0).format(value);

/** 1.234 → "1,23 BYN". */
export const byn = (value: number, digits = 2) => `${number(digits).format(value)} BYN`;

/** 2.43 → "в 2,4 раза". */
export const times = (ratio: number) => `в ${decimal(ratio)} раза`;

/** An hour and the next: 18 → "18:00–19:00". */
export const hourSpan = (hour: number) =>
  `${String(hour).padStart(2, '0')}:00–${String((hour + 1) % 24).padStart(2, '0')}:00`;

/** "2026-09-01" → "1 сентября 2026". */
export function day(iso: string): string {
  return new Date(`${iso}T00:00:00Z`)
    .toLocaleDateString('ru-RU', {
      day: 'numeric',
      month: 'long',
      year: 'numeric',
      timeZone: 'UTC',
    })
    .replace(/\s*г\.$/, '');
}

/** A period as a reader says it: "1 сентября 2026 – 1 декабря 2026"; "нет данных" when there is none. */
export const period = (from: string | null, to: string | null) =>
  from === null || to === null ? 'нет данных' : `${day(from)} – ${day(to)}`;

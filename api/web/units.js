// Quantities as a reader says them: "49 Mrd. m³ (2025)", "50 bn m³ a year", "35 %".
// The graph keeps QUDT unit codes (M3, M3-PER-YR, NUM, PERCENT) and values in base units.

const UNITS = {
  de: { M3: 'm³', 'M3-PER-YR': 'm³ pro Jahr', PERCENT: '%', NUM: '', BBL: 'Barrel', T: 't', USD: 'US-Dollar' },
  en: { M3: 'm³', 'M3-PER-YR': 'm³ a year', PERCENT: '%', NUM: '', BBL: 'barrels', T: 't', USD: 'US dollars' },
};
const SCALES = {
  de: [[1e12, 'Bio.'], [1e9, 'Mrd.'], [1e6, 'Mio.']],
  en: [[1e12, 'tn'], [1e9, 'bn'], [1e6, 'm']],
};

/** One quantity ({value, unit}) in words of `lang` ('de' or 'en'), with its time if given. */
export function formatQuantity(quantity, lang, when = '') {
  const words = lang === 'de' ? 'de' : 'en';
  const number = new Intl.NumberFormat(words === 'de' ? 'de-DE' : 'en-GB', { maximumFractionDigits: 2 });
  let value = Number(quantity.value);
  let scale = '';
  if (quantity.unit !== 'NUM' && quantity.unit !== 'PERCENT') {
    const found = SCALES[words].find(([size]) => Math.abs(value) >= size);
    if (found) {
      value /= found[0];
      [, scale] = found;
    }
  }
  const unit = UNITS[words][quantity.unit] ?? quantity.unit;
  const text = [number.format(value), scale, unit].filter(Boolean).join(' ');
  return when ? `${text} (${when})` : text;
}

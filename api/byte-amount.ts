/** Byte amounts: topology resources and config values accept a number of bytes or a string such as `2GiB`. */

export const KiB = 1024;
export const MiB = 1024 * KiB;
export const GiB = 1024 * MiB;
export const TiB = 1024 * GiB;

const UNITS: Readonly<Record<string, number>> = {
  b: 1,
  kib: KiB,
  mib: MiB,
  gib: GiB,
  tib: TiB,
  kb: 1e3,
  mb: 1e6,
  gb: 1e9,
  tb: 1e12,
};

const BYTE_AMOUNT = /^\s*(\d+(?:\.\d+)?)\s*([a-z]*)\s*$/i;

/**
 * Parses a byte amount: a non-negative whole number of bytes, or a string of a number and a unit
 * (B, KiB, MiB, GiB, TiB powers of 1024; KB, MB, GB, TB powers of 1000; case does not matter).
 * Returns undefined for anything else, so callers can say where the bad value came from.
 */
export function parseByteAmount(value: unknown): number | undefined {
  if (typeof value === 'number') {
    return Number.isSafeInteger(value) && value >= 0 ? value : undefined;
  }
  if (typeof value !== 'string') return undefined;
  const match = BYTE_AMOUNT.exec(value);
  if (!match) return undefined;
  const unit = UNITS[(match[2] ?? '').toLowerCase() || 'b'];
  if (unit === undefined) return undefined;
  const bytes = Math.round(Number(match[1]) * unit);
  return Number.isSafeInteger(bytes) ? bytes : undefined;
}

/** The accepted forms, for error messages. */
export const BYTE_AMOUNT_EXPECTATION = "a whole number of bytes or a size such as '512MiB' or '2GiB'";

/** Formats bytes for people: `2 GiB`, `1.5 GiB`, `512 MiB`, `100 B`. */
export function formatBytes(bytes: number): string {
  const units: Array<[string, number]> = [
    ['TiB', TiB],
    ['GiB', GiB],
    ['MiB', MiB],
    ['KiB', KiB],
  ];
  for (const [name, size] of units) {
    if (Math.abs(bytes) >= size) {
      const value = bytes / size;
      return `${Number.isInteger(value) ? value : Number(value.toFixed(2))} ${name}`;
    }
  }
  return `${bytes} B`;
}

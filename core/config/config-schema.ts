import { z } from 'zod';
import { BYTE_AMOUNT_EXPECTATION, parseByteAmount } from '../../api/byte-amount.js';

/**
 * Zod building blocks for plugin config schemas, so that the same kind of value is written and checked the same
 * way in every plugin. Exported to plugin authors through `egret/spi`.
 */

/** Bytes as YAML may state them (`1073741824` or `'1GiB'`), parsed to a whole number of bytes. */
export const byteAmountSchema = z.union([z.number(), z.string()], { error: `expected ${BYTE_AMOUNT_EXPECTATION}` }).transform((value, ctx) => {
  const bytes = parseByteAmount(value);
  if (bytes === undefined) {
    ctx.issues.push({ code: 'custom', input: value, message: `expected ${BYTE_AMOUNT_EXPECTATION}` });
    return z.NEVER;
  }
  return bytes;
});

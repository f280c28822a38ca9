import { destructure } from './destructure.ts';
import { extractBranch } from './extract-branch.ts';
import { functionToArrow } from './function-to-arrow.ts';
import { getInsteadOfHas } from './get-instead-of-has.ts';
import { importAlias } from './import-alias.ts';
import { optionalChaining } from './optional-chaining.ts';
import { reformat } from './reformat.ts';
import { renameLocals } from './rename-locals.ts';
import type { Rewrite } from './rewrite-types.ts';

/**
 * The behaviour-preserving refactors checks/rewrites.test.ts applies to one copy of app/, in this order
 * (each finds its targets again in what the earlier ones left): no spec may fail, no mutant survive.
 */
export const REWRITES: readonly Rewrite[] = [
  destructure,
  getInsteadOfHas,
  optionalChaining,
  extractBranch,
  functionToArrow,
  importAlias,
  renameLocals,
  reformat,
];

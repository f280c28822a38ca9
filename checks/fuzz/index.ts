import { extractMethod } from './operators/extract-method.ts';
import { dropElseAfterReturn, elseForRest, forEachToForOf, invertIf } from './operators/control-flow.ts';
import { functionToArrow, reformat, sleepIntoClosure } from './operators/functions.ts';
import { importAlias, moveFile, renameSymbol } from './operators/names.ts';
import { destructure, extractLocal, extractToModule, guardTrim } from './operators/values.ts';
import type { RefactorOperator } from './operator-types.ts';

/** Every refactor operator the fuzzer composes. */
export const OPERATORS: readonly RefactorOperator[] = [
  renameSymbol,
  importAlias,
  moveFile,
  dropElseAfterReturn,
  elseForRest,
  invertIf,
  forEachToForOf,
  functionToArrow,
  sleepIntoClosure,
  reformat,
  destructure,
  guardTrim,
  extractToModule,
  extractLocal,
  extractMethod,
];

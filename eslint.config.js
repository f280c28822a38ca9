import js from '@eslint/js';
import tseslint from 'typescript-eslint';

/**
 * Where typescript-eslint's type-checked rules (strictTypeChecked) run. Folders join the list as they come
 * clean; the rest of the tree still gets the syntactic `recommended` rules. The aim is the whole tree.
 */
const TYPE_CHECKED = [
  'reports/**/*.ts',
  'rollback/**/*.ts',
  'app/*.ts',
  'app/bench/**/*.ts',
  'app/build/**/*.ts',
  'app/caches/**/*.ts',
  'app/cleanup/**/*.ts',
  'app/config/**/*.ts',
  'app/core/**/*.ts',
  'app/http/**/*.ts',
  'app/log/**/*.ts',
  'app/manager/**/*.ts',
  'app/metrics/**/*.ts',
  'app/service/**/*.ts',
  'app/testing/**/*.ts',
  'checks/*.ts',
  'checks/bench/**/*.ts',
  'checks/fixes/**/*.ts',
  'checks/testing/**/*.ts',
  'checks/heap/**/*.ts',
  'checks/probes/**/*.ts',
  'checks/qa/**/*.ts',
  'deploy/*.ts',
  'deploy/cli/**/*.ts',
  'deploy/config/**/*.ts',
  'deploy/evidence/**/*.ts',
  'deploy/gate/**/*.ts',
  'deploy/host/**/*.ts',
  'deploy/pipeline/**/*.ts',
  'deploy/proof/**/*.ts',
  'deploy/releases/**/*.ts',
  'deploy/setup/**/*.ts',
  'deploy/testing/**/*.ts',
];

/** Test code and the test harness may assert what a test just set up, and fake async interfaces. */
const TEST_FILES = ['**/*.test.ts', '**/testing/**'];

const typeChecked = (configs) => configs.map((c) => ({ ...c, files: TYPE_CHECKED }));

export default tseslint.config(
  { ignores: ['node_modules/**', 'reports/out/**', 'dist/**', '.tmp/**', '**/testing/fixtures/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/consistent-type-imports': 'error',
      'no-constant-condition': ['error', { checkLoops: false }],
    },
  },
  ...typeChecked(tseslint.configs.strictTypeChecked),
  {
    files: TYPE_CHECKED,
    languageOptions: { parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname } },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      // Numbers and booleans in template literals are how this code writes its log lines and reasons.
      '@typescript-eslint/restrict-template-expressions': ['error', { allowNumber: true, allowBoolean: true }],
      // `() => void promise` and `(x) => set.add(x)` callbacks are idiomatic here; a void in a value position still fails.
      '@typescript-eslint/no-confusing-void-expression': ['error', { ignoreArrowShorthand: true, ignoreVoidOperator: true }],
      // ts-morph hands out its `Node` instances from factories, never its constructor: the rule flags every one.
      '@typescript-eslint/no-unsafe-class-instance-assignment': 'off',
    },
  },
  {
    files: TEST_FILES,
    rules: {
      '@typescript-eslint/no-non-null-assertion': 'off',
      '@typescript-eslint/no-unsafe-assignment': 'off',
      '@typescript-eslint/no-unsafe-member-access': 'off',
      '@typescript-eslint/no-unsafe-call': 'off',
      '@typescript-eslint/no-unsafe-argument': 'off',
      '@typescript-eslint/no-unsafe-return': 'off',
      '@typescript-eslint/require-await': 'off',
      '@typescript-eslint/unbound-method': 'off',
      '@typescript-eslint/no-dynamic-delete': 'off',
      // Fake clocks reject with the abort signal's own reason, as the real ones do.
      '@typescript-eslint/prefer-promise-reject-errors': 'off',
    },
  },
);

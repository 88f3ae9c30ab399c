// @ts-check
/**
 * ESLint for the whole monorepo (flat config). TypeScript is linted with type
 * information (typescript-eslint `recommendedTypeChecked`), so promise mistakes
 * (a floating promise, an async function where a callback returns void) are
 * caught. Formatting is Prettier's job: eslint-config-prettier comes last and
 * turns off every stylistic rule. `npm run lint` / `npm run format:check`.
 */
import js from '@eslint/js';
import prettier from 'eslint-config-prettier';
import { defineConfig, globalIgnores } from 'eslint/config';
import globals from 'globals';
import tseslint from 'typescript-eslint';

export default defineConfig(
  globalIgnores([
    '**/dist/**',
    'coverage/**',
    'test-output/**',
    '.balai/**',
    // Generated from the API's OpenAPI document (npm run gen:api-types).
    'apps/web/src/api/openapi.d.ts',
  ]),
  js.configs.recommended,
  tseslint.configs.recommendedTypeChecked,
  {
    languageOptions: {
      parserOptions: {
        // Each file is checked with the tsconfig that includes it (root, or apps/web for the browser client).
        projectService: { allowDefaultProject: ['apps/web/vite.config.ts'] },
        tsconfigRootDir: import.meta.dirname,
      },
    },
    linterOptions: { reportUnusedDisableDirectives: 'error' },
    rules: {
      // `_name` marks a parameter a signature requires but the body does not use (Nest hooks, callbacks).
      '@typescript-eslint/no-unused-vars': [
        'error',
        { argsIgnorePattern: '^_', varsIgnorePattern: '^_', caughtErrors: 'none', ignoreRestSiblings: true },
      ],
      // Express, socket.io and Nest take callbacks typed as returning void; passing an async handler is the
      // documented way to use them. Still an error where a promise is really dropped (no-floating-promises).
      '@typescript-eslint/no-misused-promises': [
        'error',
        { checksVoidReturn: { arguments: false, attributes: false } },
      ],
      // Numbers and booleans in messages and URLs are fine; objects and unions with undefined are not.
      '@typescript-eslint/restrict-template-expressions': ['error', { allowNumber: true, allowBoolean: true }],
      // Off: the project service types some files (test specs with page functions, Preact JSX) differently from
      // the tsconfig tsc uses for them, and `--fix` removed assertions tsc needs. tsc stays the judge of types.
      '@typescript-eslint/no-unnecessary-type-assertion': 'off',
      // Off: Nest's getStatus()/statusCode and mongoose's readyState are plain numbers compared with the
      // HttpStatus/ConnectionStates members that name them; same values by design.
      '@typescript-eslint/no-unsafe-enum-comparison': 'off',
    },
  },
  {
    files: ['**/*.spec.ts', 'test/**/*.ts'],
    rules: {
      // supertest's `response.body` and parsed JSON are `any` by design; the tests' expect() checks their shape.
      '@typescript-eslint/no-unsafe-member-access': 'off',
      '@typescript-eslint/no-unsafe-call': 'off',
      '@typescript-eslint/no-unsafe-assignment': 'off',
      '@typescript-eslint/no-unsafe-argument': 'off',
      '@typescript-eslint/no-unsafe-return': 'off',
      // expect(fake.method).toHaveBeenCalled() passes methods unbound on purpose.
      '@typescript-eslint/unbound-method': 'off',
      // Fakes implement async interfaces without having anything to await.
      '@typescript-eslint/require-await': 'off',
    },
  },
  {
    files: ['apps/web/src/**/*.{ts,tsx}'],
    languageOptions: { globals: globals.browser },
  },
  {
    // The web client's unit tests have their own tsconfig (jest and node types), which the project service,
    // looking only for tsconfig.json files, would not find.
    files: ['apps/web/src/**/*.spec.{ts,tsx}', 'apps/web/test/**/*.ts'],
    languageOptions: {
      parserOptions: {
        projectService: false,
        project: ['./apps/web/tsconfig.spec.json'],
        tsconfigRootDir: import.meta.dirname,
      },
    },
  },
  {
    // Plain JavaScript (jest config, reporters, build scripts): no type information, Node globals.
    files: ['**/*.{js,mjs,cjs}'],
    extends: [tseslint.configs.disableTypeChecked],
    languageOptions: { globals: globals.node },
    rules: { '@typescript-eslint/no-require-imports': 'off' },
  },
  prettier,
);

// @ts-check
import eslint from '@eslint/js';
import tseslint from 'typescript-eslint';

/** Packages whose code must stay free of Node's I/O (see STYLE.md, convention 2). */
const portablePackages = ['crdt-core', 'wire', 'gossip', 'sketch'];

const deepImportPatterns = [
  {
    regex: '^@vig/[^/]+/(?!testing$).+',
    message:
      'Import a package through its entry (@vig/name or @vig/name/testing), not a deep path.',
  },
  {
    regex: '^(\\.\\./)+(packages|apps|tooling)/',
    message: 'Import another workspace package by its name, not by a relative path.',
  },
  {
    regex: '^(\\.\\./){2,}[a-z0-9-]+/src(/|$)',
    message: 'Import another workspace package by its name, not by a path into its src.',
  },
];

export default tseslint.config(
  {
    ignores: ['**/dist/**', '**/node_modules/**', '**/coverage/**', '**/.turbo/**'],
  },
  eslint.configs.recommended,
  ...tseslint.configs.recommendedTypeChecked,
  {
    languageOptions: {
      parserOptions: {
        projectService: { allowDefaultProject: ['*.js'] },
        tsconfigRootDir: import.meta.dirname,
      },
    },
    linterOptions: { reportUnusedDisableDirectives: 'error' },
    rules: {
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/switch-exhaustiveness-check': [
        'error',
        { considerDefaultExhaustiveForUnions: true, requireDefaultForNonUnion: false },
      ],
      '@typescript-eslint/consistent-type-imports': [
        'error',
        { prefer: 'type-imports', fixStyle: 'separate-type-imports' },
      ],
      '@typescript-eslint/consistent-type-exports': 'error',
      '@typescript-eslint/no-import-type-side-effects': 'error',
      '@typescript-eslint/no-explicit-any': 'error',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_' }],
      'no-restricted-imports': ['error', { patterns: deepImportPatterns }],
      eqeqeq: ['error', 'always'],
    },
  },
  {
    files: portablePackages.map((name) => `packages/${name}/src/**/*.ts`),
    ignores: ['**/*.test.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            ...deepImportPatterns,
            {
              regex: '^node:',
              message: 'This package runs anywhere: Node I/O belongs in @vig/node-udp.',
            },
          ],
        },
      ],
    },
  },
  {
    files: ['**/*.js'],
    extends: [tseslint.configs.disableTypeChecked],
  },
);

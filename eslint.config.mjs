// @ts-check
import js from '@eslint/js';
import { defineConfig } from 'eslint/config';
import prettier from 'eslint-config-prettier';
import importX from 'eslint-plugin-import-x';
import tseslint from 'typescript-eslint';

/**
 * The layer rules of docs/ARCHITECTURE (README: Layout). Each zone names a folder (`target`)
 * and what it may not import (`from`), so a break shows in CI, not in review.
 */
const layer = (target, from, message) => ({ target, from, message });
const ALL_LAYERS = [
  './src/db',
  './src/http',
  './src/services',
  './src/mail',
  './src/web',
  './src/jobs',
  './src/reports',
  './src/lib',
];
const zones = [
  layer('./src/domain', ALL_LAYERS.concat('./src/contract'), 'domain is pure: it imports nothing of ours but itself.'),
  layer('./src/contract', ALL_LAYERS, 'the contract imports only the domain vocabularies and zod.'),
  layer(
    './src/web',
    ALL_LAYERS.filter((l) => l !== './src/web').concat('./src/domain'),
    'web imports only the contract and itself.',
  ),
  layer(
    './src/jobs',
    ['./src/db', './src/http', './src/mail', './src/web', './src/reports'],
    'jobs only trigger services.',
  ),
  layer('./src/http', ['./src/db'], 'http reaches data through services, never the database.'),
  layer('./src/mail', ['./src/db', './src/http', './src/services', './src/web'], 'mail takes plain data.'),
  layer('./src/services', ['./src/http', './src/web', './src/jobs'], 'services do not know their callers.'),
  layer(
    './src/db',
    ['./src/http', './src/services', './src/web', './src/jobs', './src/mail'],
    'db knows only the domain.',
  ),
  layer('./src/reports', ['./src/http', './src/db', './src/web'], 'reports render figures from services.'),
];

export default defineConfig(
  { ignores: ['dist/', 'node_modules/', 'coverage/', 'data/', '.tmp/', 'test-results/', 'docs/'] },
  js.configs.recommended,
  tseslint.configs.recommendedTypeChecked,
  {
    languageOptions: {
      parserOptions: {
        projectService: { allowDefaultProject: ['*.js', '*.mjs'] },
        tsconfigRootDir: import.meta.dirname,
      },
    },
    plugins: { 'import-x': importX },
    settings: {
      'import-x/extensions': ['.ts', '.tsx', '.js', '.mjs'],
      'import-x/parsers': { '@typescript-eslint/parser': ['.ts', '.tsx'] },
      'import-x/resolver-next': [importX.createNodeResolver({ extensions: ['.ts', '.tsx', '.js'] })],
    },
    linterOptions: { reportUnusedDisableDirectives: 'error' },
    rules: {
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/no-misused-promises': 'error',
      '@typescript-eslint/consistent-type-imports': ['error', { fixStyle: 'inline-type-imports' }],
      '@typescript-eslint/no-unused-vars': [
        'error',
        { argsIgnorePattern: '^_', varsIgnorePattern: '^_', caughtErrors: 'none' },
      ],
      'import-x/no-cycle': 'error',
      'import-x/no-restricted-paths': ['error', { zones }],
    },
  },
  {
    // supertest's `res.body` and page.evaluate's results are `any` by design; the tests check
    // them with expect(), so the no-unsafe-* family would only ask for casts that prove nothing.
    files: ['test/**/*.ts'],
    rules: {
      '@typescript-eslint/no-unsafe-member-access': 'off',
      '@typescript-eslint/no-unsafe-assignment': 'off',
      '@typescript-eslint/no-unsafe-argument': 'off',
      '@typescript-eslint/no-unsafe-call': 'off',
      '@typescript-eslint/no-unsafe-return': 'off',
    },
  },
  {
    files: ['**/*.js', '**/*.mjs'],
    extends: [tseslint.configs.disableTypeChecked],
    languageOptions: { globals: { module: 'writable', require: 'readonly', process: 'readonly' } },
  },
  prettier,
);

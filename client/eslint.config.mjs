import tseslint from 'typescript-eslint';

export default tseslint.config(
  { ignores: ['dist/**', 'out/**', 'node_modules/**'] },
  ...tseslint.configs.recommended,
  {
    rules: {
      '@typescript-eslint/no-explicit-any': 'off',
      eqeqeq: ['error', 'smart'],
      curly: 'error',
    },
  },
  {
    files: ['e2e/fakelint/*.js'], // a CommonJS extension, as VS Code loads it
    rules: { '@typescript-eslint/no-require-imports': 'off' },
  },
);

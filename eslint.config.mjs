// ESLint flat config: typescript-eslint's recommended rules, plus the project's own.
import tseslint from 'typescript-eslint';

const barrel = {
  name: '@cdktf/provider-aws',
  message:
    "The provider barrel loads every AWS resource class (~2 s, ~550 MB per process). Import '@cdktf/provider-aws/lib/<resource>' instead.",
};

export default tseslint.config(
  {
    ignores: [
      'node_modules/',
      'cdktf.out/',
      'cdktf.out.example/',
      'dist/',
      'plans/',
      'lib/',
      '.build/',
      'coverage/',
      '.gen/',
    ],
  },
  ...tseslint.configs.recommended,
  {
    rules: {
      'no-restricted-imports': ['error', { paths: [barrel] }],
      'no-restricted-syntax': [
        'error',
        {
          selector: "CallExpression[callee.name='require'][arguments.0.value='@cdktf/provider-aws']",
          message: barrel.message,
        },
        {
          selector: "ImportExpression[source.value='@cdktf/provider-aws']",
          message: barrel.message,
        },
      ],
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      'no-new': 'off',
    },
  },
  {
    files: ['**/*.cjs', '**/*.js'],
    languageOptions: {
      sourceType: 'commonjs',
      globals: {
        require: 'readonly',
        module: 'writable',
        __dirname: 'readonly',
        process: 'readonly',
        console: 'readonly',
      },
    },
    rules: { '@typescript-eslint/no-require-imports': 'off' },
  },
  {
    // The synth benchmark's baseline measures what a barrel import costs: the only exception.
    files: ['bench/baseline-barrel.cjs'],
    rules: { 'no-restricted-syntax': 'off' },
  },
);

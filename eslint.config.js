// Lint: TypeScript and Vue rules, size limits, and the arrows of DESIGN.md as import rules, so a
// renderer that reaches into Electron or an engine that reaches into the DOM fails the build.
import js from '@eslint/js'
import tseslint from 'typescript-eslint'
import vue from 'eslint-plugin-vue'
import globals from 'globals'

const NODE = { regex: '^node:', message: 'The engine runs in browsers too: no Node modules here.' }
const restrict = (...patterns) => ({
  'no-restricted-imports': ['error', { patterns }],
})
const no = (regex, message) => ({ regex, message })
const ENGINE = [
  NODE,
  no(
    '(^|/)(renderer|electron)/',
    'Arrows point one way: the engine imports no UI or desktop code.',
  ),
  no('^(vue|electron|rete)', 'The engine is pure TypeScript: no Vue, Electron or Rete.'),
]

export default tseslint.config(
  { ignores: ['out/**', 'dist/**', 'node_modules/**', 'test-results/**', 'playwright-report/**'] },
  js.configs.recommended,
  ...tseslint.configs.strict,
  ...vue.configs['flat/recommended'],
  {
    files: ['**/*.vue'],
    languageOptions: { parserOptions: { parser: tseslint.parser } },
  },
  {
    languageOptions: { globals: { ...globals.browser, ...globals.node } },
    rules: {
      'max-lines': ['error', { max: 500, skipBlankLines: true, skipComments: true }],
      complexity: ['error', 12],
      '@typescript-eslint/no-explicit-any': 'error',
      '@typescript-eslint/no-non-null-assertion': 'error',
      '@typescript-eslint/consistent-type-imports': 'error',
      'vue/multi-word-component-names': 'error',
      'vue/max-attributes-per-line': 'off',
      'vue/singleline-html-element-content-newline': 'off',
      'vue/html-self-closing': 'off',
    },
  },
  {
    files: ['engine/**/*.ts'],
    ignores: ['engine/**/*.test.ts', 'engine/**/*-node.ts', 'engine/host/cli.ts', 'engine/test/**'],
    rules: restrict(...ENGINE),
  },
  {
    files: ['engine/graph/**/*.ts', 'engine/protocol/**/*.ts'],
    ignores: ['**/*.test.ts'],
    rules: restrict(
      ...ENGINE,
      no(
        '(^|/)(autodiff|optim|passes|backends|data|io|host)(/|$)|(^|/)train/(?!settings$)',
        'engine/graph and engine/protocol may import only graph, ir, protocol, util and ' +
          'train/settings, so the ' +
          'studio bundle that validates while you type stays small.',
      ),
    ),
  },
  {
    files: ['renderer/**/*.ts', 'renderer/**/*.vue'],
    // Tests run in Node and may put a real engine host at the other end of the protocol.
    ignores: ['renderer/**/*.test.ts'],
    rules: restrict(
      NODE,
      no('^electron$', 'The renderer reaches the machine only through the Bridge.'),
      no('(^|/)electron/(?!bridge$)', 'The renderer may import only electron/bridge (types).'),
      no(
        '(^|/)engine/(?!graph/|protocol/|data/catalog$|data/spec$|data/csv-parse$|train/settings$|io/utf8$)',
        'The renderer talks to the engine through the protocol; it may import engine/graph, ' +
          'engine/protocol, the plain data modules data/catalog, data/spec, train/settings, ' +
          'data/csv-parse (a picked CSV previewed as the engine splits it) and io/utf8 ' +
          '(strict UTF-8 reading of a picked file).',
      ),
    ),
  },
  {
    // Playwright reads fixture dependencies from the destructuring pattern, even an empty one.
    files: ['e2e/**/*.ts'],
    rules: { 'no-empty-pattern': 'off' },
  },
  {
    files: ['electron/**/*.ts'],
    rules: restrict(no('(^|/)renderer/', 'Electron code shares only electron/bridge with the UI.')),
  },
)

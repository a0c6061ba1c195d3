// The engine's version, reported by `hello`; a unit test keeps it equal to package.json's.
export const ENGINE_VERSION = '0.1.0'

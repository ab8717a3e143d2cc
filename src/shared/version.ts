declare const OPENCODEX_VERSION: string;

/** Replaced at bundle time by esbuild (see scripts/build.mjs) and by vitest's `define`. */
export const VERSION: string = OPENCODEX_VERSION;

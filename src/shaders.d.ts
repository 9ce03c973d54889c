/** WGSL shader bodies imported as text (Vite `?raw`; also works under Vitest). */
declare module '*.wgsl?raw' {
  const source: string;
  export default source;
}

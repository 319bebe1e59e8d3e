// Vite's `?worker&url` import: the URL of a script Vite bundles on its own (same origin, no inline code).
declare module '*?worker&url' {
  const url: string;
  export default url;
}

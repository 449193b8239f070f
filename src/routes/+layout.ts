// Single-page app: everything renders in the browser (IndexedDB, OPFS and workers live there).
export const ssr = false;
export const prerender = false;

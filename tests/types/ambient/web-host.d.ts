// zhenzisms_web.js also runs in Node when the mini-program folder is loaded there (tests, SSR):
// it looks `process` up defensively. Declared loosely, for tsc only.
declare const process: any;
declare const __dirname: string;

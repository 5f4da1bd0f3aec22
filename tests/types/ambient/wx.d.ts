// The few globals of the mini-program runtime that pkg-template/miniprogram/ uses, for tsc only
// (docs/runtime.md). Loose on purpose: the simulator and the drop-in suites check behaviour;
// this only lets `tsc --checkJs` resolve the names.
declare const wx: any;
declare const WXWebAssembly: {
  instantiate(path: string, imports: WebAssembly.Imports): Promise<WebAssembly.Instance | WebAssembly.WebAssemblyInstantiatedSource>;
};

// libheif-js ships its ES module bundle (WASM inlined) without type declarations for that entry.
declare module 'libheif-js/libheif-wasm/libheif-bundle.mjs' {
	const factory: () => unknown;
	export default factory;
}

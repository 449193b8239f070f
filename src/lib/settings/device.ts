/** Logical cores of this device (workers and phones report it too); 1 when unknown. */
export const cores = typeof navigator !== 'undefined' ? navigator.hardwareConcurrency || 1 : 1;

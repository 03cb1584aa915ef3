// The kernel's dtype codes (src/dtype.ts keeps the same numbers, the one table on the TypeScript side).

export const INT8: i32 = 0;
export const UINT8: i32 = 1;
export const INT16: i32 = 2;
export const UINT16: i32 = 3;
export const INT32: i32 = 4;
export const UINT32: i32 = 5;
export const FLOAT32: i32 = 6;
export const FLOAT64: i32 = 7;

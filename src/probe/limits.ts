// The sizes a probe file may ask for. Text that sizes a computation (a range(), a list built by
// repeated concatenation, a contact count, nesting) is checked against these before any memory is
// spent, so hostile input is a coded error instead of an out-of-memory crash or a stack overflow.

/**
 * Most contacts one probe may have: 2^18 = 262,144, above the largest high-density arrays in use
 * (about 237,000 electrodes) and far above Neuropixels (5,120 sites).
 */
export const MAX_CONTACTS = 1 << 18;

/**
 * Most values a .prb file may build with range(), list() and `+` on lists, over the whole file
 * (16 times MAX_CONTACTS: room for several channel lists and their geometry).
 */
export const MAX_PRB_ITEMS = MAX_CONTACTS * 16;

/** Longest string a .prb file may build with `+` (characters). */
export const MAX_PRB_STRING = 1 << 20;

/** Deepest bracket nesting (and unary-sign chain) in a .prb file: CPython's parser stops at 200 too. */
export const MAX_PRB_NESTING = 200;

/** Deepest nesting of JSON arrays / objects in a probe file or dict (Python's default recursion limit). */
export const MAX_JSON_NESTING = 1000;

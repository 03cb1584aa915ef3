// The "spikewire/node" entry: everything of the universal entry, plus what needs Node's fs.
export * from './index.js';

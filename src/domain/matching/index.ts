export { plan } from './engine';
export { blockers } from './explain';
export { Problem } from './problem';
export { State } from './state';
export * from './types';

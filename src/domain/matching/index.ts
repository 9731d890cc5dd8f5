export { plan } from './engine';
export { blockers, strengths } from './explain';
export * from './reasons';
export { Problem } from './problem';
export { State } from './state';
export * from './types';

/** Users' files read safely: regular files only, within the size limits. */
export * from './limits';
export * from './regularFile';

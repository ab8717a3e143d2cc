/** `@` file search: a background index of the session directory's files and fuzzy matching against it. */
export { FileFinder, type FileMatch, type FileMatches, type FinderOptions } from './finder.js';
export { listFiles, MAX_FILES } from './walk.js';

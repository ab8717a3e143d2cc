/** Terminal input: raw bytes to key, text and paste events, parsed at one place. */
export { InputParser, cleanPaste, type InputEvent, type KeyEvent, type TextEvent, type PasteEvent } from './parser.js';
export { readInput, ENABLE_INPUT_MODES, DISABLE_INPUT_MODES, type InputStream, type InputOptions } from './terminal.js';

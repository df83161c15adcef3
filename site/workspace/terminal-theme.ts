/** Colours of the terminal, per Starlight theme; the pane's background in course.css matches. */
export interface TerminalColors {
  background: string;
  foreground: string;
  cursor: string;
  cursorAccent: string;
  selectionBackground: string;
  [ansi: string]: string;
}

const DARK: TerminalColors = {
  background: '#111318',
  foreground: '#e6e8ee',
  cursor: '#2496ed',
  cursorAccent: '#111318',
  selectionBackground: 'rgba(36, 150, 237, 0.35)',
};

const LIGHT: TerminalColors = {
  background: '#fbfcfe',
  foreground: '#1f2328',
  cursor: '#1572b6',
  cursorAccent: '#fbfcfe',
  selectionBackground: 'rgba(21, 114, 182, 0.25)',
  // xterm's default palette is made for dark backgrounds; these stay readable on white.
  black: '#24292f',
  red: '#cf222e',
  green: '#116329',
  yellow: '#7d4e00',
  blue: '#0969da',
  magenta: '#8250df',
  cyan: '#1b7c83',
  white: '#6e7781',
  brightBlack: '#57606a',
  brightRed: '#a40e26',
  brightGreen: '#1a7f37',
  brightYellow: '#633c01',
  brightBlue: '#0550ae',
  brightMagenta: '#6639ba',
  brightCyan: '#1b7c83',
  brightWhite: '#424a53',
};

/** The terminal colours for Starlight's `data-theme` ("light" or "dark"; anything else is dark). */
export function terminalTheme(theme: string | undefined): TerminalColors {
  return theme === 'light' ? LIGHT : DARK;
}

/**
 * The language id of a file from its name, for checking files outside VS Code (the command line):
 * the usual file extensions of the languages extractComments supports. In the editor the language
 * comes from VS Code instead.
 */

/** File extension (lower case, with the dot) to VS Code language id. */
const BY_EXTENSION: ReadonlyMap<string, string> = new Map(
  Object.entries({
    '.c': 'c',
    '.h': 'c',
    '.cc': 'cpp',
    '.cpp': 'cpp',
    '.cxx': 'cpp',
    '.c++': 'cpp',
    '.hh': 'cpp',
    '.hpp': 'cpp',
    '.hxx': 'cpp',
    '.h++': 'cpp',
    '.ino': 'cpp',
    '.cu': 'cuda-cpp',
    '.cuh': 'cuda-cpp',
    '.m': 'objective-c',
    '.mm': 'objective-cpp',
    '.cs': 'csharp',
    '.csx': 'csharp',
    '.java': 'java',
    '.js': 'javascript',
    '.mjs': 'javascript',
    '.cjs': 'javascript',
    '.jsx': 'javascriptreact',
    '.ts': 'typescript',
    '.mts': 'typescript',
    '.cts': 'typescript',
    '.tsx': 'typescriptreact',
    '.jsonc': 'jsonc',
    '.go': 'go',
    '.rs': 'rust',
    '.kt': 'kotlin',
    '.kts': 'kotlin',
    '.scala': 'scala',
    '.sc': 'scala',
    '.swift': 'swift',
    '.py': 'python',
    '.pyi': 'python',
    '.pyw': 'python',
    '.rb': 'ruby',
    '.rake': 'ruby',
    '.gemspec': 'ruby',
    '.php': 'php',
    '.sh': 'shellscript',
    '.bash': 'shellscript',
    '.zsh': 'shellscript',
    '.sql': 'sql',
    '.lua': 'lua',
    '.css': 'css',
    '.scss': 'scss',
    '.less': 'less',
    '.html': 'html',
    '.htm': 'html',
    '.xml': 'xml',
    '.xsd': 'xml',
    '.xsl': 'xsl',
    '.xslt': 'xsl',
    '.svg': 'svg',
    '.yaml': 'yaml',
    '.yml': 'yaml',
    '.md': 'markdown',
    '.markdown': 'markdown',
    '.txt': 'plaintext',
  }),
);

/** Whole file names (lower case) with a language. */
const BY_NAME: ReadonlyMap<string, string> = new Map(
  Object.entries({
    gemfile: 'ruby',
    rakefile: 'ruby',
  }),
);

/**
 * The language id of a file path (by its name, then its extension), or undefined when none of the
 * supported languages uses that extension. Both '/' and '\\' separate folders.
 */
export function languageOfPath(filePath: string): string | undefined {
  const name = filePath.slice(Math.max(filePath.lastIndexOf('/'), filePath.lastIndexOf('\\')) + 1).toLowerCase();
  const byName = BY_NAME.get(name);
  if (byName) return byName;
  const dot = name.lastIndexOf('.');
  return dot > 0 ? BY_EXTENSION.get(name.slice(dot)) : undefined;
}

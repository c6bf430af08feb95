import * as path from 'node:path';
import * as vscode from 'vscode';
import { isSupportedLanguage } from '../../core/comments';

/**
 * The language id of a file that is not open, from the languages every installed extension
 * contributes (file extensions and exact file names), limited to languages whose comments the
 * core can extract. Built once on first use.
 */
export class LanguageLookup {
  private byExtension: Map<string, string> | undefined;
  private byFileName: Map<string, string> | undefined;

  /** The language id for a file path, or undefined when its comments cannot be extracted. */
  languageOf(filePath: string): string | undefined {
    if (!this.byExtension || !this.byFileName) this.build();
    const base = path.basename(filePath).toLowerCase();
    const byName = this.byFileName?.get(base);
    if (byName) return byName;
    // Longest matching extension first: ".d.ts" before ".ts".
    for (let dot = base.indexOf('.'); dot >= 0; dot = base.indexOf('.', dot + 1)) {
      const language = this.byExtension?.get(base.slice(dot));
      if (language) return language;
    }
    return undefined;
  }

  private build(): void {
    this.byExtension = new Map();
    this.byFileName = new Map();
    for (const extension of vscode.extensions.all) {
      const languages: unknown = extension.packageJSON?.contributes?.languages;
      if (!Array.isArray(languages)) continue;
      for (const language of languages as { id?: string; extensions?: string[]; filenames?: string[] }[]) {
        if (!language.id || !isSupportedLanguage(language.id)) continue;
        for (const ext of language.extensions ?? [])
          if (!this.byExtension.has(ext.toLowerCase())) this.byExtension.set(ext.toLowerCase(), language.id);
        for (const name of language.filenames ?? [])
          if (!this.byFileName.has(name.toLowerCase())) this.byFileName.set(name.toLowerCase(), language.id);
      }
    }
  }
}

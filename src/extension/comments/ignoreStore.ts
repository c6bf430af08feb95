import * as vscode from 'vscode';

const COMMENTS_KEY = 'sentimentLens.ignoredComments';
const FILES_KEY = 'sentimentLens.ignoredFiles';

/**
 * Comments and files whose tone the user chose to ignore, kept in workspaceState so they survive
 * reloads. A comment is remembered by a key of its text (core commentKey), so it stays ignored when
 * the file is edited elsewhere or the comment moves; a file by its URI.
 */
export class IgnoreStore implements vscode.Disposable {
  private readonly changed = new vscode.EventEmitter<void>();
  /** Fires after the ignored comments or files changed. */
  readonly onDidChange = this.changed.event;

  constructor(private readonly state: vscode.Memento) {}

  /** Whether a comment (by its key) is ignored. */
  isCommentIgnored(key: string): boolean {
    return this.comments().includes(key);
  }

  /** Whether all comments of a file are ignored. */
  isFileIgnored(uri: vscode.Uri): boolean {
    return this.files().includes(uri.toString());
  }

  async ignoreComment(key: string): Promise<void> {
    if (this.isCommentIgnored(key)) return;
    await this.state.update(COMMENTS_KEY, [...this.comments(), key]);
    this.changed.fire();
  }

  async ignoreFile(uri: vscode.Uri): Promise<void> {
    if (this.isFileIgnored(uri)) return;
    await this.state.update(FILES_KEY, [...this.files(), uri.toString()]);
    this.changed.fire();
  }

  /** Forgets every ignored comment and file; returns how many entries there were. */
  async reset(): Promise<number> {
    const count = this.comments().length + this.files().length;
    await this.state.update(COMMENTS_KEY, undefined);
    await this.state.update(FILES_KEY, undefined);
    this.changed.fire();
    return count;
  }

  /** The stored entries, for the API and tests. */
  snapshot(): { comments: readonly string[]; files: readonly string[] } {
    return { comments: this.comments(), files: this.files() };
  }

  private comments(): string[] {
    return this.state.get<string[]>(COMMENTS_KEY, []);
  }

  private files(): string[] {
    return this.state.get<string[]>(FILES_KEY, []);
  }

  dispose(): void {
    this.changed.dispose();
  }
}

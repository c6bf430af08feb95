/**
 * The ids of the extension's commands. Imports nothing: the modules that name a command (status bar,
 * quick fixes, hovers) depend on this table, not on commands.ts, which imports their handlers.
 */

/** Every command the extension contributes; package.json's `contributes.commands` lists the same ids. */
export const commandIds = {
  highlightSelection: 'sentimentLens.highlightSelection',
  clearHighlights: 'sentimentLens.clearHighlights',
  checkComments: 'sentimentLens.checkComments',
  checkWorkspaceComments: 'sentimentLens.checkWorkspaceComments',
  showCommentTrajectory: 'sentimentLens.showCommentTrajectory',
  ignoreComment: 'sentimentLens.ignoreComment',
  ignoreFile: 'sentimentLens.ignoreFile',
  resetIgnored: 'sentimentLens.resetIgnored',
  trainOnWorkspaceFile: 'sentimentLens.trainOnWorkspaceFile',
  openTrainingPanel: 'sentimentLens.openTrainingPanel',
  switchModel: 'sentimentLens.switchModel',
  renameModel: 'sentimentLens.renameModel',
  deleteModel: 'sentimentLens.deleteModel',
  exportModel: 'sentimentLens.exportModel',
  importModel: 'sentimentLens.importModel',
  openSample: 'sentimentLens.openSample',
} as const;

/** One of the contributed command ids. */
export type CommandId = (typeof commandIds)[keyof typeof commandIds];

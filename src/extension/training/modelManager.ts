import * as path from 'node:path';
import * as vscode from 'vscode';
import type { ModelView } from '../../protocol/views';
import { Feature, FEATURE_IDS, featureName } from '../../protocol/features';
import { suggestModelName } from '../../protocol/modelNames';
import type { ConfigService } from '../config';
import type { ModelService } from '../modelService';
import { ModelEntry, ModelStore } from '../modelStore';

/**
 * Model management for the panel and the commands: the list with metrics and dates, making a
 * model active for a feature (the settings sentimentLens.<feature>.model, user-wide), and the
 * interactive rename / delete (with a modal confirmation) / export / import. Folders are changed
 * only through the ModelStore.
 */
export class ModelManager {
  constructor(
    private readonly store: ModelStore,
    private readonly models: ModelService,
    private readonly config: ConfigService,
    private readonly log: vscode.LogOutputChannel,
  ) {}

  /** Every installed model with its metrics, date and the features using it. */
  views(): ModelView[] {
    const active = Object.fromEntries(FEATURE_IDS.map((f) => [f, this.models.configuredName(f)])) as Record<
      Feature,
      string
    >;
    return this.store.list().map((entry) => ({
      name: entry.name,
      origin: entry.origin,
      ...this.store.summary(entry),
      activeFor: FEATURE_IDS.filter((f) => active[f] === entry.name),
    }));
  }

  /** Makes a model the one a feature uses (user settings), then tells the model service. */
  async activate(name: string, feature: Feature): Promise<void> {
    if (!this.store.find(name)) throw new Error(`no model named "${name}"`);
    await this.config.setModel(feature, name);
    this.store.notifyChanged();
    this.log.info(`model "${name}" is now used for ${featureName(feature)}`);
  }

  /** Deletes a user model without asking (the commands ask first); features using it go back to their default. */
  async delete(name: string): Promise<void> {
    const using = FEATURE_IDS.filter((f) => this.models.configuredName(f) === name);
    await this.store.delete(name);
    for (const feature of using) await this.config.setModel(feature, undefined);
    this.log.info(`deleted model "${name}"`);
  }

  /** Renames a user model; features using it follow the new name. */
  async rename(from: string, to: string): Promise<void> {
    const using = FEATURE_IDS.filter((f) => this.models.configuredName(f) === from);
    await this.store.rename(from, to);
    for (const feature of using) await this.config.setModel(feature, to);
    this.log.info(`renamed model "${from}" to "${to}"`);
  }

  /** Imports a model folder as a user model. */
  async import(folder: string, name: string): Promise<ModelEntry> {
    const entry = await this.store.import(folder, name);
    this.log.info(`imported model "${name}" from ${folder}`);
    return entry;
  }

  /** Lets the user choose a model (optionally only their own). */
  async pick(placeHolder: string, userOnly = false): Promise<string | undefined> {
    const items = this.views()
      .filter((m) => !userOnly || m.origin === 'user')
      .map((m) => ({
        label: m.name,
        description: [
          m.origin === 'bundled' ? 'bundled' : undefined,
          m.accuracy !== undefined ? `accuracy ${(m.accuracy * 100).toFixed(1)}%` : undefined,
          m.createdAt?.slice(0, 10),
        ]
          .filter(Boolean)
          .join(' · '),
        detail: m.activeFor.length ? `used for ${m.activeFor.map((f) => featureName(f)).join(' and ')}` : undefined,
      }));
    if (!items.length) {
      void vscode.window.showInformationMessage(
        userOnly
          ? 'Sentiment Lens: you have no trained or imported models yet.'
          : 'Sentiment Lens: no models are installed.',
      );
      return undefined;
    }
    return (await vscode.window.showQuickPick(items, { placeHolder }))?.label;
  }

  /** Command: choose a feature, then the model it uses. */
  async switchInteractive(name?: string, feature?: Feature): Promise<void> {
    const chosenFeature =
      feature ??
      (
        await vscode.window.showQuickPick(
          FEATURE_IDS.map((f) => ({ label: featureName(f), feature: f })),
          { placeHolder: 'Switch the model used for…' },
        )
      )?.feature;
    if (!chosenFeature) return;
    const chosen = name ?? (await this.pick(`Model to use for ${featureName(chosenFeature)}`));
    if (!chosen) return;
    await this.run(`switch the model for ${featureName(chosenFeature)}`, async () => {
      await this.activate(chosen, chosenFeature);
      void vscode.window.showInformationMessage(
        `Sentiment Lens: "${chosen}" is now used for ${featureName(chosenFeature)}.`,
      );
    });
  }

  /** Command: rename one of the user's models (asks for the new name). */
  async renameInteractive(name?: string): Promise<void> {
    const from = name ?? (await this.pick('Model to rename', true));
    if (!from) return;
    const to = await vscode.window.showInputBox({
      prompt: `New name for "${from}"`,
      value: from,
      validateInput: (value) => (value.trim() === from ? undefined : this.store.checkNewName(value.trim())),
    });
    if (!to || to.trim() === from) return;
    await this.run(`rename "${from}"`, () => this.rename(from, to.trim()));
  }

  /** Command: delete one of the user's models after a modal confirmation. */
  async deleteInteractive(name?: string): Promise<void> {
    const target = name ?? (await this.pick('Model to delete', true));
    if (!target) return;
    const answer = await vscode.window.showWarningMessage(
      `Delete the model "${target}"?`,
      {
        modal: true,
        detail: "Its folder is removed from the extension's storage. Features using it go back to the bundled model.",
      },
      'Delete',
    );
    if (answer !== 'Delete') return;
    await this.run(`delete "${target}"`, () => this.delete(target));
  }

  /** Command: copy a model's folder to a folder the user chooses. */
  async exportInteractive(name?: string): Promise<void> {
    const target = name ?? (await this.pick('Model to export'));
    if (!target) return;
    const folder = await vscode.window.showOpenDialog({
      canSelectFolders: true,
      canSelectFiles: false,
      openLabel: 'Export here',
      title: `Export "${target}" into…`,
    });
    if (!folder?.[0]) return;
    await this.run(`export "${target}"`, async () => {
      const written = await this.store.export(target, folder[0].fsPath);
      void vscode.window.showInformationMessage(`Sentiment Lens: exported "${target}" to ${written}.`);
    });
  }

  /** Command: import a model folder (ours, or Keras converted by the TensorFlow.js converter, with metadata.json). */
  async importInteractive(folderUri?: vscode.Uri): Promise<void> {
    const folder =
      folderUri ??
      (
        await vscode.window.showOpenDialog({
          canSelectFolders: true,
          canSelectFiles: false,
          openLabel: 'Import',
          title: 'Import a model folder (model.json, weights, metadata.json)',
        })
      )?.[0];
    if (!folder) return;
    const suggested = suggestModelName(path.basename(folder.fsPath), 'imported-model');
    const name = await vscode.window.showInputBox({
      prompt: 'Name of the imported model',
      value: suggested,
      validateInput: (value) => this.store.checkNewName(value.trim()),
    });
    if (!name) return;
    await this.run(`import ${folder.fsPath}`, async () => {
      await this.import(folder.fsPath, name.trim());
      void vscode.window.showInformationMessage(`Sentiment Lens: imported "${name.trim()}".`);
    });
  }

  /** Runs an action; on failure shows one short message and logs the whole error. */
  private async run(what: string, action: () => Promise<void>): Promise<void> {
    try {
      await action();
    } catch (error) {
      this.log.error(`could not ${what}: ${(error as Error).stack ?? String(error)}`);
      void vscode.window.showErrorMessage(`Sentiment Lens: could not ${what}: ${(error as Error).message}`);
    }
  }
}

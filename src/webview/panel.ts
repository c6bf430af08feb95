/**
 * The training panel's script (runs in the webview; no Node APIs). It renders the host's snapshot
 * section by section, keeps it with setState so the panel survives being hidden and a reload,
 * checks every message from the host, and sends the user's actions as typed messages.
 */
import type { LabelledFormat } from '../core/readers/types';
import { describeMessage } from '../protocol/guards';
import { FEATURES, featureName, featureShortName } from '../protocol/features';
import { labelTone } from '../protocol/labelTones';
import { MODEL_NAME_PATTERN, MODEL_NAME_RULE } from '../protocol/modelNames';
import { HostToPanel, isHostToPanel, LABELLED_FORMATS, PanelToHost } from '../protocol/panelMessages';
import { NumberSettingRow, PANEL_SETTINGS, PanelTrainingSettings } from '../protocol/trainingSettings';
import {
  bestEpochText,
  fileName,
  ModelView,
  PanelSnapshot,
  ReportView,
  RUNNING_STATUSES,
  RunView,
  SampleView,
  SourceView,
} from '../protocol/views';
import { lineChart, Series } from './charts';
import { byId, duration, h, percent, replaceChildren } from './dom';

interface VsCodeApi {
  postMessage(message: PanelToHost): void;
  getState(): unknown;
  setState(state: unknown): void;
}
declare function acquireVsCodeApi(): VsCodeApi;

const vscode = acquireVsCodeApi();

/** What the panel keeps across hide/show: the last snapshot. */
interface SavedState {
  readonly snapshot: PanelSnapshot;
}

let snapshot: PanelSnapshot | undefined;
let nextRequestId = 1;
/** JSON of what each section last rendered, so unchanged sections (and focus in them) are left alone. */
const rendered = new Map<string, string>();

function post(message: PanelToHost): void {
  vscode.postMessage(message);
}

function setNotice(text: string, kind: 'info' | 'error' = 'info'): void {
  const notice = byId('notice');
  notice.textContent = text;
  notice.className = text ? `notice notice-${kind}` : 'notice';
}

// ---- settings ---------------------------------------------------------------------------------

/**
 * The number field's attributes from its row: the step (the row's, 1 for integers, any otherwise) and
 * the bounds (inclusive ones as they are, exclusive ones one step inside).
 */
function numberAttributes(row: NumberSettingRow): { min?: number; max?: number; step: number | 'any' } {
  const step = row.step ?? (row.integer ? 1 : undefined);
  const inside = (bound: number | undefined, direction: 1 | -1) =>
    bound === undefined || step === undefined ? undefined : Number((bound + direction * step).toPrecision(12));
  return { min: row.min ?? inside(row.above, 1), max: row.max ?? inside(row.below, -1), step: step ?? 'any' };
}

function buildSettingsForm(): void {
  const form = byId<HTMLFormElement>('settings');
  if (form.childElementCount > 0) return;
  for (const field of PANEL_SETTINGS) {
    const id = `setting-${field.key}`;
    const helpId = `${id}-help`;
    let control: HTMLElement;
    if (field.kind === 'choice') {
      control = h(
        'select',
        { id, 'aria-describedby': helpId },
        ...field.choices.map((choice) => h('option', { value: choice.value }, choice.label)),
      );
    } else if (field.kind === 'boolean') {
      control = h('input', { id, type: 'checkbox', 'aria-describedby': helpId });
    } else {
      control = h('input', {
        id,
        type: 'number',
        ...numberAttributes(field),
        'aria-describedby': helpId,
        required: true,
      });
    }
    control.addEventListener('change', () => {
      const settings = readSettings();
      if (settings) post({ type: 'settings', settings });
    });
    form.append(
      h(
        'div',
        { class: `field field-${field.kind === 'boolean' ? 'checkbox' : field.kind}` },
        h('label', { for: id }, field.label),
        control,
        h('span', { id: helpId, class: 'help' }, field.help, h('span', { class: 'default', id: `${id}-default` })),
      ),
    );
  }
  form.addEventListener('submit', (event) => event.preventDefault());
}

function fillSettings(settings: PanelTrainingSettings, defaults: PanelTrainingSettings): void {
  buildSettingsForm();
  for (const field of PANEL_SETTINGS) {
    const control = byId<HTMLInputElement | HTMLSelectElement>(`setting-${field.key}`);
    const value = settings[field.key];
    if (control instanceof HTMLInputElement && control.type === 'checkbox') control.checked = Boolean(value);
    else if (document.activeElement !== control) control.value = String(value);
    byId(`setting-${field.key}-default`).textContent =
      ` Default: ${field.kind === 'boolean' ? (defaults[field.key] ? 'on' : 'off') : String(defaults[field.key])}.`;
  }
}

/** The form's settings, or undefined (with a notice) when a number is missing or invalid. */
function readSettings(): PanelTrainingSettings | undefined {
  const values: Record<string, unknown> = {};
  for (const field of PANEL_SETTINGS) {
    const control = byId<HTMLInputElement | HTMLSelectElement>(`setting-${field.key}`);
    if (field.kind === 'boolean') values[field.key] = (control as HTMLInputElement).checked;
    else if (field.kind === 'choice') values[field.key] = control.value;
    else {
      const number = Number(control.value);
      if (control.value.trim() === '' || !Number.isFinite(number)) {
        setNotice(`${field.label} must be a number.`, 'error');
        control.focus();
        return undefined;
      }
      values[field.key] = number;
    }
  }
  return values as unknown as PanelTrainingSettings;
}

// ---- data source ------------------------------------------------------------------------------

/** Most label rows the source view lists (a wrong label column can give thousands of labels). */
const MAX_LABEL_ROWS = 100;

const FORMAT_NAMES: Record<LabelledFormat, string> = {
  csv: 'CSV',
  tsv: 'TSV',
  jsonl: 'JSON Lines',
  labeltab: 'label<TAB>text',
  'polarity-pair': 'one sentence per line (pair of files)',
};

function renderSource(source: SourceView | undefined): void {
  const container = byId('source');
  byId('file-title').textContent = source
    ? source.title
    : 'No file chosen. Choose a labelled file (CSV, TSV, JSONL, label<TAB>text, or a .pos/.neg pair).';
  if (!source) {
    replaceChildren(container);
    return;
  }
  const labelEntries = Object.entries(source.labelCounts).sort((a, b) => b[1] - a[1]);
  const largest = labelEntries.reduce((most, [, n]) => Math.max(most, n), 1);
  replaceChildren(
    container,
    h(
      'p',
      { class: 'summary' },
      `${FORMAT_NAMES[source.format]} · ${source.encoding.toUpperCase()} · ${source.examples} usable example${source.examples === 1 ? '' : 's'}`,
    ),
    source.blocker
      ? h('div', { class: 'blocker', role: 'alert' }, `Cannot train on this file: ${source.blocker}`)
      : undefined,
    formatControls(source),
    h(
      'h3',
      {},
      source.problemsTotal
        ? `Problems (${source.problemsTotal}${source.problemsTotal > source.problems.length ? `, first ${source.problems.length} shown` : ''})`
        : 'Problems',
    ),
    source.problems.length
      ? h(
          'ul',
          { class: 'problems' },
          ...source.problems.map((problem) =>
            h(
              'li',
              { class: `problem problem-${problem.severity}` },
              h('span', { class: 'severity' }, problem.severity === 'error' ? 'Error' : 'Warning'),
              ' ',
              problem.line > 0
                ? lineLink(problem.file, problem.line, source)
                : h('span', { class: 'where' }, fileName(problem.file)),
              ': ',
              problem.reason,
            ),
          ),
        )
      : h('p', {}, 'None found.'),
    h('h3', {}, 'Labels'),
    labelEntries.length
      ? h(
          'table',
          { class: 'counts' },
          h(
            'thead',
            {},
            h(
              'tr',
              {},
              h('th', { scope: 'col' }, 'Label'),
              h('th', { scope: 'col' }, 'Examples'),
              h('th', { scope: 'col' }, h('span', { class: 'visually-hidden' }, 'Share')),
            ),
          ),
          h(
            'tbody',
            {},
            ...labelEntries
              .slice(0, MAX_LABEL_ROWS)
              .map(([label, count]) =>
                h(
                  'tr',
                  {},
                  h('td', {}, label),
                  h('td', { class: 'num' }, count),
                  h('td', {}, h('meter', { min: 0, max: largest, value: count, 'aria-label': `${label}: ${count}` })),
                ),
              ),
            labelEntries.length > MAX_LABEL_ROWS
              ? h('tr', {}, h('td', { colspan: 3 }, `… and ${labelEntries.length - MAX_LABEL_ROWS} more labels`))
              : undefined,
          ),
        )
      : h('p', {}, 'No labels found.'),
    h('h3', {}, `Preview (first ${source.preview.length} rows)`),
    source.preview.length
      ? h(
          'table',
          { class: 'preview' },
          h(
            'thead',
            {},
            h(
              'tr',
              {},
              h('th', { scope: 'col' }, 'Line'),
              h('th', { scope: 'col' }, 'Label'),
              h('th', { scope: 'col' }, 'Text'),
            ),
          ),
          h(
            'tbody',
            {},
            ...source.preview.map((row) =>
              h('tr', {}, h('td', { class: 'num' }, row.line), h('td', {}, row.label), h('td', {}, row.text)),
            ),
          ),
        )
      : h('p', {}, 'Nothing to preview.'),
  );
}

function lineLink(file: string, line: number, source: SourceView): HTMLElement {
  const text = source.source.kind === 'pair' ? `${fileName(file)} line ${line}` : `line ${line}`;
  const button = h('button', { type: 'button', class: 'link', title: `Open ${fileName(file)} at line ${line}` }, text);
  button.addEventListener('click', () => post({ type: 'openLocation', file, line }));
  return button;
}

function formatControls(source: SourceView): HTMLElement {
  if (source.source.kind === 'pair')
    return h(
      'p',
      { class: 'help' },
      'A pair of files, one sentence per line: every line of the .pos file is labelled positive, of the .neg file negative.',
    );
  const formatSelect = h(
    'select',
    { id: 'format' },
    ...LABELLED_FORMATS.map((f) => h('option', { value: f, selected: f === source.format }, FORMAT_NAMES[f])),
  );
  const parts: HTMLElement[] = [
    h(
      'div',
      { class: 'field' },
      h('label', { for: 'format' }, 'Format'),
      formatSelect,
      h('span', { class: 'help' }, 'Detected from the name and content; correct it if wrong.'),
    ),
  ];
  let read: () => Omit<Extract<PanelToHost, { type: 'reparse' }>, 'type' | 'requestId'> = () => ({
    format: formatSelect.value as LabelledFormat,
  });
  if ((source.format === 'csv' || source.format === 'tsv') && source.columns) {
    const columnOptions = (selected: number | undefined) =>
      source.columns!.map((name, i) => h('option', { value: i, selected: i === selected }, `${i + 1}: ${name}`));
    const header = h('input', { id: 'has-header', type: 'checkbox', checked: Boolean(source.hasHeader) });
    const text = h('select', { id: 'text-column' }, ...columnOptions(source.textColumn));
    const label = h('select', { id: 'label-column' }, ...columnOptions(source.labelColumn));
    parts.push(
      h('div', { class: 'field field-checkbox' }, h('label', { for: 'has-header' }, 'First row is a header'), header),
      h('div', { class: 'field' }, h('label', { for: 'text-column' }, 'Text column'), text),
      h('div', { class: 'field' }, h('label', { for: 'label-column' }, 'Label column'), label),
    );
    read = () => ({
      format: formatSelect.value as LabelledFormat,
      hasHeader: header.checked,
      textColumn: Number(text.value),
      labelColumn: Number(label.value),
    });
  } else if (source.format === 'jsonl') {
    const text = h('input', { id: 'text-field', type: 'text', value: source.textField ?? 'text' });
    const label = h('input', { id: 'label-field', type: 'text', value: source.labelField ?? 'label' });
    parts.push(
      h('div', { class: 'field' }, h('label', { for: 'text-field' }, 'Text field'), text),
      h('div', { class: 'field' }, h('label', { for: 'label-field' }, 'Label field'), label),
    );
    read = () => ({
      format: formatSelect.value as LabelledFormat,
      textColumn: text.value.trim() || undefined,
      labelColumn: label.value.trim() || undefined,
    });
  }
  const apply = h('button', { type: 'button', id: 'apply-format' }, 'Re-read with these choices');
  apply.addEventListener('click', () => {
    const chosen = read();
    // A new format: let the reader choose header and columns again.
    const sameFormat = chosen.format === source.format;
    post({ type: 'reparse', requestId: nextRequestId++, ...(sameFormat ? chosen : { format: chosen.format }) });
    setNotice('Reading the file again…');
  });
  return h('div', { class: 'format-controls' }, ...parts, h('div', { class: 'row' }, apply));
}

// ---- run, charts, report ------------------------------------------------------------------------

function renderRun(run: RunView, previous?: RunView): void {
  const running = RUNNING_STATUSES.has(run.status);
  // Bring the charts into view when a run starts, and the report when it ends.
  if (previous && !RUNNING_STATUSES.has(previous.status) && running)
    byId('progress-heading').scrollIntoView({ block: 'start' });
  if (previous && previous.status !== 'done' && run.status === 'done')
    queueMicrotask(() => byId('report-heading').scrollIntoView({ block: 'start' }));
  byId<HTMLButtonElement>('start').disabled = running || !snapshot?.source || Boolean(snapshot.source.blocker);
  byId<HTMLButtonElement>('cancel').disabled = !running;
  const status = byId('run-status');
  status.className = `run-status status-${run.status}`;
  status.textContent = runStatusText(run);
  const charts = byId('charts');
  if (run.status === 'idle') replaceChildren(charts);
  else replaceChildren(charts, ...buildCharts(run));
  const reportJson = JSON.stringify(run.report ?? null);
  if (rendered.get('report') !== reportJson) {
    rendered.set('report', reportJson);
    renderReport(run.report);
  }
}

function runStatusText(run: RunView): string {
  const time = `elapsed ${duration(run.elapsedSeconds)}${run.remainingSeconds !== undefined ? ` · about ${duration(run.remainingSeconds)} left` : ''}`;
  const network = run.member !== undefined ? ` network ${run.member} of ${run.members}` : '';
  switch (run.status) {
    case 'idle':
      return 'Not started.';
    case 'starting':
      return 'Starting the training worker…';
    case 'pretraining':
      return `Pretraining word vectors (skip-gram)${network} · ${time}`;
    case 'training':
      return `Training${network}: epoch ${run.epoch} of ${run.epochs}, batch ${run.batch} of ${run.batches} · ${time}`;
    case 'done':
      return run.message ?? `Finished in ${duration(run.elapsedSeconds)}.`;
    default:
      return run.message ?? run.status;
  }
}

function buildCharts(run: RunView): HTMLElement[] {
  const epochs = run.epochPoints.reduce((last, p) => Math.max(last, p.epoch), run.epochs);
  const training = [
    ...run.points,
    ...run.epochPoints.map((p) => ({ x: p.epoch, loss: p.loss, accuracy: p.accuracy })),
  ].sort((a, b) => a.x - b.x);
  const lossSeries: Series[] = [
    { name: 'training', className: 'series-training', points: training.map((p) => ({ x: p.x, y: p.loss })) },
    {
      name: 'validation',
      className: 'series-validation',
      points: run.epochPoints.map((p) => ({ x: p.epoch, y: p.validationLoss })),
      dots: true,
    },
  ];
  const accuracySeries: Series[] = [
    { name: 'training', className: 'series-training', points: training.map((p) => ({ x: p.x, y: p.accuracy })) },
    {
      name: 'validation',
      className: 'series-validation',
      points: run.epochPoints.map((p) => ({ x: p.epoch, y: p.validationAccuracy })),
      dots: true,
    },
  ];
  const last = run.epochPoints[run.epochPoints.length - 1];
  return [
    h(
      'figure',
      { class: 'chart-box' },
      lineChart('Loss', lossSeries, epochs, undefined, (y) => y.toFixed(2)),
    ),
    h(
      'figure',
      { class: 'chart-box' },
      lineChart('Accuracy', accuracySeries, epochs, 1, (y) => `${Math.round(y * 100)}%`),
    ),
    h(
      'p',
      { class: 'chart-summary' },
      last
        ? `After epoch ${last.epoch}: training loss ${last.loss.toFixed(3)}, accuracy ${percent(last.accuracy)}; validation loss ${last.validationLoss.toFixed(3)}, accuracy ${percent(last.validationAccuracy)}.`
        : 'Waiting for the first epoch to finish…',
    ),
  ];
}

function renderReport(report: ReportView | undefined): void {
  const container = byId('report');
  if (!report) {
    replaceChildren(container, h('p', {}, 'The report appears when a run finishes.'));
    return;
  }
  const labels = report.labels;
  const nameInput = h('input', {
    id: 'save-name',
    type: 'text',
    placeholder: 'my-model',
    required: true,
    pattern: MODEL_NAME_PATTERN,
    'aria-describedby': 'save-help',
  });
  const useFor = FEATURES.map((feature) => ({
    feature,
    box: h('input', { id: `save-${feature.id}`, type: 'checkbox', checked: feature.checkedOnSave }),
  }));
  const save = h('button', { type: 'button', id: 'save', class: 'primary', disabled: !report.saveable }, 'Save model');
  save.addEventListener('click', () => {
    const name = nameInput.value.trim();
    if (!name) {
      setNotice('Give the model a name first.', 'error');
      nameInput.focus();
      return;
    }
    const activateFor = useFor.filter(({ box }) => box.checked).map(({ feature }) => feature.id);
    post({ type: 'save', requestId: nextRequestId++, name, activateFor });
    setNotice(`Saving "${name}"…`);
  });
  replaceChildren(
    container,
    h(
      'p',
      { class: 'headline', id: 'report-accuracy' },
      `Validation accuracy ${percent(report.accuracy)}`,
      h(
        'span',
        { class: 'detail' },
        ` · macro-F1 ${report.macroF1.toFixed(3)} · ${bestEpochText(report)} · ${report.trainingExamples} training / ${report.validationExamples} validation examples · ${duration(report.seconds)}`,
      ),
    ),
    h(
      'div',
      { class: 'report-tables' },
      h(
        'table',
        { class: 'per-class' },
        h('caption', {}, 'Per class'),
        h(
          'thead',
          {},
          h(
            'tr',
            {},
            h('th', { scope: 'col' }, 'Class'),
            h('th', { scope: 'col' }, 'Precision'),
            h('th', { scope: 'col' }, 'Recall'),
            h('th', { scope: 'col' }, 'F1'),
            h('th', { scope: 'col' }, 'Support'),
          ),
        ),
        h(
          'tbody',
          {},
          ...labels.map((label) => {
            const m = report.perClass[label];
            return h(
              'tr',
              {},
              h('th', { scope: 'row' }, label),
              h('td', { class: 'num' }, m.precision.toFixed(3)),
              h('td', { class: 'num' }, m.recall.toFixed(3)),
              h('td', { class: 'num' }, m.f1.toFixed(3)),
              h('td', { class: 'num' }, m.support),
            );
          }),
        ),
      ),
      h(
        'table',
        { class: 'confusion' },
        h('caption', {}, 'Confusion matrix (rows: true label, columns: predicted)'),
        h('thead', {}, h('tr', {}, h('th', {}, ''), ...labels.map((label) => h('th', { scope: 'col' }, label)))),
        h(
          'tbody',
          {},
          ...report.confusion.map((row, i) =>
            h(
              'tr',
              {},
              h('th', { scope: 'row' }, labels[i]),
              ...row.map((n, j) => h('td', { class: `num ${i === j ? 'diagonal' : n > 0 ? 'off-diagonal' : ''}` }, n)),
            ),
          ),
        ),
      ),
    ),
    h('h3', {}, 'Validation sentences'),
    h(
      'p',
      { class: 'help' },
      'Each word is coloured by the label the model leans to after reading it, stronger for higher probability. Hover a word for its figures.',
    ),
    legend(labels),
    h('ul', { class: 'samples' }, ...report.samples.map((sample) => renderSample(sample, labels))),
    h('h3', {}, 'Save'),
    report.savedAs
      ? h('p', { class: 'saved', role: 'status' }, `Saved as "${report.savedAs}".`)
      : report.saveable
        ? h(
            'div',
            { class: 'save-form' },
            h(
              'div',
              { class: 'field' },
              h('label', { for: 'save-name' }, 'Model name'),
              nameInput,
              h('span', { id: 'save-help', class: 'help' }, `Use ${MODEL_NAME_RULE}.`),
            ),
            ...useFor.map(({ feature, box }) =>
              h('div', { class: 'field field-checkbox' }, h('label', { for: box.id }, `Use for ${feature.name}`), box),
            ),
            h('div', { class: 'row' }, save),
          )
        : h(
            'p',
            { class: 'help' },
            'This run can no longer be saved (the window was reloaded or the worker stopped); train again to save a model.',
          ),
  );
}

/** CSS class of a label's colour: positive-like green, negative-like red, others from a palette. */
function labelClass(label: string, index: number): string {
  const tone = labelTone(label);
  return tone === 'positive' ? 'tone-pos' : tone === 'negative' ? 'tone-neg' : `tone-c${index % 4}`;
}

function legend(labels: readonly string[]): HTMLElement {
  return h(
    'p',
    { class: 'legend-row' },
    ...labels.map((label, i) => h('span', { class: `token ${labelClass(label, i)} level-4` }, label)),
  );
}

function renderSample(sample: SampleView, labels: readonly string[]): HTMLElement {
  const words = sample.tokens.map((token) => {
    let best = 0;
    token.probabilities.forEach((p, i) => {
      if (p > token.probabilities[best]) best = i;
    });
    const p = token.probabilities[best];
    const level = p >= 0.9 ? 4 : p >= 0.75 ? 3 : p >= 0.6 ? 2 : 1;
    const figures = labels.map((label, i) => `${label} ${token.probabilities[i].toFixed(2)}`).join(', ');
    return h('span', { class: `token ${labelClass(labels[best], best)} level-${level}`, title: figures }, token.text);
  });
  const spaced: (HTMLElement | string)[] = [];
  words.forEach((word, i) => spaced.push(...(i ? [' ', word] : [word])));
  const correct = sample.gold === sample.predicted;
  return h(
    'li',
    { class: 'sample' },
    h('span', { class: 'sentence' }, ...spaced),
    h(
      'span',
      { class: `verdict ${correct ? 'correct' : 'wrong'}` },
      ` true: ${sample.gold} · predicted: ${sample.predicted} ${correct ? '(right)' : '(wrong)'}`,
    ),
  );
}

// ---- models -------------------------------------------------------------------------------------

function renderModels(models: readonly ModelView[]): void {
  const container = byId('models');
  if (!models.length) {
    replaceChildren(container, h('p', {}, 'No models installed.'));
    return;
  }
  const button = (text: string, label: string, message: PanelToHost) => {
    const b = h('button', { type: 'button', 'aria-label': label }, text);
    b.addEventListener('click', () => post(message));
    return b;
  };
  replaceChildren(
    container,
    h(
      'table',
      { class: 'models' },
      h(
        'thead',
        {},
        h(
          'tr',
          {},
          ...['Name', 'Kind', 'Accuracy', 'Date', 'Active for', 'Actions'].map((t) => h('th', { scope: 'col' }, t)),
        ),
      ),
      h(
        'tbody',
        {},
        ...models.map((model) =>
          h(
            'tr',
            {},
            h(
              'th',
              { scope: 'row' },
              model.name,
              model.problem ? h('span', { class: 'problem-error' }, ` (${model.problem})`) : undefined,
            ),
            h('td', {}, model.origin === 'bundled' ? 'bundled' : 'yours'),
            h('td', { class: 'num' }, percent(model.accuracy)),
            h('td', {}, model.createdAt ? model.createdAt.slice(0, 16).replace('T', ' ') : '–'),
            h('td', {}, model.activeFor.length ? model.activeFor.map(featureShortName).join(', ') : '–'),
            h(
              'td',
              { class: 'actions' },
              ...FEATURES.map(({ id }) =>
                model.activeFor.includes(id)
                  ? undefined
                  : button(`Use for ${featureShortName(id)}`, `Use ${model.name} for ${featureName(id)}`, {
                      type: 'activateModel',
                      name: model.name,
                      feature: id,
                    }),
              ),
              model.origin === 'user'
                ? button('Rename…', `Rename ${model.name}`, { type: 'renameModel', name: model.name })
                : undefined,
              model.origin === 'user'
                ? button('Delete…', `Delete ${model.name}`, { type: 'deleteModel', name: model.name })
                : undefined,
              button('Export…', `Export ${model.name}`, { type: 'exportModel', name: model.name }),
            ),
          ),
        ),
      ),
    ),
  );
}

// ---- messages and state -------------------------------------------------------------------------

function save(): void {
  if (snapshot) vscode.setState({ snapshot } satisfies SavedState);
}

function renderAll(): void {
  if (!snapshot) return;
  rendered.clear();
  fillSettings(snapshot.settings, snapshot.defaults);
  renderSource(snapshot.source);
  renderRun(snapshot.run);
  renderModels(snapshot.models);
  byId('limit').textContent =
    `Files up to ${Math.round(snapshot.maxFileBytes / (1024 * 1024))} MB; text files only (UTF-8 or Windows-1252).`;
  setNotice(snapshot.notice ?? '');
}

function onMessage(message: HostToPanel): void {
  switch (message.type) {
    case 'init':
      snapshot = message.snapshot;
      renderAll();
      break;
    case 'source':
      if (!snapshot) return;
      snapshot = { ...snapshot, source: message.source, notice: message.notice };
      renderSource(message.source);
      renderRun(snapshot.run);
      setNotice(message.notice ?? '', message.notice && message.source?.blocker ? 'error' : 'info');
      break;
    case 'settings':
      if (!snapshot) return;
      snapshot = { ...snapshot, settings: message.settings };
      fillSettings(message.settings, snapshot.defaults);
      break;
    case 'run': {
      if (!snapshot) return;
      const previous = snapshot.run;
      snapshot = { ...snapshot, run: message.run };
      renderRun(message.run, previous);
      break;
    }
    case 'models':
      if (!snapshot) return;
      snapshot = { ...snapshot, models: message.models };
      renderModels(message.models);
      break;
    case 'result':
      setNotice(message.message, message.outcome === 'ok' ? 'info' : 'error');
      break;
  }
  save();
}

window.addEventListener('message', (event: MessageEvent<unknown>) => {
  if (!isHostToPanel(event.data)) {
    console.warn(`Sentiment Lens panel: ignored ${describeMessage(event.data)} message`);
    return;
  }
  onMessage(event.data);
});

function isSavedState(value: unknown): value is SavedState {
  return (
    typeof value === 'object' &&
    value !== null &&
    isHostToPanel({ type: 'init', snapshot: (value as { snapshot?: unknown }).snapshot })
  );
}

byId('browse').addEventListener('click', () => post({ type: 'browse' }));
byId('import').addEventListener('click', () => post({ type: 'importModel' }));
byId('cancel').addEventListener('click', () => post({ type: 'cancel' }));
byId('reset').addEventListener('click', () => {
  if (!snapshot) return;
  fillSettings(snapshot.defaults, snapshot.defaults);
  post({ type: 'settings', settings: snapshot.defaults });
});
byId('start').addEventListener('click', () => {
  const settings = readSettings();
  if (!settings) return;
  setNotice('');
  post({ type: 'start', requestId: nextRequestId++, settings });
});

// Show what we had at once (hidden and shown again), then ask the host for the current state.
const saved = vscode.getState();
if (isSavedState(saved)) {
  snapshot = saved.snapshot;
  renderAll();
}
post({ type: 'ready' });

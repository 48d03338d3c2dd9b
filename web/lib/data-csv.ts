// nn.data.csv (TF.js tf.data.csv): a CSV file as a Dataset of rows, for the tutorials that read
// a table (the Boston housing example) and map it to {xs, ys} for fitDataset(). A row is an
// object of its columns' values (numbers, or strings where a field is not a number); with a
// column marked isLabel it is {xs: features, ys: labels}, as TF.js's. Lines are rows (a quoted
// field may hold the delimiter and "" for a quote (TF.js keeps both quotes there), not a line
// break, as in TF.js; empty lines are skipped, where TF.js stops with an error).
import { describe } from './describe';
import { Dataset, LazyIterator } from './data';
import type { DataType } from './tensor';
import { isNode, nodeFs } from './wasm-loader';

export interface ColumnConfig {
  /** An empty field is an error (always so for a label). */
  required?: boolean;
  /** float32 (the default for numbers), int32 (floored) or bool ('1' / 'true' are 1, else 0). */
  dtype?: DataType;
  /** The value of an empty field. */
  default?: number | string | boolean;
  /** The column goes to ys. */
  isLabel?: boolean;
}

export interface CSVConfig {
  /** The first line names the columns (default true). */
  hasHeader?: boolean;
  /** The columns' names (instead of, or over, the header's). */
  columnNames?: string[];
  columnConfigs?: Record<string, ColumnConfig>;
  /** Only the columns columnConfigs names. */
  configuredColumnsOnly?: boolean;
  /** The field separator (default ','). */
  delimiter?: string;
  /** Fields are separated by runs of spaces and tabs. */
  delimWhitespace?: boolean;
}

export type CSVValue = number | string | boolean | undefined;
export type CSVRow = Record<string, CSVValue> | { xs: Record<string, CSVValue>; ys: Record<string, CSVValue> };

const where = 'data.csv()';
function fail(message: string): never {
  throw new Error(`nnplay: ${where}: ${message}`);
}

async function readText(source: string): Promise<string> {
  const fileUrl = source.startsWith('file://');
  if (isNode() && (fileUrl || !/^[a-z][a-z0-9+.-]*:\/\//i.test(source))) {
    try {
      return await (await nodeFs()).readFile(fileUrl ? new URL(source) : source, 'utf8');
    } catch (err) {
      fail(`cannot read ${source}: ${(err as Error).message}`);
    }
  }
  let response: Response;
  try {
    response = await fetch(source);
  } catch (err) {
    fail(`cannot fetch ${source}: ${(err as Error).message}`);
  }
  if (!response.ok) fail(`fetching ${source} answered ${response.status} ${response.statusText}`);
  return response.text();
}

/** The fields of one line: delimiter-separated, a field in double quotes may hold the delimiter. */
function splitFields(line: string, config: CSVConfig): string[] {
  if (config.delimWhitespace) return line.trim().split(/[ \t]+/);
  const delimiter = config.delimiter ?? ',';
  const fields: string[] = [];
  let field = '';
  let quoted = false;
  for (let i = 0; i < line.length; i++) {
    const c = line[i];
    if (quoted) {
      if (c === '"' && line[i + 1] === '"') (field += '"', i++);
      else if (c === '"') quoted = false;
      else field += c;
    } else if (c === '"' && field === '') quoted = true;
    else if (line.startsWith(delimiter, i)) {
      fields.push(field);
      field = '';
      i += delimiter.length - 1;
    } else field += c;
  }
  fields.push(field);
  return fields;
}

function valueOf(text: string, name: string, config: ColumnConfig | undefined, line: string): CSVValue {
  if (text === '') {
    if (config?.default !== undefined) return config.default;
    if (config?.required || config?.isLabel) fail(`column ${JSON.stringify(name)} is required but empty in the line ${JSON.stringify(line)}`);
    return undefined;
  }
  const asBool = (): number => (text === '1' || text.toLowerCase() === 'true' ? 1 : 0);
  const n = Number(text);
  if (Number.isNaN(n)) return config?.dtype === 'bool' ? asBool() : text;
  if (config?.dtype === 'int32') return Math.floor(n);
  if (config?.dtype === 'bool') return asBool();
  return n;
}

/** A CSV file's rows (nn.data.csv() makes one). */
export class CSVDataset extends Dataset<CSVRow> {
  readonly #table: () => Promise<{ names: string[]; lines: string[] }>;
  readonly #configuredOnly: boolean;
  readonly #configs: Record<string, ColumnConfig>;

  constructor(source: string, config: CSVConfig = {}) {
    let parsed: Promise<{ names: string[]; lines: string[] }> | null = null;
    const table = (): Promise<{ names: string[]; lines: string[] }> => (parsed ??= CSVDataset.#read(source, config));
    super(async () => {
      const { names, lines } = await table();
      const configs = config.columnConfigs ?? {};
      let i = 0;
      return new LazyIterator<CSVRow>(async () => {
        while (i < lines.length && lines[i].trim() === '') i++;
        if (i >= lines.length) return { value: undefined, done: true };
        const line = lines[i++];
        const fields = splitFields(line, config);
        if (fields.length !== names.length) fail(`a row must have ${names.length} fields (one per column), got ${fields.length} in the line ${JSON.stringify(line)}`);
        const xs: Record<string, CSVValue> = {};
        const ys: Record<string, CSVValue> = {};
        names.forEach((name, k) => {
          const c = configs[name];
          if (config.configuredColumnsOnly && !c) return;
          (c?.isLabel ? ys : xs)[name] = valueOf(fields[k], name, c, line);
        });
        return { value: Object.keys(ys).length > 0 ? { xs, ys } : xs, done: false };
      });
    }, null);
    this.#table = table; // read on first use (iteration or columnNames()), once
    this.#configuredOnly = config.configuredColumnsOnly === true;
    this.#configs = config.columnConfigs ?? {};
  }

  static async #read(source: string, config: CSVConfig): Promise<{ names: string[]; lines: string[] }> {
    const lines = (await readText(source)).split(/\r?\n/);
    const hasHeader = config.hasHeader !== false;
    let names = config.columnNames;
    if (names !== undefined && (!Array.isArray(names) || names.some((n) => typeof n !== 'string'))) fail(`columnNames must be an array of strings, got ${describe(names)}`);
    if (hasHeader) {
      const header = lines.shift();
      if (header === undefined || header.trim() === '') fail(`${source} has no header line (pass hasHeader: false and columnNames)`);
      names ??= splitFields(header, config).map((n) => n.trim());
    } else if (!names) {
      fail('a file without a header (hasHeader: false) needs columnNames');
    }
    if (new Set(names).size !== names!.length) fail(`column names must be distinct, got ${JSON.stringify(names)}`);
    for (const key of Object.keys(config.columnConfigs ?? {})) {
      if (!names!.includes(key)) fail(`columnConfigs names ${JSON.stringify(key)}, which is not a column; the columns are ${JSON.stringify(names)}`);
    }
    return { names: names!, lines };
  }

  /** The columns' names (the header's, or columnNames; with configuredColumnsOnly, columnConfigs' keys, as TF.js). */
  async columnNames(): Promise<string[]> {
    const { names } = await this.#table();
    return this.#configuredOnly ? Object.keys(this.#configs) : [...names];
  }
}

/** nn.data.csv(url, config): the rows of the CSV file at url (fetched; in Node also a file path or file:// URL). */
export function csv(source: string, config: CSVConfig = {}): CSVDataset {
  if (typeof source !== 'string') fail(`source must be a URL or file path string, got ${describe(source)}`);
  if (typeof config !== 'object' || config === null) fail(`config must be an object, got ${describe(config)}`);
  const allowed = ['hasHeader', 'columnNames', 'columnConfigs', 'configuredColumnsOnly', 'delimiter', 'delimWhitespace'];
  for (const key of Object.keys(config)) if (!allowed.includes(key)) fail(`unknown option ${JSON.stringify(key)}; allowed: ${allowed.join(', ')}`);
  if (config.delimiter !== undefined && (typeof config.delimiter !== 'string' || config.delimiter === '')) fail(`delimiter must be a non-empty string, got ${describe(config.delimiter)}`);
  return new CSVDataset(source, config);
}

/**
 * What a reader of each output kind relies on, checked from the outside: a terminal sees no control character but the
 * renderer's own colours, GitHub sees one marker at the end and tables and code blocks that hold, an XML reader gets
 * well-formed XML 1.0, Prometheus gets lines of its text format. Small on purpose: each checks only the shapes
 * strata writes.
 */

/** The SGR codes style.ts writes; any other escape sequence in text output came from a value. */
// eslint-disable-next-line no-control-regex -- the escape character is what these codes start with
const OUR_COLOURS = /\u001b\[(?:1|2|22|31|32|33|36|39)m/g;
/** A control character (Unicode category Cc: U+0000–U+001F, U+007F–U+009F) other than a line feed. */
const CONTROL_BUT_LINE_FEED = /(?!\n)\p{Cc}/gu;

/** Control characters other than line feeds, once the renderer's own colour codes are taken out, as `\uXXXX`. */
export function rawControls(text: string): string[] {
  return [...(text.replace(OUR_COLOURS, '').match(CONTROL_BUT_LINE_FEED) ?? [])].map(
    (character) => `\\u${character.charCodeAt(0).toString(16).padStart(4, '0')}`,
  );
}

/**
 * Problems GitHub would render: a control character, a table row with another number of cells than its header or a
 * line breaking into a table, raw HTML other than strata's own `<details>`, `<summary>` and `<sub>`, a code block
 * closed early or never, and any `<!--` but the expected marker lines, the last of which ends the text.
 */
export function markdownProblems(markdown: string, markers: string[]): string[] {
  const problems: string[] = [];
  const lines = markdown.replace(/\n$/, '').split('\n');
  const markerLines: string[] = [];
  let fence: string | undefined;
  let columns: number | undefined;
  let openDetails = 0;
  for (const [index, line] of lines.entries()) {
    const where = `line ${index + 1} (${line.slice(0, 60)})`;
    if (rawControls(line).length > 0) problems.push(`${where}: a control character`);
    if (fence !== undefined) {
      if ((/^ {0,3}(`+)\s*$/.exec(line)?.[1]?.length ?? 0) >= fence.length) fence = undefined;
      else if (line.includes('<!--')) problems.push(`${where}: a comment opener in a code block`);
      continue;
    }
    const opening = /^ {0,3}(`{3,})[^`]*$/.exec(line);
    if (opening) {
      fence = opening[1];
      continue;
    }
    if (line.startsWith('|')) {
      const cells = cellCount(line);
      if (columns !== undefined && cells !== columns)
        problems.push(`${where}: ${cells} cells in a table of ${columns}`);
      columns ??= cells;
    } else {
      if (columns !== undefined && line !== '') problems.push(`${where}: a line breaks into the table above`);
      columns = undefined;
    }
    if (line.startsWith('<!--')) {
      markerLines.push(line);
      continue;
    }
    if (line.replace(/<\/?(details|summary|sub)>/g, '').includes('<')) problems.push(`${where}: raw HTML`);
    openDetails += (line.match(/<details>/g) ?? []).length - (line.match(/<\/details>/g) ?? []).length;
  }
  if (fence !== undefined) problems.push('a code block is never closed');
  if (openDetails !== 0) problems.push(`${openDetails} <details> never closed`);
  if (JSON.stringify(markerLines) !== JSON.stringify(markers))
    problems.push(`marker lines ${JSON.stringify(markerLines)}, not ${JSON.stringify(markers)}`);
  if (markdown.split('<!--').length - 1 !== markers.length) problems.push('a comment opener outside the marker lines');
  if (lines.at(-1) !== markers.at(-1)) problems.push('the last line is not the marker');
  return problems;
}

/** Cells of a table row: pipes not escaped by a backslash, less the one that opens the row. */
function cellCount(row: string): number {
  let pipes = 0;
  for (let index = 0; index < row.length; index += 1) {
    if (row[index] === '\\') index += 1;
    else if (row[index] === '|') pipes += 1;
  }
  return pipes - 1;
}

const XML_NAME = '[A-Za-z_][\\w.-]*';
const XML_REFERENCE = '&(?:lt|gt|amp|quot|apos|#\\d+|#x[0-9a-fA-F]+);';
const XML_TAG = new RegExp(`^<(/?)(${XML_NAME})(?:\\s+${XML_NAME}="(?:[^"<&]|${XML_REFERENCE})*")*\\s*(/?)>`);
const XML_CHARACTERS = /^[\t\n\r\u{20}-\u{d7ff}\u{e000}-\u{fffd}\u{10000}-\u{10ffff}]*$/u;

/** Well-formedness problems of an XML 1.0 document made of a declaration, elements, attributes and text. */
export function xmlProblems(xml: string): string[] {
  const problems: string[] = [];
  if (!XML_CHARACTERS.test(xml)) problems.push('a character XML 1.0 cannot carry');
  const open: string[] = [];
  let roots = 0;
  let rest = xml.replace(/^<\?xml version="1.0" encoding="UTF-8"\?>\n/, '');
  while (rest !== '') {
    const text = /^[^<]*/.exec(rest)![0];
    if (text.replace(new RegExp(XML_REFERENCE, 'g'), '').includes('&'))
      problems.push(`a bare & in ${text.slice(0, 60)}`);
    if (open.length === 0 && text.trim() !== '') problems.push('text outside the root element');
    rest = rest.slice(text.length);
    if (rest === '') break;
    const tag = XML_TAG.exec(rest);
    if (tag === null) {
      problems.push(`not a tag: ${rest.slice(0, 60)}`);
      break;
    }
    const [whole, closing, name, selfClosing] = tag;
    if (closing) {
      if (open.pop() !== name) problems.push(`</${name}> closes no open element`);
    } else {
      if (open.length === 0) roots += 1;
      if (!selfClosing) open.push(name!);
    }
    rest = rest.slice(whole.length);
  }
  if (open.length > 0) problems.push(`never closed: ${open.join(', ')}`);
  if (roots !== 1) problems.push(`${roots} root elements`);
  return problems;
}

export interface PrometheusSample {
  name: string;
  labels: Record<string, string>;
  value: string;
}

const METRIC_NAME = '[a-zA-Z_:][a-zA-Z0-9_:]*';
const LABEL_NAME = '[a-zA-Z_][a-zA-Z0-9_]*';
const LABEL_VALUE = '(?:[^"\\\\\\n]|\\\\[\\\\"n])*';
const LABEL = `${LABEL_NAME}="${LABEL_VALUE}"`;
const LABELS = new RegExp(`(${LABEL_NAME})="(${LABEL_VALUE})"`, 'g');
const SAMPLE_LINE = new RegExp(
  `^(${METRIC_NAME})\\{(${LABEL}(?:,${LABEL})*)?\\} (-?\\d+(?:\\.\\d+)?(?:e[+-]?\\d+)?|NaN|[+-]Inf)$`,
);
const COMMENT_LINE = new RegExp(
  `^# (?:HELP ${METRIC_NAME} (?:[^\\\\\\n]|\\\\[\\\\n])*|TYPE ${METRIC_NAME} (?:counter|gauge|histogram|summary|untyped))$`,
);

/** Parses the text exposition format strata writes (HELP, TYPE and labelled samples), unescaping label values. */
export function parsePrometheus(text: string): { problems: string[]; samples: PrometheusSample[] } {
  const problems: string[] = [];
  const samples: PrometheusSample[] = [];
  if (!text.endsWith('\n')) problems.push('no line feed at the end');
  for (const line of text.replace(/\n$/, '').split('\n')) {
    if (COMMENT_LINE.test(line)) continue;
    const sample = SAMPLE_LINE.exec(line);
    if (sample === null) {
      problems.push(`not a sample: ${line.slice(0, 80)}`);
      continue;
    }
    const labels: Record<string, string> = {};
    for (const [, key, value] of (sample[2] ?? '').matchAll(LABELS)) {
      labels[key!] = value!.replace(/\\(.)/g, (_escape, character: string) => (character === 'n' ? '\n' : character));
    }
    samples.push({ name: sample[1]!, labels, value: sample[3]! });
  }
  return { problems, samples };
}

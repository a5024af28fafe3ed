// The small grammar of rule conditions (docs/model.md section 5). Conditions come from scenario
// files, so they are parsed into a tree and evaluated by walking it: never evaluated as code.
//
//   condition  := conjunction ("or" conjunction)*
//   conjunction := comparison ("and" comparison)*
//   comparison := name op number | number op name
//   op         := "<" | "<=" | ">" | ">=" | "==" | "!="

export type Op = '<' | '<=' | '>' | '>=' | '==' | '!=';
export interface Comparison { readonly name: string; readonly op: Op; readonly value: number }
/** Disjunction of conjunctions: true when every comparison of some inner list holds. */
export type Condition = readonly (readonly Comparison[])[];

export class ConditionError extends Error {
  constructor(message: string, readonly position: number) {
    super(message);
    this.name = 'ConditionError';
  }
}

interface Token { kind: 'name' | 'number' | 'op' | 'word'; text: string; pos: number }

const TOKEN = /\s*(?:(<=|>=|==|!=|<|>)|([+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?)|([A-Za-z_][A-Za-z0-9_]*)|(\S))/y;
const FLIP: Record<Op, Op> = { '<': '>', '<=': '>=', '>': '<', '>=': '<=', '==': '==', '!=': '!=' };

function tokenize(text: string): Token[] {
  const out: Token[] = [];
  TOKEN.lastIndex = 0;
  while (TOKEN.lastIndex < text.length) {
    const start = TOKEN.lastIndex;
    const m = TOKEN.exec(text);
    if (!m) break;
    const pos = start + (m[0].length - m[0].trimStart().length);
    if (m[1]) out.push({ kind: 'op', text: m[1], pos });
    else if (m[2]) out.push({ kind: 'number', text: m[2], pos });
    else if (m[3]) out.push({ kind: m[3] === 'and' || m[3] === 'or' ? 'word' : 'name', text: m[3], pos });
    else if (m[4]) throw new ConditionError(`unexpected character "${m[4]}"`, pos);
  }
  return out;
}

/** Parses a condition; `isName` says which names exist, so a typo is caught when the file is read. */
export function parseCondition(text: string, isName: (name: string) => boolean): Condition {
  const tokens = tokenize(text);
  let i = 0;
  const expect = (what: string): never => {
    const t = tokens[i];
    throw new ConditionError(t ? `expected ${what}, found "${t.text}"` : `expected ${what}, found the end`, t ? t.pos : text.length);
  };
  const comparison = (): Comparison => {
    const a = tokens[i];
    const op = tokens[i + 1];
    const b = tokens[i + 2];
    if (!a || (a.kind !== 'name' && a.kind !== 'number')) expect('a metric name or a number');
    if (!op || op.kind !== 'op') { i += 1; expect('a comparison (<, <=, >, >=, ==, !=)'); }
    const nameTok = a!.kind === 'name' ? a! : b;
    const numTok = a!.kind === 'name' ? b : a!;
    if (!b || (a!.kind === 'name' ? b.kind !== 'number' : b.kind !== 'name')) {
      i += 2;
      expect(a!.kind === 'name' ? 'a number' : 'a metric name');
    }
    if (!isName(nameTok!.text)) throw new ConditionError(`unknown metric "${nameTok!.text}"`, nameTok!.pos);
    i += 3;
    const o = op!.text as Op;
    return { name: nameTok!.text, op: a!.kind === 'name' ? o : FLIP[o], value: Number(numTok!.text) };
  };
  if (tokens.length === 0) expect('a comparison');
  const result: Comparison[][] = [[comparison()]];
  while (i < tokens.length) {
    const w = tokens[i]!;
    if (w.kind !== 'word') expect('"and" or "or"');
    i += 1;
    if (w.text === 'or') result.push([]);
    result[result.length - 1]!.push(comparison());
  }
  return result;
}

function holds(c: Comparison, x: number): boolean {
  switch (c.op) {
    case '<': return x < c.value;
    case '<=': return x <= c.value;
    case '>': return x > c.value;
    case '>=': return x >= c.value;
    case '==': return x === c.value;
    case '!=': return x !== c.value;
  }
}

export function evaluateCondition(cond: Condition, value: (name: string) => number): boolean {
  return cond.some((all) => all.every((c) => holds(c, value(c.name))));
}

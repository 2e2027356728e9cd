import type { HttpCheck, NatCheck, PingCheck, TcpCheck } from '../model/types.js';
import type { RunResult } from '../exec/executor.js';
import { firstLine, type Observation } from './observation.js';
import { ConnectAnswer, HttpAnswer as HttpAnswerSchema, jsonLines, lastJson } from './probe-output.js';
import { linearRegex } from '../model/safe-regex.js';

/** ping's exit codes separate loss (1) from "no route at the sender" (2, "Network is unreachable"). */
export function evaluatePing(check: Pick<PingCheck, 'expect'>, result: RunResult): Observation {
  const text = `${result.stdout}\n${result.stderr}`;
  const summary = /(\d+) packets transmitted, (\d+) received[^\n]*/.exec(text)?.[0] ?? '';
  const seen = (outcome: string, detail: string): Observation => ({ outcome, detail, pass: outcome === check.expect });
  if (result.exitCode === 0) return seen('reply', summary);
  if (/Network is unreachable/.test(text)) return seen('unreachable', 'connect: Network is unreachable');
  if (result.exitCode === 1) {
    const icmp = /(Destination (?:Net|Host|Port) Unreachable|Packet filtered)/.exec(text)?.[1];
    return seen('no-reply', `${summary || 'no reply'}${icmp ? ` (${icmp})` : ''}`);
  }
  return seen('error', firstLine(result.stderr) || `ping exited ${result.exitCode}`);
}

export function evaluateTcp(check: Pick<TcpCheck, 'expect'>, result: RunResult): Observation {
  const parsed = lastJson(ConnectAnswer, result.stdout);
  if (!parsed) return { outcome: 'error', detail: firstLine(result.stderr) || `probe exited ${result.exitCode}`, pass: false };
  return { outcome: parsed.outcome, detail: `${parsed.code ?? parsed.outcome} after ${parsed.ms} ms`, pass: parsed.outcome === check.expect };
}

export interface HttpAnswer {
  readonly outcome: string;
  readonly status?: number;
  readonly body?: string;
  readonly node?: string;
  readonly source?: string;
  readonly local?: string;
  readonly code?: string;
  readonly ms: number;
}

export function parseHttp(result: RunResult): HttpAnswer[] | null {
  const answers = jsonLines(HttpAnswerSchema, result.stdout);
  return answers && answers.length > 0 ? answers : null;
}

const short = (text: string) => JSON.stringify(text.trim().length > 60 ? `${text.trim().slice(0, 57)}...` : text.trim());

/** the body as it came, escapes visible (a final newline shows as \\n), cut at 200 characters */
const received = (body: string) => JSON.stringify(body.length > 200 ? `${body.slice(0, 200)}...` : body);
export const withoutFinalNewline = (body: string) => body.replace(/\r?\n$/, '');

/** Who answered: netlab's http service names its node; any other server is told apart by its body. */
function responderOf(a: HttpAnswer): string {
  return a.node ?? short(a.body ?? '');
}

export function evaluateHttp(check: Pick<HttpCheck, 'expect' | 'status' | 'body' | 'match' | 'responders' | 'requests'>, result: RunResult): Observation {
  const answers = parseHttp(result);
  if (!answers) return { outcome: 'error', detail: firstLine(result.stderr) || `probe exited ${result.exitCode}`, pass: false };
  const failed = answers.filter((a) => a.outcome !== 'response');
  const counts = new Map<string, number>();
  for (const a of answers) if (a.outcome === 'response') counts.set(responderOf(a), (counts.get(responderOf(a)) ?? 0) + 1);
  const spread = [...counts].map(([who, n]) => `${who} ${n}`).join(', ');
  const data = { answers: answers.length, responses: answers.length - failed.length, responders: Object.fromEntries(counts) };
  if (check.expect !== 'response') {
    const first = answers[0] as HttpAnswer;
    const outcome = failed.length === answers.length ? (first.outcome) : 'response';
    return { outcome, detail: failed.length ? `${first.code ?? first.outcome} after ${first.ms} ms` : `HTTP ${first.status}`, pass: outcome === check.expect && failed.every((a) => a.outcome === check.expect), data };
  }
  if (failed.length > 0) {
    const f = failed[0] as HttpAnswer;
    const outcome = failed.length === answers.length ? f.outcome : 'response';
    return { outcome, detail: `${failed.length} of ${answers.length} request${answers.length === 1 ? '' : 's'} failed: ${f.code ?? f.outcome} after ${f.ms} ms${spread ? `; answered: ${spread}` : ''}`, pass: false, data };
  }
  const problems: string[] = [];
  const statuses = [...new Set(answers.map((a) => a.status))];
  if (check.status !== undefined && statuses.some((s) => s !== check.status)) problems.push(`status ${statuses.join('/')}, not ${check.status}`);
  if (check.body !== undefined) {
    const miss = answers.filter((a) => !(a.body ?? '').includes(check.body as string));
    if (miss.length) problems.push(`body as received ${received(miss[0]?.body ?? '')} does not contain ${JSON.stringify(check.body)}`);
  }
  if (check.match !== undefined) {
    // RE2: linear in the body, which the lab's own server chose; each distinct body is matched once
    const matches = linearRegex(check.match);
    const seen = new Map<string, boolean>();
    const miss = answers.find((a) => {
      // a server ends its body with a newline the report does not show: `$` anchors before it
      const body = withoutFinalNewline(a.body ?? '');
      if (!seen.has(body)) seen.set(body, matches(body));
      return seen.get(body) === false;
    });
    if (miss) problems.push(`body as received ${received(miss.body ?? '')} does not match /${check.match}/ (matched without its final newline)`);
  }
  if (check.responders !== undefined && counts.size < check.responders) problems.push(`${counts.size} distinct responder${counts.size === 1 ? '' : 's'}, expected at least ${check.responders}`);
  const summary = answers.length === 1 ? `HTTP ${statuses[0]} ${short((answers[0] as HttpAnswer).body ?? '')}` : `${answers.length} responses (HTTP ${statuses.join('/')}) from ${spread}`;
  return { outcome: 'response', detail: problems.length ? `${problems.join('; ')} (${summary})` : summary, pass: problems.length === 0, data };
}

/** The far end reports the source it saw; "original" is the address the sender's socket used. */
export function evaluateNat(check: Pick<NatCheck, 'expect'>, result: RunResult): Observation {
  const answers = parseHttp(result);
  const a = answers?.[0];
  if (!a) return { outcome: 'error', detail: firstLine(result.stderr) || `probe exited ${result.exitCode}`, pass: false };
  if (a.outcome !== 'response') return { outcome: a.outcome, detail: `the request failed: ${a.code ?? a.outcome} after ${a.ms} ms`, pass: false };
  const seen = a.source ?? firstLine(a.body ?? '');
  const original = a.local;
  const data = { seen, sent: original };
  if (!seen) return { outcome: 'error', detail: 'the responder did not report a source (is it netlab\'s http service?)', pass: false, data };
  const translated = seen !== original;
  const pass = check.expect === 'original' ? !translated : check.expect === 'translated' ? translated : seen === check.expect;
  return { outcome: seen, detail: `sent from ${original ?? '?'}, the far end saw ${seen}${translated ? ' (translated)' : ' (not translated)'}`, pass, data };
}

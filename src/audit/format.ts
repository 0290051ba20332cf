import { z } from 'zod';
import { markdownCell } from '../text/cells.js';
import { findingKinds, type AuditResult, type Finding } from './findings.js';
import { groupBy } from '../text/group.js';
import { markupText } from '../text/markup.js';
import { plural } from '../text/names.js';

/**
 * The outputs of `scomfw audit`: JSON (the schema below, committed as schema/audit.schema.json), a table and
 * Markdown in words, JUnit (one test case per planned flow and per port checked), SARIF 2.1.0 (findings at the
 * export's lines, for code-scanning views).
 */
export const auditFormats = ['table', 'json', 'markdown', 'junit', 'sarif'] as const;
export type AuditFormat = (typeof auditFormats)[number];

export const auditFormatName = 'scomfw-audit';
export const auditVersion = 1;

const ruleSchema = z
  .object({
    export: z.string().describe('the export file as given on the command line'),
    line: z.int().min(1).describe('1-based line of the deciding rule in the export'),
    column: z.int().min(1).optional().describe('1-based column, where a line holds several rules (compact JSON)'),
    text: z.string().describe('the rule, one line'),
  })
  .strict();

export const findingSchema = z
  .object({
    kind: z.enum(findingKinds),
    severity: z.enum(['error', 'warning']),
    host: z.string().describe('the host, zone pair (a--b) or cloud export whose firewall the finding is about'),
    flow: z
      .object({
        id: z.string(),
        source: z.object({ name: z.string() }).strict(),
        destination: z.object({ name: z.string() }).strict(),
        protocol: z.enum(['tcp', 'udp', 'icmp']),
        ports: z.object({ from: z.int().min(1).max(65535), to: z.int().min(1).max(65535) }).strict().nullable(),
      })
      .strict()
      .optional()
      .describe('the planned flow (missing, partly-open, stale-install, undecidable)'),
    witness: z
      .object({
        source: z.string(),
        destination: z.string(),
        protocol: z.string().describe('tcp, udp, icmp, ipv6-icmp or a protocol number'),
        port: z.int().min(0).max(65535).nullable().describe('destination port; for ICMP the message type (8: echo request)'),
      })
      .strict()
      .nullable()
      .describe('one packet that shows the finding (null for shadowed and redundant rules)'),
    rule: ruleSchema.nullable().describe('the deciding rule; null when a default decided (named in the message)'),
    message: z.string(),
  })
  .strict();

export const auditFileSchema = z
  .object({
    format: z.literal(auditFormatName),
    version: z.literal(auditVersion),
    managementGroup: z.string(),
    catalog: z.string(),
    phase: z.enum(['install', 'operate']),
    findings: z.array(findingSchema),
    summary: z
      .object({
        exports: z.array(z.string()),
        scopes: z.array(z.string()).describe('the hosts, zone pairs and cloud exports audited'),
        flowsChecked: z.int().min(0),
        portsChecked: z.int().min(0),
        errors: z.int().min(0),
        warnings: z.int().min(0),
        byKind: z.object(Object.fromEntries(findingKinds.map((k) => [k, z.int().min(0)])) as Record<(typeof findingKinds)[number], z.ZodInt>).strict(),
      })
      .strict(),
  })
  .strict()
  .describe('scomfw audit findings, version 1');

export type AuditFile = z.infer<typeof auditFileSchema>;

export function auditJsonSchema(): Record<string, unknown> {
  const schema = z.toJSONSchema(auditFileSchema, { target: 'draft-2020-12' });
  return { $schema: schema.$schema, title: 'scomfw audit findings', ...schema };
}

export interface AuditMeta {
  readonly managementGroup: string;
  readonly catalog: string;
}

export function formatAudit(result: AuditResult, format: AuditFormat, meta: AuditMeta): string {
  switch (format) {
    case 'json':
      return `${JSON.stringify(auditDocument(result, meta), null, 2)}\n`;
    case 'table':
      return tableText(result);
    case 'markdown':
      return markdownText(result, meta);
    case 'junit':
      return junitText(result);
    case 'sarif':
      return `${JSON.stringify(sarifDocument(result), null, 2)}\n`;
  }
}

export function auditDocument(result: AuditResult, meta: AuditMeta): AuditFile {
  return {
    format: auditFormatName,
    version: auditVersion,
    managementGroup: meta.managementGroup,
    catalog: meta.catalog,
    phase: result.phase,
    findings: result.findings.map((f) => ({ ...f, rule: f.rule ? { ...f.rule } : null }) as AuditFile['findings'][number]),
    summary: { ...result.summary, exports: [...result.summary.exports], scopes: [...result.summary.scopes] },
  };
}

function summaryLine(result: AuditResult): string {
  const s = result.summary;
  const kinds = findingKinds.filter((k) => s.byKind[k] > 0).map((k) => `${s.byKind[k]} ${k}`);
  return (
    `${plural(s.flowsChecked, 'planned flow')} and ${plural(s.portsChecked, 'port')} checked on ${s.scopes.join(', ') || 'nothing'} (phase ${result.phase}): ` +
    (kinds.length === 0 ? 'no findings.' : `${plural(s.errors, 'error')}, ${plural(s.warnings, 'warning')} (${kinds.join(', ')}).`)
  );
}

function tableText(result: AuditResult): string {
  const lines = result.findings.map((f) => `${f.severity === 'error' ? 'ERROR' : 'warn '} ${f.kind.padEnd(15)} ${f.message}`);
  return `${[...lines, ...(lines.length > 0 ? [''] : []), summaryLine(result)].join('\n')}\n`;
}

function markdownText(result: AuditResult, meta: AuditMeta): string {
  const out = [`# Firewall audit of management group ${markdownCell(meta.managementGroup)}`, '', summaryLine(result), ''];
  if (result.findings.length > 0) {
    out.push('| Severity | Kind | Host | Finding | Rule |', '|---|---|---|---|---|');
    for (const f of result.findings) {
      const rule = f.rule ? `${f.rule.export}:${f.rule.line}` : 'default';
      out.push(`| ${f.severity} | ${f.kind} | ${markdownCell(f.host)} | ${markdownCell(f.message)} | ${markdownCell(rule)} |`);
    }
    out.push('');
  }
  return out.join('\n');
}

const xml = markupText;

function junitText(result: AuditResult): string {
  const byScope = groupBy(result.checks, (c) => c.host);
  const extra = result.findings.filter((f) => f.kind === 'shadowed' || f.kind === 'redundant');
  const suites = [...byScope].map(([scope, checks]) => {
    const failures = checks.filter((c) => c.findings.some((f) => f.severity === 'error')).length;
    const cases = checks.map((c) => {
      const errors = c.findings.filter((f) => f.severity === 'error');
      const body = errors.map((f) => `      <failure type="${xml(f.kind)}" message="${xml(f.message)}">${xml(findingDetail(f))}</failure>`).join('\n');
      const name = `${c.kind === 'flow' ? 'flow' : 'port'} ${c.name}`;
      return body ? `    <testcase classname="audit.${xml(scope)}" name="${xml(name)}">\n${body}\n    </testcase>` : `    <testcase classname="audit.${xml(scope)}" name="${xml(name)}"/>`;
    });
    const warnings = extra.filter((f) => f.host === scope).map((f) => `    <system-out>${xml(`${f.kind}: ${f.message}`)}</system-out>`);
    return `  <testsuite name="${xml(scope)}" tests="${checks.length}" failures="${failures}">\n${[...cases, ...warnings].join('\n')}\n  </testsuite>`;
  });
  const failures = result.checks.filter((c) => c.findings.some((f) => f.severity === 'error')).length;
  return `<?xml version="1.0" encoding="UTF-8"?>\n<testsuites name="scomfw audit" tests="${result.checks.length}" failures="${failures}">\n${suites.join('\n')}\n</testsuites>\n`;
}

function findingDetail(f: Finding): string {
  const w = f.witness ? `witness: ${f.witness.protocol} ${f.witness.source} -> ${f.witness.destination}${f.witness.port !== null ? ` port ${f.witness.port}` : ''}` : '';
  const r = f.rule ? `rule: ${f.rule.export}:${f.rule.line} ${f.rule.text}` : 'rule: a default';
  return [w, r].filter(Boolean).join('\n');
}

const ruleDescriptions: Readonly<Record<(typeof findingKinds)[number], string>> = {
  missing: 'A planned flow that no packet of gets through.',
  'partly-open': 'A planned flow that some of its sources get through and some do not.',
  'over-permissive': 'A port the plan opens on a host, reachable from an address no planned flow to that port names.',
  'stale-install': 'An install-only flow still open in operation.',
  undecidable: 'A rule the audit does not understand decides packets of a planned flow or port.',
  shadowed: 'A scomfw rule no packet can reach.',
  redundant: 'A scomfw rule whose packets would get the same verdict without it.',
};

const sarifRules = findingKinds.map((kind) => ({
  id: `scomfw/${kind}`,
  name: kind,
  shortDescription: { text: ruleDescriptions[kind] },
  helpUri: 'https://github.com/scomfw/scomfw/blob/main/docs/audit.md',
}));

function sarifDocument(result: AuditResult): Record<string, unknown> {
  return {
    $schema: 'https://json.schemastore.org/sarif-2.1.0.json',
    version: '2.1.0',
    runs: [
      {
        tool: { driver: { name: 'scomfw audit', informationUri: 'https://github.com/scomfw/scomfw', rules: sarifRules } },
        results: result.findings.map((f) => ({
          ruleId: `scomfw/${f.kind}`,
          ruleIndex: findingKinds.indexOf(f.kind),
          level: f.severity === 'error' ? 'error' : 'warning',
          message: { text: f.message },
          ...(f.rule
            ? {
                locations: [
                  {
                    physicalLocation: {
                      artifactLocation: { uri: f.rule.export },
                      region: { startLine: f.rule.line, ...(f.rule.column ? { startColumn: f.rule.column } : {}) },
                    },
                  },
                ],
              }
            : {}),
          properties: { host: f.host, ...(f.flow ? { flow: f.flow.id } : {}), ...(f.witness ? { witness: f.witness } : {}) },
        })),
      },
    ],
  };
}

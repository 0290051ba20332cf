import { z } from 'zod';

/**
 * The audit's findings as `scomfw audit --format json` writes them, as far as the dashboard reads them. The audit is
 * written in parallel on another branch; this schema holds the shape agreed for it. It is closed where the dashboard
 * reads fields (a finding, its witness and rule), so a changed shape is refused with its path rather than misread,
 * and open where the audit carries more than the page shows (the flow's endpoints, the document, the summary).
 */
const name = z.string().min(1).max(253);

const portRange = z.object({ from: z.int().min(0).max(65535), to: z.int().min(0).max(65535) }).strict();

export const findingSchema = z
  .object({
    kind: z.string().min(1).max(64),
    severity: z.string().min(1).max(32),
    host: name,
    flow: z
      .object({
        id: z.string().min(1),
        source: z.object({ name }).loose(),
        destination: z.object({ name }).loose(),
        protocol: z.enum(['tcp', 'udp', 'icmp']),
        ports: portRange.nullable(),
      })
      .loose()
      .optional(),
    witness: z
      .object({
        source: z.string().min(1),
        destination: z.string().min(1),
        protocol: z.string().min(1),
        port: z.int().min(0).max(65535).nullable(),
      })
      .strict(),
    rule: z
      .object({ export: z.string(), line: z.int().min(0), text: z.string() })
      .strict()
      .nullable(),
    message: z.string(),
  })
  .strict();

export const findingsDocumentSchema = z
  .object({
    findings: z.array(findingSchema),
    summary: z.record(z.string(), z.unknown()),
  })
  .loose();

export type Finding = z.infer<typeof findingSchema>;
export type FindingsDocument = z.infer<typeof findingsDocumentSchema>;

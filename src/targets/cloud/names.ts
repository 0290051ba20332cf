import { createHash } from 'node:crypto';

/** What a cloud accepts in one kind of name or text, and how long it may be. */
export interface NameRule {
  /** One character class, without brackets, of the characters allowed. */
  readonly allowed: string;
  readonly max: number;
}

/** AWS security group names and rule descriptions (VPC): `a-zA-Z0-9. _-:/()#,@[]+=&;{}!$*`, 255 characters. */
export const awsText: NameRule = { allowed: 'a-zA-Z0-9. _\\-:/()#,@\\[\\]+=&;{}!$*', max: 255 };
/** AWS tag values: letters, digits, spaces and `_ . : / = + - @`, 256 characters. */
export const awsTagValue: NameRule = { allowed: 'a-zA-Z0-9 _.:/=+\\-@', max: 256 };
/** Azure NSG and rule names: letters, digits, `_ . -`, 80 characters (the start and end are fixed up below). */
export const azureName: NameRule = { allowed: 'a-zA-Z0-9_.\\-', max: 80 };
/** Azure rule descriptions: 140 characters; kept to printable ASCII. */
export const azureDescription: NameRule = { allowed: '\\x20-\\x7e', max: 140 };
/** Azure tag values: 256 characters; `<>%&\?/` are refused in keys, and kept out of values too. */
export const azureTagValue: NameRule = { allowed: 'a-zA-Z0-9 _.:=+\\-@,()', max: 256 };

/**
 * `text` with every character the cloud refuses replaced by `_`, cut to the limit. A cut name ends in a
 * short hash of the whole text, so two long names that share a beginning stay different.
 */
export function fitted(text: string, rule: NameRule): string {
  const clean = sanitized(text, rule);
  if (clean.length <= rule.max) return clean;
  const hash = createHash('sha256').update(text).digest('hex').slice(0, 8);
  return `${clean.slice(0, rule.max - hash.length - 1)}-${hash}`;
}

/** `text` with every character the cloud refuses replaced by `_`, whatever its length. */
export function sanitized(text: string, rule: NameRule): string {
  return text.replace(new RegExp(`[^${rule.allowed}]`, 'gu'), '_');
}

/** An Azure resource name: allowed characters, starts with a letter or digit, ends with one or `_`. */
export function azureResourceName(text: string): string {
  const name = fitted(text, azureName).replace(/^[^a-zA-Z0-9]+/, '');
  return /[a-zA-Z0-9_]$/.test(name) ? name : `${name}_`;
}

/** A Terraform resource label (an identifier) for `text`: lower case, `_` for anything else. */
export function terraformLabel(text: string): string {
  const label = text.toLowerCase().replace(/[^a-z0-9_-]+/g, '_');
  return fitted(/^[a-z_]/.test(label) ? label : `_${label}`, { allowed: 'a-z0-9_\\-', max: 100 });
}

/** Each item with its own unique label, in the items' order. */
export function labelled<T>(items: readonly T[], labelOf: (item: T) => string): { item: T; label: string }[] {
  const labels = uniqueLabels(items.map(labelOf));
  return items.map((item, i) => ({ item, label: labels[i] ?? labelOf(item) }));
}

/** Makes each label unique in its list by appending `_2`, `_3` … to repeats, keeping the order. */
export function uniqueLabels(labels: readonly string[]): string[] {
  const used = new Set<string>();
  return labels.map((l) => {
    let label = l;
    for (let n = 2; used.has(label); n++) label = `${l}_${n}`;
    used.add(label);
    return label;
  });
}

/**
 * Keeping secrets (API keys, header values) out of what we write to disk. The rollout recorder, `fork`
 * and history.jsonl all redact through `secretRedactor`, so a key typed into a prompt is replaced the
 * same way in every file.
 */

export const REDACTED = '[REDACTED]';

/** Shorter values are too likely to occur by chance to be replaced. */
const MIN_SECRET = 4;

/** Replaces every secret in a text (a JSON line or plain text) with `[REDACTED]`. */
export type Redactor = (text: string) => string;

/**
 * A redactor for `secrets`. Each secret is replaced as written and as it appears inside a JSON string
 * (a key with `"` or `\` in it is escaped there), longest first so a secret containing another is
 * replaced whole.
 */
export function secretRedactor(secrets: readonly string[] | undefined): Redactor {
  const forms = new Set<string>();
  for (const s of secrets ?? []) {
    if (s.length < MIN_SECRET) continue;
    forms.add(s);
    forms.add(JSON.stringify(s).slice(1, -1));
  }
  const ordered = [...forms].sort((a, b) => b.length - a.length);
  if (ordered.length === 0) return (text) => text;
  return (text) => {
    let out = text;
    for (const s of ordered) if (out.includes(s)) out = out.split(s).join(REDACTED);
    return out;
  };
}

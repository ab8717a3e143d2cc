import { describe, expect, it } from 'vitest';
import { parseOverride } from '../../src/config/index.js';
import { UsageError } from '../../src/shared/index.js';

describe('-c key=value parsing', () => {
  it('takes a bare word as a string', () => {
    expect(parseOverride('model=o3')).toEqual({ path: ['model'], value: 'o3', raw: 'model=o3' });
    expect(parseOverride('model=gpt-5.4-mini').value).toBe('gpt-5.4-mini');
  });

  it('parses TOML literals: numbers, booleans, quoted strings, arrays, inline tables', () => {
    expect(parseOverride('project_doc_max_bytes=1024').value).toBe(1024);
    expect(parseOverride('x=1.5').value).toBe(1.5);
    expect(parseOverride('hide_agent_reasoning=true').value).toBe(true);
    expect(parseOverride('model="gpt-5.4"').value).toBe('gpt-5.4');
    expect(parseOverride("model='gpt 5'").value).toBe('gpt 5');
    expect(parseOverride('notify=["notify-send", "done"]').value).toEqual(['notify-send', 'done']);
    expect(parseOverride('model_providers.x={ name = "X", base_url = "http://h/v1" }').value).toEqual({
      name: 'X',
      base_url: 'http://h/v1',
    });
  });

  it('splits on the first = only and trims key and value', () => {
    const o = parseOverride('  model_providers.x.query_params.q = a=b ');
    expect(o.path).toEqual(['model_providers', 'x', 'query_params', 'q']);
    expect(o.value).toBe('a=b');
  });

  it('strips unbalanced surrounding quotes from a value that is not a TOML literal', () => {
    expect(parseOverride('model="o3').value).toBe('o3');
    expect(parseOverride("model=o3'").value).toBe('o3');
  });

  it('keeps an empty value as an empty string', () => {
    expect(parseOverride('model=').value).toBe('');
  });

  it('reads dotted keys, including quoted segments', () => {
    expect(parseOverride('sandbox_workspace_write.network_access=true').path).toEqual([
      'sandbox_workspace_write',
      'network_access',
    ]);
    expect(parseOverride('projects."/src/my.app".trust_level=trusted').path).toEqual([
      'projects',
      '/src/my.app',
      'trust_level',
    ]);
  });

  it('rejects a missing =, an empty key and empty key parts as usage errors (exit 2)', () => {
    for (const bad of ['model', '=x', ' =x', 'a..b=1', '.a=1']) {
      let err: unknown;
      try {
        parseOverride(bad);
      } catch (e) {
        err = e;
      }
      expect(err, bad).toBeInstanceOf(UsageError);
      expect((err as UsageError).exitCode).toBe(2);
    }
    expect(() => parseOverride('model')).toThrow(/missing '='/);
  });
});

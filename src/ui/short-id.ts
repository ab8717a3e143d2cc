/**
 * Ids shortened as git shortens hashes: each id's shortest prefix (of at least `min` characters) that no
 * other id in the list shares. Session ids are UUIDv7, whose first characters are a timestamp, so a fixed
 * cut (the first 8) collides for sessions started within a minute of each other.
 */
export function uniquePrefixes(ids: readonly string[], min: number): string[] {
  return ids.map((id) => {
    let n = Math.min(min, id.length);
    for (const other of ids) {
      if (other === id) continue;
      let common = 0;
      while (common < id.length && id[common] === other[common]) common++;
      n = Math.max(n, Math.min(id.length, common + 1));
    }
    // A cut right after a separator reads as a typo: take the next character too.
    if (n < id.length && id[n - 1] === '-') n++;
    return id.slice(0, n);
  });
}

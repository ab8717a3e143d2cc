/** Short names people can tell subagents apart by (trees), unique among the open ones of a session. */
const NAMES = [
  'Alder', 'Aspen', 'Birch', 'Cedar', 'Cypress', 'Elm', 'Fir', 'Hazel', 'Hemlock', 'Holly', 'Juniper', 'Larch',
  'Linden', 'Maple', 'Oak', 'Olive', 'Pine', 'Poplar', 'Rowan', 'Sequoia', 'Spruce', 'Sycamore', 'Walnut', 'Willow',
  'Yew', 'Acacia', 'Baobab', 'Banyan', 'Catalpa', 'Ginkgo', 'Hawthorn', 'Laurel', 'Magnolia', 'Mulberry', 'Sassafras', 'Tupelo',
] as const;

/**
 * A nickname not in `taken`: the first free one of `candidates` (a custom agent's), else of the built-in
 * list, else the list's names with a number (`Alder 2`).
 */
export function pickNickname(taken: ReadonlySet<string>, candidates: readonly string[] = [], seed = 0): string {
  for (const name of candidates) if (!taken.has(name)) return name;
  for (let i = 0; i < NAMES.length; i++) {
    const name = NAMES[(seed + i) % NAMES.length] as string;
    if (!taken.has(name)) return name;
  }
  for (let n = 2; ; n++) {
    for (const base of candidates.length > 0 ? candidates : NAMES) {
      const name = `${base} ${n}`;
      if (!taken.has(name)) return name;
    }
  }
}

/** Recording a trust decision where Codex records it: `[projects."<dir>"] trust_level` in the user's config.toml. */
import { saveConfigKeys } from './edit.js';
import type { TrustLevel } from './project.js';

export function setProjectTrust(configFile: string, dir: string, level: TrustLevel): void {
  saveConfigKeys(configFile, ['projects', dir], { trust_level: level });
}

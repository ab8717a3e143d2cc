/**
 * Commands owned by other layers' front ends (login/logout for providers, sandbox for the sandbox), each
 * registered by one call here so program.ts stays the single place that defines the CLI's shape.
 */
import type { Command } from 'commander';
import { registerAcpCommand } from './acp.js';
import { registerAppServerCommand } from './app-server.js';
import { registerDoctorCommand } from './doctor.js';
import { registerHousekeepingCommands } from './housekeeping.js';
import { registerLoginCommands } from './login.js';
import { registerMcpCommand } from './mcp.js';
import { registerSandboxCommand } from './sandbox.js';
import { registerSessionsCommand } from './sessions.js';

export function registerCommands(program: Command): void {
  registerAcpCommand(program);
  registerAppServerCommand(program);
  registerLoginCommands(program);
  registerMcpCommand(program);
  registerSandboxCommand(program);
  registerSessionsCommand(program);
  registerHousekeepingCommands(program);
  registerDoctorCommand(program);
}

#!/usr/bin/env node
// Entry point of the `gekko` command. The code base is TypeScript run through tsx's loader,
// so no build step is needed after `npm ci`.
import { register } from 'tsx/esm/api';

register();
const { main } = await import('../main.ts');
process.exitCode = await main(process.argv);

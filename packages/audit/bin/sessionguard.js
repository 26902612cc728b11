#!/usr/bin/env node
// Committed entry point: npm links bins at install time, before `prepare` builds dist/.
import "../dist/cli/main.js";
